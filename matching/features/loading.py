"""Build the scorer's input (``CompanyFeatures``) from the database, a whole country in a few queries, and
the fingerprint that tells a snapshot (``matching.features.snapshots``) whether the country changed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from matching.glossary import normalize
from matching.scoring import (
    CompanyFeatures,
    Vocabulary,
)
from matching.textdata import industries_of_certificates
from matching.understanding.hooks import text_features, with_overrides
from matching.understanding.ranking import readiness_by_company
from matching.understanding.selectors import overrides_by_company
from matching.understanding.terms import expand, leaf_slugs
from portal.companies.models import Company, CompanyCertification
from portal.postings.models import NEED_TYPES, OFFER_TYPES, Posting, PostingType
from portal.showcase.selectors import product_terms_by_company, product_texts_by_company
from portal.taxonomy.models import Capability, Certification, Industry, LookingFor

# Which partner roles (looking-for slugs) a company can fill, from what it offers.
OEM_CAPABILITIES = {
    "oem-assembly", "injection-molding", "cnc-machining", "pcb-assembly", "sheet-metal", "cleanroom-assembly",
    "machine-building", "die-and-mold", "cable-harness",
}  # fmt: skip
TECHNOLOGY_CAPABILITIES = {
    "contract-rnd", "embedded-software", "iot-software", "electronics-design", "system-integration",
    "machine-building", "additive-manufacturing",
}  # fmt: skip
DISTRIBUTION_CAPABILITIES = {"distribution", "logistics-warehousing"}


def vocabulary() -> Vocabulary:
    industries = list(Industry.objects.all())
    return Vocabulary(
        industries=tuple(i.slug for i in industries),
        focus_industries=frozenset(i.slug for i in industries if i.is_focus),
        isic_divisions={i.slug: frozenset(code[:2] for code in i.isic_list) for i in industries},
        capabilities=_with_leaves(tuple(Capability.objects.values_list("slug", flat=True))),
        certifications=tuple(Certification.objects.filter(equivalent_to=None).values_list("slug", flat=True)),
        roles=tuple(LookingFor.objects.values_list("slug", flat=True)),
    )


def _with_leaves(capabilities: tuple[str, ...]) -> tuple[str, ...]:
    """The capabilities and the second-level terms (leaves, materials groups) text inference yields."""
    known = set(capabilities)
    return capabilities + tuple(slug for slug in leaf_slugs() if slug not in known)


def _roles(
    *, country, in_eec, capabilities, seeks, looking_for, posting_types, offers_site=False
) -> frozenset[str]:
    roles = set()
    if capabilities or PostingType.SUPPLY_OFFER in posting_types:
        roles.add("supplier")
    # A company that looks for a place to set up is the customer of whoever offers one (an industrial estate).
    if seeks or looking_for & {"supplier", "investment-site"} or PostingType.SUPPLY_NEED in posting_types:
        roles.add("customer")
    if capabilities & OEM_CAPABILITIES:
        roles.add("oem-partner")
    if "joint-venture" in looking_for or PostingType.PARTNERSHIP in posting_types:
        roles.add("joint-venture")
    if capabilities & DISTRIBUTION_CAPABILITIES:
        roles.add("distributor")
    if capabilities & TECHNOLOGY_CAPABILITIES or PostingType.TECHNOLOGY_OFFER in posting_types:
        roles.add("technology-partner")
    if offers_site:
        roles.add("investment-site")
    return frozenset(roles)


def load_features(*, country: str | None = None, ids=None) -> list[CompanyFeatures]:
    """Features of the verified companies of ``country`` (or of ``ids``), ordered by id."""
    companies = Company.objects.verified()
    if country:
        companies = companies.filter(country=country)
    if ids is not None:
        companies = companies.filter(pk__in=list(ids))
    rows = list(
        companies.order_by("pk").values(
            "pk", "country", "size_class", "region__code", "languages",
            "description_en", "description_th", "description_ja",
        )
    )  # fmt: skip
    selected = companies.values("pk")
    relation = defaultdict(lambda: defaultdict(set))
    for name, through, column in [
        ("industries", Company.industries.through, "industry__slug"),
        ("capabilities", Company.capabilities.through, "capability__slug"),
        ("seeking", Company.seeking.through, "capability__slug"),
        ("looking_for", Company.looking_for.through, "lookingfor__slug"),
    ]:
        for company_id, slug in through.objects.filter(company_id__in=selected).values_list(
            "company_id", column
        ):
            relation[name][company_id].add(slug)
    for company_id, slug, canonical in Company.requires.through.objects.filter(
        company_id__in=selected
    ).values_list("company_id", "certification__slug", "certification__equivalent_to__slug"):
        relation["requires"][company_id].add(canonical or slug)
    for company_id, slug, canonical in (
        CompanyCertification.objects.valid(timezone.localdate())
        .filter(company_id__in=selected)
        .values_list("company_id", "certification__slug", "certification__equivalent_to__slug")
    ):
        relation["holds"][company_id].add(canonical or slug)

    texts = defaultdict(list)
    need_titles = defaultdict(list)  # read as sought whatever their words (matching/understanding/reading.py)
    posting_types = defaultdict(set)
    live = Posting.objects.live().filter(company_id__in=selected)
    for posting in live.values(
        "pk", "company_id", "type", "title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja"
    ):
        posting_types[posting["company_id"]].add(posting["type"])
        if posting["type"] in NEED_TYPES:
            need_titles[posting["company_id"]] += [posting[f"title_{lang}"] for lang in ("en", "th", "ja")]
        texts[posting["company_id"]] += [
            posting[f"{part}_{lang}"] for part in ("title", "body") for lang in ("en", "th", "ja")
        ]
    posting_type = dict(live.values_list("pk", "type"))
    posting_company = dict(live.values_list("pk", "company_id"))
    for posting_id, slug in Posting.capabilities.through.objects.filter(posting__in=live).values_list(
        "posting_id", "capability__slug"
    ):
        target = (
            "capabilities"
            if posting_type[posting_id] in OFFER_TYPES
            else ("seeking" if posting_type[posting_id] in NEED_TYPES else None)
        )
        if target:
            relation[target][posting_company[posting_id]].add(slug)
    for posting_id, slug in Posting.industries.through.objects.filter(posting__in=live).values_list(
        "posting_id", "industry__slug"
    ):
        relation["industries"][posting_company[posting_id]].add(slug)
    for posting_id, slug, canonical in Posting.required_certifications.through.objects.filter(
        posting__in=live
    ).values_list("posting_id", "certification__slug", "certification__equivalent_to__slug"):
        relation["requires"][posting_company[posting_id]].add(canonical or slug)

    # The showcase's products (portal/showcase): their texts feed the text component and the inferred tags,
    # their capabilities and industries count as the company's own.
    for company_id, product_texts in product_texts_by_company(selected).items():
        texts[company_id] += product_texts
    product_capabilities, product_industries = product_terms_by_company(selected)
    for company_id, slugs in product_capabilities.items():
        relation["capabilities"][company_id] |= slugs
    for company_id, slugs in product_industries.items():
        relation["industries"][company_id] |= slugs

    overrides = overrides_by_company(selected)
    readiness = readiness_by_company(selected)
    features = []
    for row in rows:
        pk = row["pk"]
        raw = "\n".join([row["description_en"], row["description_th"], row["description_ja"], *texts[pk]])
        text = normalize(raw)
        read = with_overrides(text_features(raw, row["country"], need_titles[pk]), overrides[pk])
        inferred_capabilities, inferred_industries = read.capabilities, read.industries
        declared_capabilities = expand(relation["capabilities"][pk])  # a declared leaf brings its parent
        declared_industries = relation["industries"][pk]
        capabilities = frozenset(declared_capabilities | inferred_capabilities)
        seeks = frozenset(expand(relation["seeking"][pk]) | read.seeks)
        looking_for = frozenset(relation["looking_for"][pk] | read.looking_for)
        holds = frozenset(relation["holds"][pk])
        requires = frozenset(relation["requires"][pk] | read.requires)
        # A company that holds, states or demands ISO 13485 works in medical devices, whatever it wrote.
        inferred_industries = inferred_industries | industries_of_certificates(holds | read.stated | requires)
        in_eec = (row["region__code"] or "") in settings.PORTAL_EEC_PROVINCES
        features.append(
            CompanyFeatures(
                id=pk,
                industries=frozenset(declared_industries | inferred_industries),
                capabilities=capabilities,
                seeks=seeks,
                looking_for=looking_for,
                roles=_roles(
                    country=row["country"],
                    in_eec=in_eec,
                    capabilities=capabilities,
                    seeks=seeks,
                    looking_for=looking_for,
                    posting_types=posting_types[pk],
                    offers_site=read.offers_site,
                ),  # fmt: skip
                requires=requires,
                holds=holds,
                stated=read.stated - holds,
                languages=frozenset(code for code in row["languages"].split(",") if code),
                size_class=row["size_class"],
                in_eec=in_eec,
                text=text,
                concepts=read.concepts,
                inferred=frozenset(
                    (inferred_capabilities - declared_capabilities)
                    | (inferred_industries - declared_industries)
                    | (seeks - relation["seeking"][pk])
                    | (looking_for - relation["looking_for"][pk])
                )
                - {slug for (_kind, slug), confirmed in overrides[pk].items() if confirmed},
                readiness=readiness.get(pk),
            )
        )
    return features


@dataclass(frozen=True)
class Fingerprint:
    """Changes whenever a company, certificate validity or live posting of the country may have changed."""

    companies: int
    companies_changed: datetime.datetime | None
    postings: int
    postings_changed: datetime.datetime | None
    postings_last: int | None  # the highest posting id: ids only grow, so deletions show in the count
    day: datetime.date


def _fingerprint(country: str) -> Fingerprint:
    companies = (
        Company.objects.verified().filter(country=country).aggregate(n=Count("*"), changed=Max("updated_at"))
    )
    postings = Posting.objects.filter(company__country=country).aggregate(
        n=Count("pk"), changed=Max("updated_at"), last=Max("pk")
    )
    return Fingerprint(
        companies["n"], companies["changed"], postings["n"], postings["changed"], postings["last"],
        timezone.localdate(),
    )  # fmt: skip
