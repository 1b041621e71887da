from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching import services, tasks
from portal.companies.models import Company


class Command(BaseCommand):
    help = (
        "Recompute match proposals: all companies (sharded into Celery tasks when workers are configured, "
        "inline otherwise), or one company with --company EXTERNAL_ID."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--company", metavar="EXTERNAL_ID", help="Only this company (and the lists it enters)."
        )
        parser.add_argument(
            "--inline", action="store_true", help="Run here even when workers are configured."
        )

    def handle(self, *args, company: str | None, inline: bool, **options) -> None:
        if company:
            target = Company.objects.filter(external_id=company).first()
            if target is None:
                raise CommandError(f"No company with external_id {company!r}.")
            run = services.match_company(company_id=target.pk)
            self.stdout.write(self.style.SUCCESS(f"{run}: {run.proposals} proposals for {target}."))
            return
        if inline or settings.CELERY_TASK_ALWAYS_EAGER:
            run = services.run_full_inline()
            self.stdout.write(
                self.style.SUCCESS(f"{run}: {run.companies} companies, {run.proposals} proposals.")
            )
            return
        run_id = tasks.recompute_all.delay().get(timeout=60)
        self.stdout.write(self.style.SUCCESS(f"Full recompute #{run_id} queued in shards for the workers."))
