from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cfit.operations.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database and media "
        "folder, then check every row count and checksum against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="an archive written by `backup`")

    def handle(self, *args, archive: str, **options):
        try:
            restored = restore_archive(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {restored.tables} tables ({restored.rows:,} rows) and "
            f"{restored.files} uploaded files from {archive}; every count and "
            "checksum matches the manifest."
        )
