"""The weights in force on a new installation (migration matching 0009) are the fitted ones of
bench/bench_weights.py, the same as ``Weights()`` and the fields' defaults; an administrator's are kept."""

import importlib

import pytest
from django.apps import apps

from matching.models import MatchingWeights
from matching.scoring import COMPONENTS, Weights

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
