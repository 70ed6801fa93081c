"""Caching of the expensive aggregates, invalidated when the data behind them changes.

The cache key carries a fingerprint of the data the figures read: the purchase reports
(their count and the sum of their `version`, which monitoring's services raise on every
change to a report or its lines, plus their submission and acceptance times), the
demand forecasts, the approved signatures, and the current FactorSet. Reading the
fingerprint takes a few small queries on small tables, never on the lines; any change,
made by any web process, gives a new key, so no signal and no cross-process message is
needed. The fingerprint also carries a generation number that `figures_changed()`
raises: the services call it (on commit) from every write that changes what a
dashboard shows, memberships of buyer groups and signatures included, and so does the
admin of those rows (`FiguresAdminMixin`), so the next request sees the change at once.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

from cfit.impact.models import FactorSet
from cfit.monitoring.models import DemandForecast, PurchaseReport
from cfit.organisations.models import Signature

TIMEOUT_SECONDS = 60 * 60
# How long a value may stand in for one being rebuilt; longer than any rebuild takes.
REBUILD_SECONDS = 5 * 60
_BUMP_KEY = "dashboards:bump"


def figures_changed() -> None:
    """Make every cached dashboard figure stale (for writes outside the services)."""
    try:
        cache.incr(_BUMP_KEY)
    except ValueError:
        cache.set(_BUMP_KEY, 1, None)


def data_fingerprint() -> str:
    """A short text that changes whenever the data behind any dashboard changes.

    One round trip: three single-row aggregates over small tables, never the lines.
    """
    quote = connection.ops.quote_name
    report = quote(PurchaseReport._meta.db_table)
    forecast = quote(DemandForecast._meta.db_table)
    signature = quote(Signature._meta.db_table)
    factorset = quote(FactorSet._meta.db_table)
    sql = f"""
        SELECT * FROM
          (SELECT COUNT(*), SUM(version), MAX(id), MAX(submitted_at), MAX(accepted_at)
             FROM {report}) AS reports,
          (SELECT COUNT(*), MAX(id), MAX(updated_at) FROM {forecast}) AS forecasts,
          (SELECT COUNT(*), MAX(decided_at), MAX(withdrawn_at) FROM {signature}) AS signatures,
          (SELECT MAX(id), COUNT(*) FROM {factorset} WHERE is_current) AS factorsets
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    parts = [row, cache.get(_BUMP_KEY, 0)]
    return hashlib.blake2s(repr(parts).encode(), digest_size=8).hexdigest()


def cached[T](
    name: str, key: str, build: Callable[[], T], *, fingerprint: str = ""
) -> T:
    """The value built by `build`, from the cache while the data has not changed.

    Pass the `fingerprint` when a request caches several values, to read it once.
    While one request rebuilds a value after a change (seconds, on a million lines),
    the others get the value as it was just before, rather than all building it too.
    """
    full_key = f"dashboards:{name}:{key}:{fingerprint or data_fingerprint()}"
    value = cache.get(full_key)
    if value is not None:
        return value
    latest_key = f"dashboards:latest:{name}:{key}"
    lock_key = f"{full_key}:building"
    if not cache.add(lock_key, 1, REBUILD_SECONDS):
        latest = cache.get(latest_key)
        if latest is not None:
            return latest
    try:
        value = build()
        cache.set(full_key, value, TIMEOUT_SECONDS)
        cache.set(latest_key, value, REBUILD_SECONDS)
    finally:
        cache.delete(lock_key)
    return value


class FiguresAdminMixin:
    """For the admin of data the dashboards read (memberships, signatures, groups):
    any save or delete there makes every cached figure stale, as the services do."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        transaction.on_commit(figures_changed)

    def save_related(
        self, request: Any, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        transaction.on_commit(figures_changed)

    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        transaction.on_commit(figures_changed)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        transaction.on_commit(figures_changed)
