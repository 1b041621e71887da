"""The weights in force on a new installation (migration matching 0009) are the fitted ones of
bench/bench_weights.py, the same as ``Weights()`` and the fields' defaults; an administrator's are kept."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from matching.models import MatchingWeights
from matching.scoring import COMPONENTS, Weights
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("matching.migrations.0009_fitted_weights")
FIELDS = (*COMPONENTS, "missing_certification_penalty")


def _values(weights) -> dict[str, float]:
    return {name: getattr(weights, name) for name in FIELDS}


def test_a_new_installation_scores_with_the_fitted_weights():
    in_force = MatchingWeights.objects.order_by("-pk").first()
    assert (
        _values(in_force)
        == pytest.approx(migration.FITTED)
        == _values(Weights())
        == _values(MatchingWeights())
    )
    assert in_force.note == migration.NOTE
    assert sum(migration.FITTED[name] for name in COMPONENTS) == pytest.approx(1.0)


def test_the_weights_a_new_installation_started_with_are_replaced():
    MatchingWeights.objects.create(**migration.SHIPPED, top_k=15, note="Initial weights")
    migration.adopt_fitted(apps, None)
    in_force = MatchingWeights.objects.order_by("-pk").first()
    assert _values(in_force) == pytest.approx(migration.FITTED)
    assert in_force.top_k == 15  # only the weights change


def test_an_administrators_weights_are_kept():
    chosen = MatchingWeights.objects.create(**{**migration.SHIPPED, "text": 0.3}, note="ours")
    migration.adopt_fitted(apps, None)
    assert MatchingWeights.objects.order_by("-pk").first() == chosen


@pytest.mark.parametrize(
    ("language", "note", "header"),
    [
        ("th", "ปรับให้เหมาะกับคู่ที่ประเมินด้วยมือ (bench/bench_weights.py)", "พอร์ทัลจับคู่ธุรกิจ SME ไทย–ญี่ปุ่น"),
        (
            "ja",
            "人手で評価したペアに合わせて調整（bench/bench_weights.py）",
            "日タイ中小企業マッチングポータル",
        ),
    ],
)
def test_the_admin_shows_the_portals_own_notes_in_the_readers_language(client, language, note, header):
    user = UserFactory(email="admin@example.com", language=language, is_staff=True, is_superuser=True)
    MatchingWeights.objects.create(note="our own note")
    client.force_login(user)

    html = client.get(reverse("admin:matching_matchingweights_changelist")).content.decode()

    assert note in html
    assert header in html
    assert "our own note" in html  # an administrator's note as written
    assert migration.NOTE not in html
