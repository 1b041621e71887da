"""A worker's snapshot of a country, patched after edits, equals one built from scratch."""

import dataclasses
import datetime

import numpy as np
import pytest
from django.utils import timezone

from matching.features import Idf, Snapshot, corpus, country_snapshot, load_features, vocabulary
from matching.features import snapshots as features
from matching.scoring import build_side, idf_from, tfidf
from portal.companies.importer import import_rows
from portal.companies.models import Company
from portal.companies.services import company_set_certificates, company_update_profile
from portal.core.synthetic import synthetic_rows
from portal.postings.models import Posting
from portal.postings.services import posting_create, posting_set_status
from portal.taxonomy.models import Capability, Industry
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _assert_same(snapshot: Snapshot, country: str, idf: Idf) -> None:
    rebuilt = Snapshot(load_features(country=country))
    assert snapshot.features == rebuilt.features
    assert [f.inferred for f in snapshot.features] == [f.inferred for f in rebuilt.features]
    assert (snapshot.counts != rebuilt.counts).nnz == 0
    side = snapshot.side(vocabulary(), idf)
    expected = build_side(rebuilt.features, vocabulary(), tfidf(rebuilt.counts, idf.values))
    for name, value in vars(expected).items():
        got = getattr(side, name)
        if name == "text":
            assert abs(got - value).max() == 0 if value.nnz else got.nnz == 0
        else:
            assert np.array_equal(got, value), name


def _imported_hours_ago(per_country: int) -> Company:
    """Companies last changed two hours ago, but for one an hour ago: the last change a snapshot sees."""
    import_rows(rows=synthetic_rows(per_country))
    now = timezone.now()
    Company.objects.update(updated_at=now - datetime.timedelta(hours=2))
    Posting.objects.update(updated_at=now - datetime.timedelta(hours=2))
    last = Company.objects.filter(country="JP").order_by("pk").first()
    Company.objects.filter(pk=last.pk).update(updated_at=now - datetime.timedelta(hours=1))
    return last


def _loads(monkeypatch) -> list:
    """Record what load_features is asked for: a country (a rebuild) or ids (a patch)."""
    calls, real = [], features.load_features

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(features, "load_features", spy)
    return calls


def test_a_patched_snapshot_equals_a_rebuilt_one_after_every_kind_of_edit(monkeypatch):
    last = _imported_hours_ago(30)
    texts = corpus()
    before = texts.japanese
    texts.side("JP")  # the worker holds the Japanese matrices

    directory = Company.objects.filter(country="JP").order_by("pk")
    edited, certified, poster, leaver = directory[3], directory[10], directory[12], directory[20]
    company_update_profile(
        company=edited, capabilities=list(Capability.objects.filter(slug="cnc-machining")),
        industries=list(Industry.objects.filter(slug="aerospace-parts")),
        description_ja="航空機部品の精密加工と射出成形",
    )  # fmt: skip
    company_set_certificates(company=certified, certificates=[{"certification": "as9100"}])
    posting = posting_create(
        company=poster, type="supply_need", title_en="Cleanroom assembly partner wanted", body_ja="医療機器"
    )
    posting_set_status(posting=posting, status="published")
    leaver.verification_status = "pending"
    leaver.save()
    newcomer = CompanyFactory(country="JP", description_en="robot system integration")

    loads = _loads(monkeypatch)
    after = country_snapshot("JP")

    # Patched: what changed since the last change seen, and that one (within the margin) again.
    assert loads == [{"ids": sorted([last.pk, edited.pk, certified.pk, poster.pk, newcomer.pk])}]
    assert after is not before
    ids = [f.id for f in after.features]
    assert newcomer.pk in ids
    assert leaver.pk not in ids
    assert ids == sorted(ids)
    _assert_same(after, "JP", texts.idf)


def test_unchanged_snapshot_is_reused_and_a_new_day_or_a_deleted_posting_rebuilds_it():
    _imported_hours_ago(10)
    first = country_snapshot("JP")
    assert country_snapshot("JP") is first

    company = Company.objects.filter(country="JP").order_by("pk")[5]
    company_update_profile(company=company, description_en="Die casting")
    now = features._fingerprint("JP")
    assert first.refreshed("JP", now) is not None  # patched
    assert first.refreshed("JP", dataclasses.replace(now, day=now.day + datetime.timedelta(days=1))) is None

    posting = posting_create(company=company, type="supply_offer", title_en="Die casting")
    posting_set_status(posting=posting, status="published")
    second = country_snapshot("JP")
    posting.delete()  # no company is left to say what changed, and another one is added:
    posting_create(company=Company.objects.filter(country="JP").last(), type="supply_need", title_en="Dies")
    assert second.refreshed("JP", features._fingerprint("JP")) is None
    rebuilt = country_snapshot("JP")
    assert rebuilt is not second
    _assert_same(rebuilt, "JP", Idf(basis=(0, 0), token=-1, values=idf_from(rebuilt.counts)))
