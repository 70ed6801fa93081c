"""Cursor pagination: a page of items and an opaque cursor to the next page.

A cursor is the last id seen, so pages never skip or repeat a row when rows are added
meanwhile (offsets would).
"""

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja import Schema

from .problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageMeta(Schema):
    next_cursor: str | None
    limit: int


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"after:{pk}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        prefix, _sep, number = text.partition(":")
        if prefix != "after" or not number.isdigit() or len(number) > 18:
            raise ValueError
        return int(number)
    except (ValueError, binascii.Error, UnicodeError) as error:
        raise Problem(
            400,
            _("This cursor is not one the API gave. Start from the first page."),
            errors=[{"field": "query.cursor", "detail": _("unknown cursor")}],
        ) from error


def paginate[M: Model](
    queryset: QuerySet[M],
    *,
    cursor: str | None,
    limit: int,
    item: Callable[[M], Any],
) -> dict[str, Any]:
    """One page of the queryset in id order, with the cursor to the next page."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        queryset = queryset.filter(pk__gt=_decode(cursor))
    rows = list(queryset.order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [item(row) for row in rows],
        "next_cursor": _encode(rows[-1].pk) if more and rows else None,
        "limit": limit,
    }
