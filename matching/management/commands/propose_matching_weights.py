"""Fit the component weights on outcomes and compare them with the current ones (matching/understanding/
learning.py); ``--adopt`` saves the proposal as a new MatchingWeights version when it beats the current."""

from django.core.management.base import BaseCommand

from matching.models import MatchingWeights
from matching.scoring import COMPONENTS
from matching.understanding.learning import fit, outcome_rows


class Command(BaseCommand):
    help = "Propose matching weights learned from interest and introduction outcomes."

    def add_arguments(self, parser):
        parser.add_argument("--adopt", action="store_true", help="Save the proposal if it beats the current.")

    def handle(self, *args, adopt: bool = False, **options):
        weights = MatchingWeights.objects.order_by("-pk").first() or MatchingWeights()
        current = {name: getattr(weights, name) for name in COMPONENTS}
        rows = outcome_rows()
        proposal = fit(rows, current)
        if proposal is None:
            self.stdout.write(
                f"Not enough outcomes to learn from ({len(rows)} labelled pairs, both kinds needed)."
            )
            return
        auc = f"current {proposal.auc_current}, proposed {proposal.auc_proposed}"
        self.stdout.write(f"{proposal.pairs} labelled pairs; held-out ROC AUC: {auc}")
        for name in COMPONENTS:
            self.stdout.write(f"  {name:16} {proposal.current[name]:.4f} -> {proposal.proposed[name]:.4f}")
        if adopt and proposal.better:
            version = MatchingWeights.objects.create(
                **proposal.proposed,
                missing_certification_penalty=weights.missing_certification_penalty,
                top_k=weights.top_k,
                note=f"learned from {proposal.pairs} outcomes: "
                f"AUC {proposal.auc_current} -> {proposal.auc_proposed}",
            )
            self.stdout.write(f"Adopted as v{version.pk}.")
        elif adopt:
            self.stdout.write("Not adopted: the proposal does not beat the current weights.")
