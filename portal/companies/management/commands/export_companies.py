import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from portal.companies.importer import export_csv, export_xlsx
from portal.companies.models import Company


class Command(BaseCommand):
    help = "Export companies with the import columns (CSV or XLSX), so the file re-imports as it is."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output, CSV only).")
        parser.add_argument("--verified-only", action="store_true")

    def handle(self, *args, **options) -> None:
        companies = Company.objects.verified() if options["verified_only"] else Company.objects.all()
        data = export_xlsx(companies) if options["format"] == "xlsx" else export_csv(companies.order_by("pk"))
        if options["output"]:
            options["output"].write_bytes(data)
            self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}"))
        elif options["format"] == "xlsx":
            self.stderr.write("XLSX needs --output FILE.")
            sys.exit(2)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
