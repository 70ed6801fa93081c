"""Caching of the expensive aggregates, invalidated when the data behind them changes.

The cache key carries a fingerprint of the data the figures read: the purchase reports
(their count and the sum of their `version`, which monitoring's services raise on every
change to a report or its lines, plus their submission and acceptance times), the
demand forecasts, the approved signatures, and the current FactorSet. Reading the
fingerprint takes a few small queries on small tables, never on the lines; any change,
made by any web process, gives a new key, so no signal and no cross-process message is
needed. `figures_changed()` is there for writes that bypass those fields (bulk tools).
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from cfit.impact.models import FactorSet
from cfit.monitoring.models import DemandForecast, PurchaseReport
from cfit.organisations.models import Signature

TIMEOUT_SECONDS = 60 * 60
_BUMP_KEY = "dashboards:bump"


def figures_changed() -> None:
    """Make every cached dashboard figure stale (for writes outside the services)."""
    try:
        cache.incr(_BUMP_KEY)
    except ValueError:
        cache.set(_BUMP_KEY, 1, None)


def data_fingerprint() -> str:
    reports = PurchaseReport.objects.aggregate(
        n=Count("pk"),
        versions=Sum("version"),
        last=Max("pk"),
        submitted=Max("submitted_at"),
        accepted=Max("accepted_at"),
    )
    forecasts = DemandForecast.objects.aggregate(
        n=Count("pk"), last=Max("pk"), changed=Max("updated_at")
    )
    signatures = Signature.objects.aggregate(
        n=Count("pk"), decided=Max("decided_at"), withdrawn=Max("withdrawn_at")
    )
    parts = [
        reports,
        forecasts,
        signatures,
        _current_factorset(),
        cache.get(_BUMP_KEY, 0),
    ]
    return hashlib.blake2s(repr(parts).encode(), digest_size=8).hexdigest()


def _current_factorset() -> str:
    factorset = FactorSet.objects.current()
    return f"{factorset.pk}:{factorset.version}" if factorset else ""


def cached[T](name: str, key: str, build: Callable[[], T]) -> T:
    """The value built by `build`, from the cache while the data has not changed."""
    full_key = f"dashboards:{name}:{key}:{data_fingerprint()}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, TIMEOUT_SECONDS)
    return value
