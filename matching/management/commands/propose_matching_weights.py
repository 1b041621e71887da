"""Fit the component weights on outcomes and compare them with the current ones on held-out outcomes and
judged pairs (matching/understanding/adoption.py); ``--adopt`` saves the proposal as a new MatchingWeights
version when it wins (the rule the admin's "Weights learned from outcomes" page applies too)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from matching.understanding.adoption import matching_weights_adopt_from_command, weights_comparison
from matching.understanding.learning import outcome_rows


class Command(BaseCommand):
    help = "Propose matching weights learned from interest and introduction outcomes."

    def add_arguments(self, parser):
        parser.add_argument("--adopt", action="store_true", help="Save the proposal if it beats the current.")

    def handle(self, *args, adopt: bool = False, **options):
        found = weights_comparison()
        if found is None:
            pairs = len(outcome_rows())
            self.stdout.write(
                f"Not enough outcomes to learn from ({pairs} labelled pairs, both kinds needed)."
            )
            return
        proposal = found.proposal
        auc = f"current {proposal.auc_current}, proposed {proposal.auc_proposed}"
        self.stdout.write(f"{proposal.pairs} labelled pairs; held-out ROC AUC: {auc}")
        for name, current, proposed in found.components:
            self.stdout.write(f"  {name:16} {current:.4f} -> {proposed:.4f}")
        for row in found.rows:
            self.stdout.write(
                f"  {row.key:16} {row.queries:4} queries  nDCG@10 {row.current.ndcg10:.4f} -> "
                f"{row.proposed.ndcg10:.4f}  P@5 {row.current.p5:.4f} -> {row.proposed.p5:.4f}"
            )
        if not adopt:
            return
        try:
            version = matching_weights_adopt_from_command(found=found)
        except ValidationError:
            self.stdout.write("Not adopted: the proposal does not beat the current weights.")
            return
        self.stdout.write(f"Adopted as v{version.pk}.")
