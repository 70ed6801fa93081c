from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cfit.operations.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write one archive with a consistent copy of the database, the uploaded files "
        "and a manifest of row counts and checksums (restore it with `restore`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="the archive to write, e.g. cfit.tar.gz")

    def handle(self, *args, out: str, **options):
        try:
            manifest = write_backup(Path(out))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows:,} rows) and "
            f"{len(manifest['media'])} uploaded files to {out}."
        )
