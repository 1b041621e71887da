"""Learning the component weights from outcomes (offline; scikit-learn).

Signal: a company's "interested" / "not interested" on a proposed partner, and introductions: talking, NDA,
samples, order or joint venture count as good outcomes, "not introduced" and "no deal" as bad ones. Each
labelled pair's features are the five components its proposal recorded. A logistic regression on them gives
a proposal of weights (positive coefficients, scaled to the current total), compared with the current
weights on held-out pairs (ROC AUC of the weighted sum). ``propose_matching_weights`` prints the comparison
and, with ``--adopt``, saves the proposal as a new ``MatchingWeights`` version only when it wins.

Guarding against feedback loops (the engine only learns about pairs it showed, ranked as it ranked them):
every pair is weighted by the inverse of its exposure (log2(rank + 1): a pair shown at rank 8 was seen less
than one at rank 1, so its outcome counts more); a weight moves by at most half of its value per version;
fewer than MIN_PAIRS labelled pairs, or pairs of one kind only, propose nothing; and a proposal is adopted
only when it beats the current weights on pairs it was not fitted on.
"""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matching.scoring import COMPONENTS

if TYPE_CHECKING:
    from matching.models import MatchProposal

MIN_PAIRS = 30
MAX_CHANGE = 0.5  # a weight moves by at most this share of its value per version
GOOD_STAGES = {"introduced", "talking", "nda", "samples", "order", "joint_venture"}
BAD_STAGES = {"declined", "no_deal"}


@dataclass(frozen=True)
class Proposal:
    current: dict[str, float]
    proposed: dict[str, float]
    pairs: int
    auc_current: float
    auc_proposed: float
    held_out: tuple[int, ...] = ()  # indexes of the rows kept apart from the fit (the comparison's)

    @property
    def better(self) -> bool:
        return self.auc_proposed > self.auc_current


def fit(rows: list[tuple[dict, int, int]], current: dict[str, float], *, seed: int = 0) -> Proposal | None:
    """``rows``: (components, label 0/1, rank shown). None when the signal is too thin to learn from."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    labels = np.array([label for _c, label, _r in rows])
    if len(rows) < MIN_PAIRS or labels.min() == labels.max():
        return None
    x = np.array([[components.get(name, 0.0) for name in COMPONENTS] for components, _l, _r in rows])
    exposure = np.array([math.log2(rank + 1) for _c, _l, rank in rows])
    x_fit, x_test, y_fit, y_test, w_fit, _w_test, _i_fit, i_test = train_test_split(
        x, labels, exposure, np.arange(len(rows)), test_size=0.3, random_state=seed, stratify=labels
    )
    if y_test.min() == y_test.max():
        return None
    model = LogisticRegression(random_state=seed).fit(x_fit, y_fit, sample_weight=w_fit)
    total = sum(current.values())
    coefficients = np.clip(model.coef_[0], 0.0, None)
    if coefficients.sum() <= 0:
        return None
    raw = coefficients / coefficients.sum() * total
    proposed = {}
    for name, value in zip(COMPONENTS, raw, strict=True):
        low, high = current[name] * (1 - MAX_CHANGE), current[name] * (1 + MAX_CHANGE)
        proposed[name] = round(float(min(max(value, low), high)), 4)
    vector_current = np.array([current[name] for name in COMPONENTS])
    vector_proposed = np.array([proposed[name] for name in COMPONENTS])
    return Proposal(
        current=dict(current),
        proposed=proposed,
        pairs=len(rows),
        auc_current=round(float(roc_auc_score(y_test, x_test @ vector_current)), 4),
        auc_proposed=round(float(roc_auc_score(y_test, x_test @ vector_proposed)), 4),
        held_out=tuple(sorted(int(index) for index in i_test)),
    )


def outcome_rows() -> list[tuple[dict, int, int]]:
    """(components, label, rank) of every proposed pair with an outcome (interest or introduction)."""
    return [(proposal.components, label, proposal.rank) for proposal, label in labelled_proposals()]


def labelled_proposals() -> list[tuple["MatchProposal", int]]:
    """(proposal, label) of every proposed pair with an outcome, in (company, partner) order."""
    from matching.models import Interest, Introduction, MatchProposal

    proposals = {
        (p.company_id, p.partner_id): p
        for p in MatchProposal.objects.select_related("weights").defer("reasons")
    }
    labels: dict[tuple[int, int], int] = {}
    for company_id, partner_id, interested in Interest.objects.values_list(
        "company_id", "partner_id", "interested"
    ):
        labels[(company_id, partner_id)] = int(interested)
    for thai, japanese, stage in Introduction.objects.values_list(
        "thai_company_id", "japanese_company_id", "stage"
    ):
        if stage in GOOD_STAGES or stage in BAD_STAGES:
            for pair in ((thai, japanese), (japanese, thai)):
                labels[pair] = int(stage in GOOD_STAGES)  # an introduction's outcome outweighs interest
    return [(proposals[pair], label) for pair, label in sorted(labels.items()) if pair in proposals]
