"""Small presentation filters used across the site's templates."""

from datetime import timedelta

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cfit.lib.formatting import format_money, format_number
from cfit.lib.markdown import render_markdown
from cfit.lib.spreadsheets import csv_style

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes in a duration, rounded up so that 'wait 0 minutes' never shows."""
    if not value:
        return 0
    return max(1, -(-int(value.total_seconds()) // 60))


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    """Render a member's Markdown text as sanitised HTML (see cfit.lib.markdown)."""
    return render_markdown(value or "")


@register.filter(name="number")
def number_filter(value: object, decimals: int | str = 0) -> str:
    """A figure with thousands separators, rounded half up: `{{ devices|number }}`,
    `{{ tonnes|number:1 }}`; `{{ years|number:"1-" }}` drops a trailing ".0"."""
    text = str(decimals)
    trim = text.endswith("-")
    return format_number(value, int(text.rstrip("-") or 0), trim=trim)


@register.filter(name="money")
def money_filter(value: object, currency: str = "EUR") -> str:
    """An amount with its currency and cents: `{{ line.spend_eur|money }}` → €240,500.50."""
    return format_money(value, currency)


@register.simple_tag
def csv_note() -> str:
    """One line beside a CSV download: how the file separates columns and decimals."""
    delimiter, _mark = csv_style()
    if delimiter == ";":
        return _(
            "The CSV file separates columns with a semicolon and writes decimals "
            "with a comma, as spreadsheet programs in your language expect."
        )
    return _(
        "The CSV file separates columns with a comma and writes decimals with a point."
    )
