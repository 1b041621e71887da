"""How the weights in force were chosen: a grid over the weights, fitted and checked on the hand-judged pairs.

The judged corpus (tests/matching/data/judged_companies.csv) is imported into an empty database and every
Thai × Japanese pair's components are computed once (``component_block``: components do not depend on the
weights). Each point of the grid (the five weights on the simplex in steps of 0.05, each at least 0.05; the
missing-certification penalty 0.3, 0.4 or 0.5) ranks every judged query's partners by the score formula
(matching/scoring/__init__.py) and is measured by nDCG@10 and by the share of top-5 places held by a near miss
(tests/matching/data/judgments.json; rubric in docs/matching-judgments.md). Points whose near misses exceed
NEAR_MISS_LIMIT are left out.

Cross-validation: the judged queries are cut in random halves SPLITS times; the best point on one half is
measured on the other, beside the weights shipped before (the baseline) on the same half. The demo set
(portal/core/demo_data/companies.json) is never used in the fit: ``bench_quality`` measures it through the
stable contract, with every tie-breaker, which this offline ranking (ties by position) leaves out.
Quality figures, not timings; nothing is asserted here.
"""

import io
import itertools
import random
from contextlib import redirect_stdout

import numpy as np

from bench._env import bench_database
from bench.bench_quality import DATA, _judgments

NAMES = ("industry", "complementarity", "certification", "text", "practical")
STEP = 20  # the simplex in steps of 1/20
PENALTIES = (0.3, 0.4, 0.5)
NEAR_MISS_LIMIT = 0.03  # the limit is 5 %; the fit keeps a margin
SPLITS = 20
LIMIT = 10
SHIPPED_BEFORE = (
    (0.25, 0.30, 0.15, 0.15, 0.15),
    0.5,
)  # the weights of a new installation until migration 0009


def _components():
    from django.core.management import call_command

    from matching.features import vocabulary
    from matching.features.loading import load_features
    from matching.scoring import component_block, prepare
    from portal.companies.models import Company

    with redirect_stdout(io.StringIO()):
        call_command("import_companies", str(DATA / "judged_companies.csv"))
    thai, japanese = load_features(country="TH"), load_features(country="JP")
    external = dict(Company.objects.values_list("pk", "external_id"))
    blocks = component_block(*prepare(thai, japanese, vocabulary()))
    components = np.stack([blocks[name] for name in NAMES])  # 5 × Thai × Japanese
    return (
        components,
        blocks["_certification_floor"],
        [external[f.id] for f in thai],
        [external[f.id] for f in japanese],
    )


def _grid() -> tuple[np.ndarray, np.ndarray]:
    simplex = [w for w in itertools.product(range(1, STEP), repeat=len(NAMES)) if sum(w) == STEP]
    weights = np.array(simplex, dtype=float) / STEP
    return np.vstack([weights] * len(PENALTIES)), np.repeat(PENALTIES, len(weights))


def _measure(weights, penalties, components, floor, thai, japanese, queries, near_misses):
    """(points × queries) nDCG@10, and per point the near misses and the filled places of the top 5."""
    position = {external_id: ("TH", i) for i, external_id in enumerate(thai)}
    position |= {external_id: ("JP", i) for i, external_id in enumerate(japanese)}
    discount = 1 / np.log2(np.arange(2, LIMIT + 2))
    ndcg = np.zeros((len(weights), len(queries)))
    held = np.zeros(len(weights))
    filled = np.zeros(len(weights))
    for column, (query, judged) in enumerate(queries.items()):
        country, index = position[query]
        if country == "TH":
            values, certificate, partners = components[:, index, :], floor[index], japanese
        else:
            values, certificate, partners = components[:, :, index], floor[:, index], thai
        scores = 100 * (weights @ values) * (1 - penalties[:, None] * (1 - certificate[None, :]))
        scores = np.where(scores >= 1.0, scores, -np.inf)  # MIN_SCORE: never proposed
        order = np.lexsort((np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores))[:, :LIMIT]
        proposed = np.take_along_axis(scores, order, axis=1) > -np.inf
        grades = np.array([judged.get(partner, 0) for partner in partners])
        gains = np.where(proposed, 2.0 ** grades[order] - 1, 0.0)
        ideal = np.sort(np.array(list(judged.values()), dtype=float))[::-1][:LIMIT]
        best = ((2.0**ideal - 1) * discount[: len(ideal)]).sum()
        ndcg[:, column] = (gains * discount).sum(axis=1) / best if best else 0.0
        if query in near_misses:
            near = np.isin(np.array(partners), near_misses[query])
            held += (near[order[:, :5]] & proposed[:, :5]).sum(axis=1)
            filled += proposed[:, :5].sum(axis=1)
    return ndcg, held / np.maximum(filled, 1)


def main() -> None:
    from matching.scoring import Weights

    judgments = _judgments()
    demo = set(judgments["groups"]["demo"])
    queries = {query: judged for query, judged in judgments["queries"].items() if query not in demo}
    free_text = np.array([query in set(judgments["groups"]["free_text_only"]) for query in queries])
    with bench_database():
        components, floor, thai, japanese = _components()

    weights, penalties = _grid()
    in_force = Weights()
    points = [
        SHIPPED_BEFORE,
        (tuple(getattr(in_force, name) for name in NAMES), in_force.missing_certification_penalty),
    ]
    weights = np.vstack([weights, [p[0] for p in points]])
    penalties = np.concatenate([penalties, [p[1] for p in points]])
    ndcg, near = _measure(
        weights, penalties, components, floor, thai, japanese, queries, judgments["near_misses"]
    )
    before, now = len(weights) - 2, len(weights) - 1
    allowed = near <= NEAR_MISS_LIMIT
    allowed[[before, now]] = False  # the grid only

    rng = random.Random(2026)
    held_out = []
    for _ in range(SPLITS):
        order = list(range(len(queries)))
        rng.shuffle(order)
        fit, check = np.array(order[: len(order) // 2]), np.array(order[len(order) // 2 :])
        best = int(np.argmax(np.where(allowed, ndcg[:, fit].mean(axis=1), -1.0)))
        held_out.append((ndcg[best, check].mean(), ndcg[before, check].mean()))
    held_out = np.array(held_out)
    gain = held_out[:, 0] - held_out[:, 1]

    print(
        f"{len(weights) - 2:,} grid points × {len(queries)} judged queries "
        f"({int(free_text.sum())} free text only);"
    )
    print(f"near misses in the top 5 at most {NEAR_MISS_LIMIT:.0%} ({int(allowed.sum()):,} points)")
    print(
        f"{'weights (industry, compl., cert., text, practical; penalty)':<62}"
        f"{'nDCG':>7}{'free':>7}{'near':>7}"
    )
    for label, index in (("shipped before (the baseline)", before), ("in force (matching 0009)", now)):
        print(
            f"{label:<62}{ndcg[index].mean():>7.3f}{ndcg[index][free_text].mean():>7.3f}{near[index]:>7.1%}"
        )
    for index in np.argsort(-np.where(allowed, ndcg.mean(axis=1), -1.0))[:5]:
        label = ", ".join(f"{w:.2f}" for w in weights[index]) + f"; {penalties[index]:.1f}"
        print(
            f"  grid: {label:<54}{ndcg[index].mean():>7.3f}"
            f"{ndcg[index][free_text].mean():>7.3f}{near[index]:>7.1%}"
        )
    print(
        f"{SPLITS} random halves, fitted on one and measured on the other: nDCG {held_out[:, 0].mean():.3f} "
        f"against {held_out[:, 1].mean():.3f} for the baseline "
        f"(gain {gain.mean():+.3f}, smallest {gain.min():+.3f})"
    )
