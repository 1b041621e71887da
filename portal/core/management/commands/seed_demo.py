from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.core.demo import DEMO_PASSWORD, demo_users_seed


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG=0 (the demo users have a published password).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusing to create demo users with published passwords when DEBUG=0.")
        seeded = demo_users_seed()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for spec, _user in seeded:
            self.stdout.write(f"  {spec.role:<12} {spec.email:<28} {spec.description}")
