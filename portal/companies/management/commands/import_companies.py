from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.companies.importer import ImportFailed, file_size_error, import_companies


class Command(BaseCommand):
    help = (
        "Import companies from a CSV (UTF-8, with header) or XLSX file. Idempotent on external_id; "
        "atomic: any invalid row and nothing is written. The same size, row, column and cell limits as "
        "the import page (settings PORTAL_IMPORT_*)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        too_big = file_size_error(file.stat().st_size)  # before reading it into memory
        if too_big:
            raise CommandError(f"{too_big} Nothing was imported.")
        try:
            result = import_companies(data=file.read_bytes(), filename=file.name)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(failure.errors)} error(s); nothing was imported.") from None
        summary = f"Imported: {result.created} created, {result.updated} updated."
        self.stdout.write(self.style.SUCCESS(summary))
