"""How stated certificates count in the scorer's integer shares (pure).

A required certificate takes two columns: the certificate and its verified twin. A verified holder fills
both, a company that only states it in its text fills one: so a stated certificate meets half of the
requirement. It raises the certification component and softens the missing-certificate penalty
(P = 1 − penalty × ½ instead of 1 − penalty) but never lifts it as a verified one does. Shares stay
ratios of small integers, which the scorer's exact lookup tables need (``matching/scoring/matrices.py``).
"""

VERIFIED = "+verified"
STATED_WEIGHT = 0.5  # the share of a requirement a stated certificate meets (one column of two)


def certificate_columns(certifications) -> tuple[str, ...]:
    return tuple(certifications) + tuple(slug + VERIFIED for slug in certifications)


def required_columns(requires) -> frozenset[str]:
    return frozenset(requires) | frozenset(slug + VERIFIED for slug in requires)


def held_columns(holds, stated) -> frozenset[str]:
    return frozenset(holds) | frozenset(slug + VERIFIED for slug in holds) | frozenset(stated)
