from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.companies.importer import import_rows
from portal.companies.signals import announcements_suppressed
from portal.core.demo import DEMO_PASSWORD, demo_companies_seed, demo_users_seed
from portal.core.synthetic import synthetic_rows


class Command(BaseCommand):
    help = (
        "Load the demo data (idempotent): 40 Thai and 30 Japanese companies with postings, and one user per "
        "role; --scale N adds N synthetic companies per country for benchmarks."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=0, help="Synthetic companies per country to add.")
        parser.add_argument("--skip-matching", action="store_true", help="Do not compute match proposals.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG=0 (the demo users have a published password).",
        )

    def handle(self, *args, scale: int, allow_production: bool, skip_matching: bool, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusing to create demo users with published passwords when DEBUG=0.")
        if scale < 0:
            raise CommandError("--scale must be 0 or more.")
        with announcements_suppressed():  # one full recompute at the end instead of one per company
            result = demo_companies_seed()
        self.stdout.write(f"Demo companies: {result.created} created, {result.updated} updated.")
        if scale:
            synthetic = import_rows(rows=synthetic_rows(scale))
            self.stdout.write(
                f"Synthetic companies: {synthetic.created} created, {synthetic.updated} updated."
            )
        seeded = demo_users_seed()
        from portal.showcase.demo import showcase_demo_seed

        with announcements_suppressed():
            self.stdout.write(f"Demo products: {showcase_demo_seed()} created.")
        if apps.is_installed("shindan"):
            from shindan.demo import shindan_demo_seed

            self.stdout.write(f"Shindan diagnoses: {shindan_demo_seed()} created.")
        if not skip_matching and apps.is_installed("matching"):
            from matching.services import run_full_inline

            run = run_full_inline()
            self.stdout.write(f"Matches: {run.proposals} proposals for {run.companies} companies.")
            from matching.demo import matching_demo_seed

            self.stdout.write(f"Mutual interests: {matching_demo_seed()} created.")
        if apps.is_installed("events"):
            from events.demo import events_demo_seed, upcoming_demo_seed

            event = events_demo_seed()
            if event is not None:
                self.stdout.write(f"Event: {event} with {event.meetings.count()} published meetings.")
            upcoming = upcoming_demo_seed()
            if upcoming is not None:
                self.stdout.write(
                    f"Event to come: {upcoming} on {upcoming.starts_on:%d %B %Y}, "
                    f"{upcoming.participants.count()} companies registered or invited."
                )
        if apps.is_installed("deals"):
            from deals.demo import deals_demo_seed

            self.stdout.write(f"Deals: {deals_demo_seed()} demo conversations created.")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for spec, _user in seeded:
            self.stdout.write(f"  {spec.role:<12} {spec.email:<28} {spec.description}")
        if apps.is_installed("deals"):
            from deals.demo import OTHER_MEMBERS

            for email, description in OTHER_MEMBERS:
                self.stdout.write(f"  {'member':<12} {email:<28} {description}")
