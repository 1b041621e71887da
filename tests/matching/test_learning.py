"""Learning weights from outcomes (matching/understanding/learning.py)."""

import random

import pytest
from django.core.management import call_command

from matching.models import MatchingWeights
from matching.scoring import COMPONENTS
from matching.understanding.learning import MAX_CHANGE, MIN_PAIRS, fit

CURRENT = {"industry": 0.25, "complementarity": 0.30, "certification": 0.15, "text": 0.15, "practical": 0.15}


def _rows(n=200, seed=1):
    """Outcomes that follow text similarity and nothing else."""
    rng = random.Random(seed)
    rows = []
    for index in range(n):
        components = {name: rng.random() for name in COMPONENTS}
        rows.append((components, int(components["text"] > 0.5), 1 + index % 20))
    return rows


def test_outcomes_that_follow_text_raise_its_weight_within_the_cap():
    proposal = fit(_rows(), CURRENT)
    assert proposal.proposed["text"] == pytest.approx(CURRENT["text"] * (1 + MAX_CHANGE))
    assert all(
        CURRENT[n] * (1 - MAX_CHANGE) - 1e-9 <= proposal.proposed[n] <= CURRENT[n] * (1 + MAX_CHANGE) + 1e-9
        for n in COMPONENTS
    )
    assert proposal.better
    assert proposal.auc_proposed > proposal.auc_current


def test_too_few_or_one_sided_outcomes_propose_nothing():
    assert fit(_rows(MIN_PAIRS - 1), CURRENT) is None
    assert fit([(c, 1, r) for c, _label, r in _rows()], CURRENT) is None


@pytest.mark.django_db
def test_the_command_says_when_there_is_nothing_to_learn(capsys):
    versions = MatchingWeights.objects.count()  # those the migrations created
    call_command("propose_matching_weights", "--adopt")
    assert "Not enough outcomes" in capsys.readouterr().out
    assert MatchingWeights.objects.count() == versions
