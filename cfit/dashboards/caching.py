"""Caching of the expensive aggregates, invalidated when the data behind them changes.

Each scope (the Pact, a buyer group, an organisation) has its own fingerprint, so that a
change to one organisation's report makes its own figures stale, and those of the
groups it is a member of and of the Pact, but leaves every other organisation's cached
figures in place. A scope's fingerprint carries what its figures read: the purchase
reports of its organisations (their count and the sum of their `version`, which
monitoring's services raise on every change to a report or its lines, plus their
submission and acceptance times), their demand forecasts, the approved signatures and
the current FactorSet. Reading it takes one round trip over small tables, never the
lines; any change, made by any web process, gives a new key, so no signal and no
cross-process message is needed.

The fingerprints also carry generation numbers that `figures_changed()` raises: the
services call it (on commit) from every write that changes what a dashboard shows.
With an organisation, as monitoring does for reports and forecasts, only that
organisation's and the Pact's generations move; without one (memberships of buyer
groups, signatures, the admin of those rows through `FiguresAdminMixin`) every scope's.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet

from cfit.impact.models import FactorSet
from cfit.lib.admin_writes import StaleAfterAdminWrite
from cfit.monitoring.models import DemandForecast, PurchaseReport
from cfit.organisations.models import Signature

TIMEOUT_SECONDS = 60 * 60
# How long a value may stand in for one being rebuilt; longer than any rebuild takes.
REBUILD_SECONDS = 5 * 60
_BUMP_KEY = "dashboards:bump"
PACT_KEY = "pact"


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


def figures_changed(*, organisation_id: int | None = None) -> None:
    """Make cached figures stale: one organisation's (and so the Pact's), or all."""
    if organisation_id is None:
        _bump(_BUMP_KEY)
        return
    _bump(f"{_BUMP_KEY}:organisation:{organisation_id}")
    _bump(f"{_BUMP_KEY}:{PACT_KEY}")


def global_generation() -> int:
    """Moves with every change that makes all cached figures stale."""
    return cache.get(_BUMP_KEY, 0)


def scope_fingerprint(
    key: str = PACT_KEY,
    *,
    organisation_id: int | None = None,
    organisations: QuerySet[Any] | None = None,
) -> str:
    """A short text that changes whenever the data behind one scope's figures changes.

    `key` is the scope's (Scope.key); `organisation_id` narrows to one organisation,
    `organisations` (a queryset of organisation pks) to a buyer group's members;
    neither: the whole Pact. One round trip: single-row aggregates over small tables.
    """
    quote = connection.ops.quote_name
    report = quote(PurchaseReport._meta.db_table)
    forecast = quote(DemandForecast._meta.db_table)
    signature = quote(Signature._meta.db_table)
    factorset = quote(FactorSet._meta.db_table)
    where, params = "", []
    if organisation_id is not None:
        where, params = "WHERE organisation_id = %s", [organisation_id]
    elif organisations is not None:
        inner, inner_params = organisations.query.sql_with_params()
        where, params = f"WHERE organisation_id IN ({inner})", list(inner_params)
    sql = f"""
        SELECT * FROM
          (SELECT COUNT(*), SUM(version), MAX(id), MAX(submitted_at), MAX(accepted_at)
             FROM {report} {where}) AS reports,
          (SELECT COUNT(*), MAX(id), MAX(updated_at) FROM {forecast} {where}) AS forecasts,
          (SELECT COUNT(*), MAX(decided_at), MAX(withdrawn_at) FROM {signature}) AS signatures,
          (SELECT MAX(id), COUNT(*) FROM {factorset} WHERE is_current) AS factorsets
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        row = cursor.fetchone()
    generations = [_BUMP_KEY, f"{_BUMP_KEY}:{key}"]
    found = cache.get_many(generations)
    parts = [row, [found.get(name, 0) for name in generations]]
    return hashlib.blake2s(repr(parts).encode(), digest_size=8).hexdigest()


def fingerprint_of(scope: Any) -> str:
    """The fingerprint of a dashboards Scope: its organisation's, its group's or all."""
    from cfit.groups.selectors import member_organisations_of

    if scope.organisation is not None:
        return scope_fingerprint(scope.key, organisation_id=scope.organisation.pk)
    if scope.group is not None:
        members = member_organisations_of(scope.group).order_by().values("pk")
        return scope_fingerprint(scope.key, organisations=members)
    return scope_fingerprint(PACT_KEY)


def data_fingerprint() -> str:
    """The fingerprint of the whole Pact's data: moves with any change anywhere."""
    return scope_fingerprint(PACT_KEY)


def cached[T](
    name: str, key: str, build: Callable[[], T], *, fingerprint: str = ""
) -> T:
    """The value built by `build`, from the cache while the data has not changed.

    Pass the `fingerprint` when a request caches several values, to read it once.
    While one request rebuilds a value after a change (seconds, on a million lines),
    the others get the value as it was just before, rather than all building it too.
    """
    # The key may carry a visitor's query string: hashed, it stays short whatever they send.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    full_key = f"dashboards:{name}:{digest}:{fingerprint or data_fingerprint()}"
    value = cache.get(full_key)
    if value is not None:
        return value
    latest_key = f"dashboards:latest:{name}:{digest}"
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


def figures_changed_on_commit() -> None:
    """Every cached figure stale once the write commits (the admin's writes)."""
    transaction.on_commit(figures_changed)


class FiguresAdminMixin(StaleAfterAdminWrite):
    """For the admin of data the dashboards read (memberships, signatures, groups):
    any save or delete there makes every cached figure stale, as the services do."""

    stale_after_write: tuple[Callable[[], None], ...] = (figures_changed_on_commit,)
