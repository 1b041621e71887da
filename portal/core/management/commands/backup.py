from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back the portal up into one tar archive: a consistent database dump (pg_dump custom format, or "
        "SQLite's online backup), every public and private file (read through the storages, S3 too) and "
        "a manifest with versions, migrations, row counts and SHA-256 checksums. DEST is a new file "
        "(.tar, or .tar.gz to compress) or a folder to write a dated archive in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("destination", type=Path, metavar="DEST")

    def handle(self, *args, destination: Path, **options) -> None:
        try:
            manifest = create_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for kind, names in manifest["missing_files"].items():
            for name in names:
                self.stderr.write(self.style.WARNING(f"Missing from the {kind} storage: {name}"))
        files = {kind: len(entries) for kind, entries in manifest["files"].items()}
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
                f"{files['public']} public and {files['private']} private files to {manifest['path']}"
            )
        )
