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
