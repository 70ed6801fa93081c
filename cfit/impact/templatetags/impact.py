"""Presentation of impact figures: readable numbers, one value per indicator."""

from typing import Any

from django import template

from cfit.impact import method

register = template.Library()


@register.filter
def figure(value: float | int | None) -> str:
    """A figure with thousands separated and as many decimals as it needs."""
    if value is None:
        return "–"
    number = float(value)
    if number == 0:
        return "0"
    size = abs(number)
    if size >= 100:
        text = f"{number:,.0f}"
    elif size >= 1:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{number:.3g}"
    return text.replace("-", "−")


@register.filter
def indicator(figures: method.Figures | None, name: str) -> float | None:
    """`figures|indicator:"gwp_kg"`: one indicator of a Figures value."""
    if figures is None:
        return None
    return figures.get(name)


@register.filter
def block(impact: method.Impact, name: str) -> Any:
    return getattr(impact, name)


# Panels that other apps include with one line, e.g. on the report page:
#   {% include "impact/report_panel.html" %}   (needs `report` in the context)
# They read through the impact selectors; access is the including page's concern.


@register.simple_tag
def report_impact(report: Any) -> Any:
    from cfit.impact.selectors import report_impact as select

    return select(report)


@register.simple_tag
def organisation_impact(organisation: Any) -> Any:
    from cfit.impact.selectors import organisation_impact as select

    return select(organisation)


@register.simple_tag
def group_impact(group: Any) -> Any:
    from cfit.impact.selectors import group_impact as select

    return select(group)


@register.simple_tag
def pact_impact() -> Any:
    """The Pact's figures, or None while fewer than three organisations report."""
    from cfit.impact.selectors import (
        MINIMUM_ORGANISATIONS,
        pact_organisation_count,
    )
    from cfit.impact.selectors import (
        pact_impact as select,
    )

    if pact_organisation_count() < MINIMUM_ORGANISATIONS:
        return None
    return select()
