"""The workers' snapshot cache: each country's features, text counts and matrices, kept per process and
patched when companies change (see ``country_snapshot``)."""

from __future__ import annotations

import datetime
import functools
import itertools
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matching.features.loading import Fingerprint, _fingerprint, load_features, vocabulary
from matching.scoring import (
    CompanyFeatures,
    SideMatrices,
    Vocabulary,
    build_side,
    feature_counts,
    idf_from,
    tfidf,
)
from portal.companies.models import Company
from portal.postings.models import Posting

# A snapshot that is out of date is patched: the companies changed since its last change (less this
# margin, so that a transaction that committed after a later one is not missed) are reloaded, and the
# companies that left or joined the directory taken out or in. Above REFRESH_LIMIT of the country changed,
# or when a day has passed (certificates and postings expire), it is rebuilt instead.
REFRESH_MARGIN = datetime.timedelta(minutes=5)
REFRESH_LIMIT = 0.2


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
        self.counts = feature_counts(features) if counts is None else counts
        self.fingerprint = fingerprint
        self.serial = next(_serials)
        # (vocabulary, IDF, matrices) of the last side() call
        self._side: tuple[Vocabulary, Idf, SideMatrices] | None = side

    @functools.cached_property
    def ids(self) -> np.ndarray:
        """The companies' ids in the order of ``features`` (ascending)."""
        return np.fromiter((f.id for f in self.features), dtype=np.int64, count=len(self.features))

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
        fresh_counts = feature_counts(fresh)
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
        return tfidf(feature_counts(features), self.idf.values)


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
