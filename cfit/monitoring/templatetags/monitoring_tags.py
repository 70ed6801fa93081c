from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


@register.simple_tag
def change_values(values: dict[str, Any] | None, other: dict[str, Any] | None) -> str:
    """A history entry's values; those that differ from the other side are marked."""
    if not values:
        return "–"
    other = other or {}
    return format_html(
        '<dl class="change-values">{}</dl>',
        format_html_join(
            "",
            "<dt>{}</dt><dd{}>{}</dd>",
            (
                (
                    key.replace("_", " "),
                    format_html(' class="{}"', "changed")
                    if other and other.get(key) != value
                    else "",
                    _text(value),
                )
                for key, value in values.items()
            ),
        ),
    )
