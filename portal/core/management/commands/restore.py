from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty installation: a blank database "
        "(created, not migrated) and empty file storages. Verifies every checksum first, refuses another "
        "migration state, and checks the row counts afterwards. --check only verifies."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, metavar="ARCHIVE")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the archive (checksums, migrations) against this code; write nothing.",
        )

    def handle(self, *args, archive: Path, check: bool, **options) -> None:
        try:
            manifest = restore_backup(archive, check_only=check)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = {kind: len(entries) for kind, entries in manifest["files"].items()}
        summary = (
            f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
            f"{files['public']} public and {files['private']} private files "
            f"(portal {manifest['portal_version']}, {manifest['created_at']})"
        )
        if check:
            self.stdout.write(self.style.SUCCESS(f"The archive is intact and fits this code: {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Restored {summary}."))
