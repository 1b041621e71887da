import json as jsonlib

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from matching.reasons_text import render_reasons
from matching.selectors import proposal_list_for_company
from portal.companies.models import Company


class Command(BaseCommand):
    help = "Print a company's best partners, best first (--json: external_id, name, score, reasons)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("external_id")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--language", default="en", choices=["en", "th", "ja"])

    def handle(self, *args, external_id: str, limit: int, json: bool, language: str, **options) -> None:
        company = Company.objects.filter(external_id=external_id).first()
        if company is None:
            raise CommandError(f"No company with external_id {external_id!r}.")
        if limit < 1:
            raise CommandError("--limit must be 1 or more.")
        with translation.override(language):
            rows = [
                {
                    "external_id": proposal.partner.external_id or f"portal-{proposal.partner_id}",
                    "name": proposal.partner.display_name(),
                    "score": round(proposal.score, 2),
                    "rank": proposal.rank,
                    "components": proposal.components,
                    "reasons": render_reasons(proposal.reasons),
                    "reason_codes": proposal.reasons,
                }
                for proposal in proposal_list_for_company(company=company)[:limit]
            ]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            self.stdout.write(f"{row['rank']:>3}. {row['score']:6.2f}  {row['name']} ({row['external_id']})")
            for reason in row["reasons"]:
                self.stdout.write(f"        - {reason}")


def _dumps(rows) -> str:
    return jsonlib.dumps(rows, ensure_ascii=False, indent=2)
