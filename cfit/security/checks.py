"""System checks about running with more than one process."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when production keeps the cache inside one process.

    The human check's used puzzles and the sign-in rate limits live in the cache: a
    cache of one process lets a second web process accept a puzzle again.
    """
    if settings.DEBUG:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The cache is kept inside each process, so the web processes do not share "
            "the human check's used puzzles or the sign-in rate limits.",
            hint="Set CACHE_URL to redis://HOST:6379/0, or leave it unset to use the "
            "database cache (after `manage.py createcachetable`).",
            id="cfit.W001",
        )
    ]
