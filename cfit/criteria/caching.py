"""The criteria base's generation: one token that every write to the base replaces.

Pages that show the base (the search, a report's missing BASE criteria) cache what
they render under the current token, as djangoproject.com's dashboard keeps a
generation key: a write through any door (the services, the translation services,
the admin) calls `criteria_changed()`, so the next request reads a new token and
builds afresh, in every web process alike. The token is random rather than a
counter, so that a cache that lost it (evicted, restarted) starts a new generation
instead of going back to an old number whose entries may still be stored.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils.translation import get_language

from cfit.lib.admin_writes import StaleAfterAdminWrite

GENERATION_KEY = "criteria:generation"
# Rendered pieces are rebuilt at least this often, whatever happens.
TIMEOUT_SECONDS = 60 * 60


def _new_generation() -> None:
    try:
        # A savepoint: with the database as cache, a failure must not end the write.
        with transaction.atomic():
            cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except DatabaseError:
        # The data migrations of a new install run before `createcachetable`: there
        # is no cache yet, so nothing in it can be stale.
        pass


def criteria_changed() -> None:
    """Make everything cached about the criteria base stale.

    At once, so that the writer's own next page shows the change, and again once the
    transaction commits, so that a page read by someone else in between (which still
    saw the old rows) cannot stay cached under the token the write made.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def criteria_generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY, "")
    return str(token)


def cached_with_base(name: str, parts: list[Any], build: Callable[[], Any]) -> Any:
    """What `build` returns, cached for this generation of the base and the language.

    `parts` say what else the value depends on (a visitor's filters, a page number):
    hashed, so the key stays short whatever a visitor sends.
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"criteria:{name}:{get_language()}:{criteria_generation()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value


class CriteriaAdminMixin(StaleAfterAdminWrite):
    """For the admin of the base's rows (product groups, ecolabels, criteria): any
    save or delete there makes what is cached about the base stale, as the services do."""

    stale_after_write: tuple[Callable[[], None], ...] = (criteria_changed,)
