"""Build the scorer's input (``CompanyFeatures``) from the database, a whole country in a few queries."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from scipy import sparse

from matching.glossary import infer, normalize
from matching.scoring import (
    CompanyFeatures,
    SideMatrices,
    Vocabulary,
    build_side,
    idf_from,
    text_counts,
    tfidf,
)
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
        capabilities=tuple(Capability.objects.values_list("slug", flat=True)),
        certifications=tuple(Certification.objects.filter(equivalent_to=None).values_list("slug", flat=True)),
        roles=tuple(LookingFor.objects.values_list("slug", flat=True)),
    )


def _roles(*, country, in_eec, capabilities, seeks, looking_for, posting_types) -> frozenset[str]:
    roles = set()
    if capabilities or PostingType.SUPPLY_OFFER in posting_types:
        roles.add("supplier")
    if seeks or "supplier" in looking_for or PostingType.SUPPLY_NEED in posting_types:
        roles.add("customer")
    if capabilities & OEM_CAPABILITIES:
        roles.add("oem-partner")
    if "joint-venture" in looking_for or PostingType.PARTNERSHIP in posting_types:
        roles.add("joint-venture")
    if capabilities & DISTRIBUTION_CAPABILITIES:
        roles.add("distributor")
    if capabilities & TECHNOLOGY_CAPABILITIES or PostingType.TECHNOLOGY_OFFER in posting_types:
        roles.add("technology-partner")
    if country == "TH" and (in_eec or looking_for & {"joint-venture", "investment-site"}):
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
    posting_types = defaultdict(set)
    live = Posting.objects.live().filter(company_id__in=selected)
    for posting in live.values(
        "pk", "company_id", "type", "title_en", "title_th", "title_ja", "body_en", "body_th", "body_ja"
    ):
        posting_types[posting["company_id"]].add(posting["type"])
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

    features = []
    for row in rows:
        pk = row["pk"]
        text = normalize(
            "\n".join([row["description_en"], row["description_th"], row["description_ja"], *texts[pk]])
        )
        inferred_capabilities, inferred_industries = infer(text)
        declared_capabilities = relation["capabilities"][pk]
        declared_industries = relation["industries"][pk]
        capabilities = frozenset(declared_capabilities | inferred_capabilities)
        seeks = frozenset(relation["seeking"][pk])
        looking_for = frozenset(relation["looking_for"][pk])
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
                ),  # fmt: skip
                requires=frozenset(relation["requires"][pk]),
                holds=frozenset(relation["holds"][pk]),
                languages=frozenset(code for code in row["languages"].split(",") if code),
                size_class=row["size_class"],
                in_eec=in_eec,
                text=text,
                inferred=frozenset(
                    (inferred_capabilities - declared_capabilities)
                    | (inferred_industries - declared_industries)
                ),
            )
        )
    return features


# A snapshot that is out of date is patched: the companies changed since its last change (less this
# margin, so that a transaction that committed after a later one is not missed) are reloaded, and the
# companies that left or joined the directory taken out or in. Above REFRESH_LIMIT of the country changed,
# or when a day has passed (certificates and postings expire), it is rebuilt instead.
REFRESH_MARGIN = datetime.timedelta(minutes=5)
REFRESH_LIMIT = 0.2


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
        Company.objects.verified().filter(country=country).aggregate(n=Count("pk"), changed=Max("updated_at"))
    )
    postings = Posting.objects.filter(company__country=country).aggregate(
        n=Count("pk"), changed=Max("updated_at"), last=Max("pk")
    )
    return Fingerprint(
        companies["n"], companies["changed"], postings["n"], postings["changed"], postings["last"],
        timezone.localdate(),
    )  # fmt: skip


@dataclass(frozen=True)
class Idf:
    """One IDF over both countries' documents; ``token`` names it in the matrices built with it."""

    basis: tuple[int, int]  # the serials of the Thai and Japanese snapshots it was computed from
    token: int
    values: np.ndarray


class Snapshot:
    """A country's features and text counts, reused while the country's companies are unchanged, and the
    country's matrices under the current IDF (built once, then shared by every rescoring and shard)."""

    def __init__(self, features: list[CompanyFeatures], counts=None, fingerprint=None, side=None) -> None:
        self.features = features
        self.counts = text_counts([f.text for f in features]) if counts is None else counts
        self.fingerprint = fingerprint
        self.serial = next(_serials)
        # (vocabulary, IDF, matrices) of the last side() call
        self._side: tuple[Vocabulary, Idf, SideMatrices] | None = side

    def side(self, vocabulary: Vocabulary, idf: Idf) -> SideMatrices:
        if self._side is None or self._side[1].token != idf.token or self._side[0] != vocabulary:
            matrices = build_side(self.features, vocabulary, tfidf(self.counts, idf.values))
            self._side = (vocabulary, idf, matrices)
        return self._side[2]

    def refreshed(self, country: str, fingerprint: Fingerprint) -> Snapshot | None:
        """This snapshot brought up to date by reloading only what changed, or None to rebuild it."""
        old = self.fingerprint
        if old is None or old.day != fingerprint.day:
            return None  # a day passed: certificates and postings may have expired
        postings = Posting.objects.filter(company__country=country)
        added = postings.filter(pk__gt=old.postings_last or 0).count()
        if fingerprint.postings != old.postings + added:
            return None  # postings were deleted, and whose is not known
        directory = Company.objects.verified().filter(country=country)
        ids = list(directory.order_by("pk").values_list("pk", flat=True))
        listed = set(ids)
        changed = listed - {f.id for f in self.features}
        if old.companies_changed is not None:
            recent = directory.filter(updated_at__gte=old.companies_changed - REFRESH_MARGIN)
            changed |= set(recent.values_list("pk", flat=True))
        if old.postings_changed is not None:
            postings = postings.filter(updated_at__gte=old.postings_changed - REFRESH_MARGIN)
        changed |= set(postings.values_list("company_id", flat=True))
        if len(changed) > REFRESH_LIMIT * max(1, len(ids)):
            return None
        position = {f.id: index for index, f in enumerate(self.features)}
        kept = np.array([position[pk] for pk in ids if pk not in changed and pk in position], dtype=np.int64)
        fresh = load_features(ids=sorted(changed & listed))
        features = [self.features[index] for index in kept] + fresh
        order = np.argsort(np.array([f.id for f in features], dtype=np.int64), kind="stable")
        fresh_counts = text_counts([f.text for f in fresh])
        counts = sparse.vstack([self.counts[kept], fresh_counts], format="csr")[order]
        side = None
        if self._side is not None:
            vocabulary, idf, matrices = self._side
            fresh_side = build_side(fresh, vocabulary, tfidf(fresh_counts, idf.values))
            side = (vocabulary, idf, SideMatrices.stack([matrices.take(kept), fresh_side]).take(order))
        return Snapshot([features[index] for index in order], counts, fingerprint, side)


_serials = itertools.count(1)
_snapshots: dict[str, Snapshot] = {}
_idf: Idf | None = None


def clear_snapshots() -> None:
    """Forget every snapshot and IDF of this process (tests start from nothing)."""
    global _idf
    _snapshots.clear()
    _idf = None


@dataclass(frozen=True)
class Corpus:
    """Both countries' snapshots and one IDF over all their documents, as the scorer needs them."""

    thai: Snapshot
    japanese: Snapshot
    vocabulary: Vocabulary
    idf: Idf

    def snapshot(self, country: str) -> Snapshot:
        return self.thai if country == "TH" else self.japanese

    def side(self, country: str) -> SideMatrices:
        return self.snapshot(country).side(self.vocabulary, self.idf)

    def text_rows(self, features: list[CompanyFeatures]) -> sparse.csr_matrix:
        return tfidf(text_counts([f.text for f in features]), self.idf.values)


def country_snapshot(country: str, *, fresh: bool = True) -> Snapshot:
    """The country's snapshot, brought up to date when its fingerprint changed (per process, so per
    worker). ``fresh=False`` takes the last one of this process as it is, if any (good enough for IDF)."""
    cached = _snapshots.get(country)
    if cached is not None and not fresh:
        return cached
    fingerprint = _fingerprint(country)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    snapshot = cached.refreshed(country, fingerprint) if cached is not None else None
    if snapshot is None:
        snapshot = Snapshot(load_features(country=country), fingerprint=fingerprint)
    _snapshots[country] = snapshot
    return snapshot


def corpus(*, fresh: tuple[str, ...] = ("TH", "JP"), exact: bool = True) -> Corpus:
    """Both countries with one IDF. Countries not in ``fresh`` may come from an older snapshot of this
    process: one company's rescoring needs its partners current, and its own country only for the IDF.

    ``exact`` (a full recompute): the IDF of exactly these snapshots. Otherwise (one company's rescoring)
    the last IDF this process computed is kept while it has one: one document more or less moves it
    negligibly, and the partners' matrices built with it stay valid."""
    global _idf
    thai, japanese = (country_snapshot(country, fresh=country in fresh) for country in ("TH", "JP"))
    basis = (thai.serial, japanese.serial)
    if _idf is None or (exact and _idf.basis != basis):
        _idf = Idf(basis=basis, token=next(_serials), values=idf_from(thai.counts, japanese.counts))
    return Corpus(thai=thai, japanese=japanese, vocabulary=vocabulary(), idf=_idf)
