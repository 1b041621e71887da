"""Ranking quality (pure): nDCG@k, P@k and the near-miss rate against graded relevance judgments.

The judgments are tests/matching/data/judgments.json (grades 3 excellent, 2 good, 1 marginal; unlisted 0)
and the rubric is docs/matching-judgments.md. Rankings are partner ids, best first.
"""

import math
from collections.abc import Iterable, Sequence

RELEVANT = 2  # "relevant" for P@k and recall: graded good or excellent


def dcg(grades: Sequence[int]) -> float:
    return sum((2**grade - 1) / math.log2(position + 2) for position, grade in enumerate(grades))


def ndcg_at_k(ranking: Sequence[str], judgments: dict[str, int], k: int = 10) -> float:
    """nDCG@k of ``ranking`` (ids, best first); unjudged ids count as 0. 0.0 when nothing is relevant."""
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judgments.get(item, 0) for item in ranking[:k]]) / ideal


def mean_ndcg(rankings: dict[str, Sequence[str]], queries: dict[str, dict[str, int]], k: int = 10) -> float:
    scores = [ndcg_at_k(rankings.get(query, []), judged, k) for query, judged in queries.items()]
    return sum(scores) / len(scores)


def precision_at_k(
    ranking: Sequence[str], judgments: dict[str, int], k: int = 5, min_grade: int = RELEVANT
) -> float:
    """Share of the first ``k`` places held by partners graded ``min_grade`` or more (empty places miss)."""
    return sum(1 for item in ranking[:k] if judgments.get(item, 0) >= min_grade) / k


def mean_precision(
    rankings: dict[str, Sequence[str]],
    queries: dict[str, dict[str, int]],
    k: int = 5,
    min_grade: int = RELEVANT,
) -> float:
    scores = [
        precision_at_k(rankings.get(query, []), judged, k, min_grade) for query, judged in queries.items()
    ]
    return sum(scores) / len(scores)


def relevant_in_top_k(
    rankings: dict[str, Sequence[str]],
    queries: dict[str, dict[str, int]],
    k: int = 10,
    min_grade: int = RELEVANT,
) -> tuple[int, int]:
    """(relevant partners that reach a query's top ``k``, relevant partners in all), over every query."""
    found = total = 0
    for query, judged in queries.items():
        top = set(rankings.get(query, [])[:k])
        relevant = [partner for partner, grade in judged.items() if grade >= min_grade]
        total += len(relevant)
        found += sum(1 for partner in relevant if partner in top)
    return found, total


def near_miss_rate(
    rankings: dict[str, Sequence[str]], near_misses: dict[str, Iterable[str]], k: int = 5
) -> tuple[int, int]:
    """(top-``k`` places held by a listed near miss, top-``k`` places filled), over queries with near misses.

    The rate is the first over the second; a query whose list is shorter than ``k`` fills fewer places."""
    held = filled = 0
    for query, distractors in near_misses.items():
        top = list(rankings.get(query, []))[:k]
        distractors = set(distractors)
        filled += len(top)
        held += sum(1 for partner in top if partner in distractors)
    return held, filled


def subset(queries: dict[str, dict[str, int]], ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """The queries whose ids are in ``ids`` (a group of judgments.json), in the group's order."""
    return {query: queries[query] for query in ids}
