"""Mark failed every import whose worker died or that is stuck past the timeout."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cfit.monitoring.imports import RUNNING, imports_fail_stuck
from cfit.monitoring.models import PurchaseImport


class Command(BaseCommand):
    help = (
        "Mark failed every purchase import still running with no progress for "
        "IMPORT_STUCK_MINUTES, tell its owner and remove its file. Run it every few "
        "minutes (cron or a systemd timer) and when the task worker starts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the stuck imports; change nothing and tell no one.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        if dry_run:
            cutoff = timezone.now() - timedelta(minutes=settings.IMPORT_STUCK_MINUTES)
            count = PurchaseImport.objects.filter(
                status__in=RUNNING, updated_at__lt=cutoff
            ).count()
            self.stdout.write(f"{count} stuck import(s) would be marked failed.")
            return
        count = imports_fail_stuck()
        noun = "import" if count == 1 else "imports"
        self.stdout.write(f"{count} stuck {noun} marked failed.")
