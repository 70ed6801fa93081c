"""Small presentation filters used across the site's templates."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes in a duration, rounded up so that 'wait 0 minutes' never shows."""
    if not value:
        return 0
    return max(1, -(-int(value.total_seconds()) // 60))
