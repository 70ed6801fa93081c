"""Rebuild every report's summary rows from the purchase lines."""

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from cfit.dashboards.caching import figures_changed
from cfit.monitoring.summaries import refresh_all


class Command(BaseCommand):
    help = "Recompute the per-report summaries the figures and dashboards add up."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            rows = refresh_all()
            # No report's version moves: the dashboards' kept sums must be made again.
            transaction.on_commit(figures_changed)
        self.stdout.write(
            f"{rows} summary rows rebuilt in {time.perf_counter() - started:.1f} s."
        )
