"""How a proposed ``MatchingWeights`` version would rank, beside the current one (pure: no database).

Both are judged on pairs the proposal was not fitted on:

* **past outcomes, held out**: the 30 % of labelled pairs that ``learning.fit`` kept apart; each company's
  held-out partners are ranked by each weight vector, a good outcome graded 2 ("good"), a bad one 0;
* **judged pairs**: the hand-graded queries of tests/matching/data/judgments.json whose companies are on
  this portal (the demo's, on a demo database), per group of the file; each query's proposed partners are
  re-ranked (the scorer's candidates stay those of the current run).

A score is re-computed from the components a proposal stored: Σ wᵢcᵢ / Σ wᵢ × P, where P, the
missing-certificate factor, is the same under both vectors (the proposal keeps the penalty) and is read
back from the stored score and the weights that produced it. The figures are nDCG@10 and P@5
(matching/evaluation.py). A proposal **wins** when its held-out ROC AUC is higher and no overall figure
(outcomes, judged pairs) is lower: only then may an admin adopt it.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from matching.evaluation import RELEVANT, ndcg_at_k, precision_at_k
from matching.scoring import COMPONENTS

GOOD_OUTCOME_GRADE = RELEVANT  # a good outcome counts as a partner graded "good"


@dataclass(frozen=True)
class Pair:
    """One proposed pair: the query company, the partner, the stored components and the factor P."""

    query: str
    partner: str
    components: Mapping[str, float]
    factor: float = 1.0


@dataclass(frozen=True)
class Figures:
    ndcg10: float
    p5: float


@dataclass(frozen=True)
class Row:
    """One line of the comparison: what was measured (``key``, ``label``), on how many queries."""

    key: str
    label: str
    queries: int
    current: Figures
    proposed: Figures
    overall: bool = False  # an overall line must not get worse for the proposal to win

    @property
    def better(self) -> bool:
        return (self.proposed.ndcg10, self.proposed.p5) > (self.current.ndcg10, self.current.p5)

    @property
    def worse(self) -> bool:
        return self.proposed.ndcg10 < self.current.ndcg10


def score(components: Mapping[str, float], weights: Mapping[str, float], factor: float = 1.0) -> float:
    total = sum(weights[name] for name in COMPONENTS)
    if total <= 0:
        return 0.0
    return 100.0 * sum(weights[name] * components.get(name, 0.0) for name in COMPONENTS) / total * factor


def factor_from(stored_score: float, components: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """P read back from a stored score and the weights that produced it (1.0 when it cannot be)."""
    unpenalised = score(components, weights)
    if unpenalised <= 0:
        return 1.0
    return max(0.0, min(1.0, stored_score / unpenalised))


def rankings(pairs: Iterable[Pair], weights: Mapping[str, float]) -> dict[str, list[str]]:
    """Each query's partners, best first under ``weights`` (ties by partner id, as stable as the data)."""
    scored: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for pair in pairs:
        scored[pair.query].append((-score(pair.components, weights, pair.factor), pair.partner))
    return {query: [partner for _s, partner in sorted(items)] for query, items in scored.items()}


def figures(ranked: Mapping[str, Sequence[str]], judgments: Mapping[str, Mapping[str, int]]) -> Figures:
    """Mean nDCG@10 and P@5 over the queries of ``judgments`` (0.0 each when there is none)."""
    if not judgments:
        return Figures(0.0, 0.0)
    ndcg = [ndcg_at_k(ranked.get(query, []), judged, 10) for query, judged in judgments.items()]
    precision = [precision_at_k(ranked.get(query, []), judged, 5) for query, judged in judgments.items()]
    return Figures(round(sum(ndcg) / len(ndcg), 4), round(sum(precision) / len(precision), 4))


def compare(
    *,
    key: str,
    label: str,
    pairs: Sequence[Pair],
    judgments: Mapping[str, Mapping[str, int]],
    current: Mapping[str, float],
    proposed: Mapping[str, float],
    overall: bool = False,
) -> Row | None:
    """One comparison row over the queries of ``judgments`` that have a relevant partner among ``pairs``;
    None when there is no such query."""
    present = {(pair.query, pair.partner) for pair in pairs}
    usable = {
        query: dict(judged)
        for query, judged in judgments.items()
        if any(grade >= RELEVANT and (query, partner) in present for partner, grade in judged.items())
    }
    if not usable:
        return None
    mine = [pair for pair in pairs if pair.query in usable]
    return Row(
        key=key,
        label=label,
        queries=len(usable),
        current=figures(rankings(mine, current), usable),
        proposed=figures(rankings(mine, proposed), usable),
        overall=overall,
    )


def outcome_judgments(labelled: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """(query, partner, label 0/1) → graded judgments: a good outcome is "good", a bad one 0."""
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    for query, partner, label in labelled:
        judged[query][partner] = GOOD_OUTCOME_GRADE if label else 0
    return dict(judged)


def wins(*, auc_current: float, auc_proposed: float, rows: Sequence[Row]) -> bool:
    """Higher held-out ROC AUC, and no overall line worse."""
    return auc_proposed > auc_current and not any(row.worse for row in rows if row.overall)
