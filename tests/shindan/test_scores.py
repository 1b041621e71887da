"""Checklist scores: items 1–5 or N/A → area scores 0–100 → overall."""

from decimal import Decimal as D

import pytest

from shindan.scoring import area_score, overall_score


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([1, 1, 1], D(0)),
        ([5, 5], D(100)),
        ([3], D(50)),
        ([2, 3, None, 4], D(50)),  # N/A does not count
        ([4, 5], D("87.5")),
        ([None, None], None),
        ([], None),
    ],
)
def test_area_score_scales_the_mean_to_0_100(scores, expected):
    assert area_score(scores) == expected


@pytest.mark.parametrize("bad", [[0], [6], [3, 7]])
def test_scores_outside_1_to_5_are_refused(bad):
    with pytest.raises(ValueError, match="1 to 5"):
        area_score(bad)


def test_overall_score_is_the_mean_of_scored_areas():
    assert overall_score({"STRATEGY": D(50), "FINANCE": D(100), "IT": None}) == D(75)
    assert overall_score({"IT": None}) is None
