"""Dashboard figures as JSON: the same Dashboard object the pages and downloads read."""

from typing import Any

from cfit.dashboards import panels
from cfit.dashboards.caching import cached
from cfit.dashboards.forms import Filters
from cfit.dashboards.selectors import Scope


def _value(value: float | None) -> float | None:
    return None if value is None else float(value)


def dashboard_figures(
    scope: Scope, filters: Filters, *, protect: bool
) -> dict[str, Any]:
    """Headlines and figures of a dashboard; `protect` applies the publication rule."""
    # The dashboards' cache, moved on by every write: the API asks no more of the
    # database than the pages do.
    dashboard = cached(
        "api-dashboard",
        f"{scope.key}:{filters.key}:{protect}",
        lambda: panels.build(scope, filters, protect=protect),
    )
    return {
        "scope": scope.key if scope.kind != "organisation" else "organisation",
        "factorset": dashboard.factorset,
        "protected": dashboard.protected,
        "headlines": [
            {"label": h.label, "value": _value(h.value), "unit": h.unit}
            for h in dashboard.headlines
        ],
        "figures": [
            {
                "slug": f.slug,
                "title": f.title,
                "unit": f.unit,
                "label_heading": f.label_heading,
                "labels": f.labels,
                "series": [
                    {"name": s.name, "values": [_value(v) for v in s.values]}
                    for s in f.series
                ],
                "notes": f.notes,
                "source": f.source,
            }
            for f in dashboard.figures
        ],
        "notes": dashboard.notes,
    }
