"""Small presentation filters used across the site's templates."""

from datetime import timedelta

from django import template
from django.utils.safestring import SafeString

from cfit.lib.markdown import render_markdown

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
