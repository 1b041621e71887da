"""Reads about what a company's text says (for its page and for vetting)."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from matching.understanding.reading import read
from matching.understanding.terms import expand
from portal.companies.models import Company
from portal.postings.models import Posting
from portal.taxonomy import leaves
from portal.taxonomy.models import Capability, Certification, LookingFor


@dataclass(frozen=True)
class Inferred:
    kind: str  # "offers", "seeks", "looking_for", "held" (stated certificate)
    term: object  # a taxonomy term or a leaf (has .slug and .name())
    words: str  # where in the text it was read
    state: str = ""  # "" (inferred), "confirmed" or "removed" by the company


def overrides_by_company(companies) -> defaultdict:
    """company id → {(kind, slug): confirmed} for the companies of the queryset ``companies`` (one query)."""
    from matching.models import InferenceOverride

    found = defaultdict(dict)
    for company_id, kind, slug, confirmed in InferenceOverride.objects.filter(
        company_id__in=companies
    ).values_list("company_id", "kind", "slug", "confirmed"):
        found[company_id][(kind, slug)] = confirmed
    return found


def _state(overrides: dict, kind: str, slug: str) -> str:
    decision = overrides.get((kind, slug))
    return "" if decision is None else ("confirmed" if decision else "removed")


def company_text(company: Company) -> str:
    """The text matching reads: the three descriptions and the live postings (as
    matching/features/loading.py)."""
    parts = [company.description_en, company.description_th, company.description_ja]
    for posting in (
        Posting.objects.live()
        .filter(company=company)
        .values("title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja")
    ):
        parts += list(posting.values())
    return "\n".join(parts)


def stated_certificates(company: Company) -> list[Inferred]:
    """Certificates the text states as held that the company does not hold (valid) yet: "stated, not
    verified"."""
    reading = read(company_text(company), company.country)
    held = set(company.certificates.valid(timezone.localdate()).values_list("certification__slug", flat=True))
    terms = {c.slug: c for c in Certification.objects.filter(slug__in=reading.held)}
    overrides = overrides_by_company([company.pk])[company.pk]
    return [
        Inferred(
            "held", terms[slug], reading.evidence.get(f"held:{slug}", ""), _state(overrides, "held", slug)
        )
        for slug in sorted(reading.held)
        if slug in terms and slug not in held
    ]


def inferred_items(company: Company) -> list[Inferred]:
    """What the text says the company offers, seeks and looks for beyond its declared tags, with the words."""
    reading = read(company_text(company), company.country)
    declared = set(company.capabilities.values_list("slug", flat=True)) | set(
        company.seeking.values_list("slug", flat=True)
    )
    declared_roles = set(company.looking_for.values_list("slug", flat=True))
    names = {term.slug: term for term in leaves.terms()}
    names.update({c.slug: c for c in Capability.objects.all()})
    roles = {term.slug: term for term in LookingFor.objects.all()}
    overrides = overrides_by_company([company.pk])[company.pk]
    found = [
        Inferred(kind, names[slug], reading.evidence.get(f"{kind}:{slug}", ""), _state(overrides, kind, slug))
        for kind, slugs in (("offers", reading.offers), ("seeks", reading.seeks))
        for slug in sorted(slugs)
        if slug in names and not expand({slug}) <= declared
    ]
    found += [
        Inferred(
            "looking_for",
            roles[slug],
            reading.evidence.get(f"looking_for:{slug}", ""),
            _state(overrides, "looking_for", slug),
        )
        for slug in sorted(reading.looking_for - declared_roles)
        if slug in roles
    ]
    return found
