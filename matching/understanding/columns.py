"""How stated certificates count in the scorer's integer shares (pure).

A required certificate takes ``PARTS`` columns: the certificate, its numbered twins and its verified twin.
A verified holder fills all of them; a company that only states it in its text fills ``STATED_PARTS`` (all
but the verified one): so a stated certificate meets three quarters of the requirement. It raises the
certification component and softens the missing-certificate penalty (P = 1 − penalty × ¼ instead of
1 − penalty) but never lifts it as a verified one does. Most certificates companies state are real (a
coordinator verifies them in one click during vetting), hence more than half; shares stay ratios of small
integers, which the scorer's exact lookup tables need (``matching/scoring/matrices.py``).
"""

VERIFIED = "+verified"
PARTS = 4  # columns a certificate takes
STATED_PARTS = PARTS - 1  # of them, filled by a certificate only stated in the text
STATED_WEIGHT = STATED_PARTS / PARTS  # the share of a requirement a stated certificate meets


def _parts(slug: str, count: int) -> tuple[str, ...]:
    """The first ``count`` unverified columns of a certificate: ``slug``, ``slug+1``, …"""
    return tuple(slug if part == 0 else f"{slug}+{part}" for part in range(count))


def certificate_columns(certifications) -> tuple[str, ...]:
    return tuple(column for slug in certifications for column in _parts(slug, STATED_PARTS)) + tuple(
        slug + VERIFIED for slug in certifications
    )


def required_columns(requires) -> frozenset[str]:
    return frozenset(column for slug in requires for column in (*_parts(slug, STATED_PARTS), slug + VERIFIED))


def held_columns(holds, stated) -> frozenset[str]:
    stated_columns = frozenset(column for slug in stated for column in _parts(slug, STATED_PARTS))
    return required_columns(holds) | stated_columns
