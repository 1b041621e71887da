"""Proposing and adopting learned matching weights (issue 18, "Learning from outcomes").

``weights_comparison`` fits a proposal on the outcomes (matching/understanding/learning.py) and compares
it with the weights in force on held-out outcomes and judged pairs (matching/understanding/comparison.py);
the admin shows it (``MatchingWeightsAdmin``, page "Propose weights from outcomes").
``matching_weights_adopt`` saves the proposal as a new ``MatchingWeights`` version, and refuses when the
proposal does not win. The judged pairs are read from ``settings.MATCHING_JUDGMENTS_FILE`` (by default
tests/matching/data/judgments.json; missing → no judged lines); only the queries whose companies are on
this portal count (the demo's, on a demo database).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matching.models import MatchingWeights, MatchProposal
from matching.scoring import COMPONENTS
from matching.understanding import comparison
from matching.understanding.learning import Proposal, fit, labelled_proposals
from portal.companies.models import Company, Country


@dataclass(frozen=True)
class WeightsComparison:
    weights: MatchingWeights  # the version in force
    proposal: Proposal
    rows: tuple[comparison.Row, ...]
    wins: bool

    @property
    def components(self) -> list[tuple[str, float, float]]:
        """(component, current weight, proposed weight), in the scorer's order."""
        return [(name, self.proposal.current[name], self.proposal.proposed[name]) for name in COMPONENTS]


def current_weights() -> MatchingWeights:
    return MatchingWeights.objects.order_by("-pk").first() or MatchingWeights()


def _judgments() -> dict:
    path = Path(
        getattr(settings, "MATCHING_JUDGMENTS_FILE", settings.BASE_DIR / "tests/matching/data/judgments.json")
    )
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _pair(query: str, partner: str, proposal: MatchProposal) -> comparison.Pair:
    used = {name: getattr(proposal.weights, name) for name in COMPONENTS}
    factor = comparison.factor_from(proposal.score, proposal.components, used)
    return comparison.Pair(query=query, partner=partner, components=proposal.components, factor=factor)


def _outcome_rows(labelled, proposal: Proposal, current, proposed) -> list[comparison.Row]:
    held_out = [labelled[index] for index in proposal.held_out]
    countries = dict(
        Company.objects.filter(pk__in={p.company_id for p, _label in held_out}).values_list("pk", "country")
    )
    rows = []
    groups = [
        ("outcomes", _("Past outcomes, held out"), None),
        ("outcomes-th", _("Past outcomes, held out: Thai companies"), Country.THAILAND),
        ("outcomes-jp", _("Past outcomes, held out: Japanese companies"), Country.JAPAN),
    ]
    for key, label, country in groups:
        mine = [(p, lab) for p, lab in held_out if country is None or countries.get(p.company_id) == country]
        pairs = [_pair(str(p.company_id), str(p.partner_id), p) for p, _lab in mine]
        judged = comparison.outcome_judgments((str(p.company_id), str(p.partner_id), lab) for p, lab in mine)
        row = comparison.compare(
            key=key,
            label=label,
            pairs=pairs,
            judgments=judged,
            current=current,
            proposed=proposed,
            overall=country is None,
        )
        if row is not None:
            rows.append(row)
    return rows


def _judged_rows(current, proposed) -> list[comparison.Row]:
    data = _judgments()
    queries = data.get("queries", {})
    if not queries:
        return []
    proposals = (
        MatchProposal.objects.filter(company__external_id__in=list(queries))
        .select_related("weights", "company", "partner")
        .defer("reasons")
    )
    pairs = [_pair(p.company.external_id, p.partner.external_id or "", p) for p in proposals]
    rows = []
    overall = comparison.compare(
        key="judged",
        label=_("Judged pairs"),
        pairs=pairs,
        judgments=queries,
        current=current,
        proposed=proposed,
        overall=True,
    )
    if overall is not None:
        rows.append(overall)
    for group, ids in data.get("groups", {}).items():
        row = comparison.compare(
            key=f"judged-{group}",
            label=_("Judged pairs: group “%(group)s”") % {"group": group},
            pairs=pairs,
            judgments={query: queries[query] for query in ids if query in queries},
            current=current,
            proposed=proposed,
        )
        if row is not None:
            rows.append(row)
    return rows


def weights_comparison(*, seed: int = 0) -> WeightsComparison | None:
    """The proposal learned from outcomes beside the weights in force; None when the outcomes are too
    few (or of one kind) to learn from."""
    weights = current_weights()
    current = {name: getattr(weights, name) for name in COMPONENTS}
    labelled = labelled_proposals()
    proposal = fit([(p.components, label, p.rank) for p, label in labelled], current, seed=seed)
    if proposal is None:
        return None
    rows = _outcome_rows(labelled, proposal, current, proposal.proposed)
    rows += _judged_rows(current, proposal.proposed)
    wins = comparison.wins(auc_current=proposal.auc_current, auc_proposed=proposal.auc_proposed, rows=rows)
    return WeightsComparison(weights=weights, proposal=proposal, rows=tuple(rows), wins=wins)


@transaction.atomic
def matching_weights_adopt(*, actor) -> MatchingWeights:
    """Save the proposal learned from outcomes as a new weights version (in force for the next rescoring),
    only when it beats the current weights (``comparison.wins``)."""
    if not (actor.is_active and actor.is_staff and actor.has_perm("matching.add_matchingweights")):
        raise ValidationError(_("Only an administrator may adopt new matching weights."), code="not_allowed")
    return _adopt(weights_comparison())


@transaction.atomic
def matching_weights_adopt_from_command(*, found: WeightsComparison | None) -> MatchingWeights:
    """``propose_matching_weights --adopt``: the same rule, for the operator at the console."""
    return _adopt(found)


def _adopt(found: WeightsComparison | None) -> MatchingWeights:
    if found is None:
        raise ValidationError(
            _("There are not enough outcomes to learn from yet: nothing was adopted."),
            code="not_enough_outcomes",
        )
    if not found.wins:
        raise ValidationError(
            _("The proposed weights do not beat the current ones on held-out pairs: nothing was adopted."),
            code="proposal_not_better",
        )
    proposal = found.proposal
    return MatchingWeights.objects.create(
        **proposal.proposed,
        missing_certification_penalty=found.weights.missing_certification_penalty,
        top_k=found.weights.top_k,
        note=f"learned from {proposal.pairs} outcomes: AUC {proposal.auc_current} -> {proposal.auc_proposed}",
    )
