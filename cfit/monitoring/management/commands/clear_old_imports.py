"""Delete uploaded files that were checked but never stored, after a few days."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cfit.monitoring.models import PurchaseImport


class Command(BaseCommand):
    help = (
        "Delete uploads older than --days (default 7) and their files: purchase data "
        "that was never stored is not kept. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        old = PurchaseImport.objects.filter(
            created_at__lt=timezone.now() - timedelta(days=options["days"])
        )
        count = old.count()
        if not options["dry_run"]:
            for purchase_import in old.iterator():
                if purchase_import.file:
                    purchase_import.file.delete(save=False)
                purchase_import.delete()
        verb = "would be deleted (dry run)" if options["dry_run"] else "deleted"
        self.stdout.write(f"{count} old upload(s) {verb}.")
