"""Ranking quality (pure): nDCG@k against graded relevance judgments."""

import math
from collections.abc import Sequence


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
