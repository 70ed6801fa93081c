"""One cache for every process: Redis from CACHE_URL, else the database; a system check
warns when production would keep it inside one process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.db import connection
from django_altcha import is_challenge_used, mark_challenge_used

ROOT = Path(settings.BASE_DIR)


def _caches_with(environment: dict[str, str]) -> dict:
    """The CACHES a fresh process builds from this environment."""
    env = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    env.update(DEBUG="0", SECRET_KEY="x" * 50, **environment)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "cfit.settings", "CFIT_TESTING": "0"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_settings_pick_redis_from_cache_url():
    cache = _caches_with({"CACHE_URL": "redis://cache.internal:6379/2"})
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }


def test_without_cache_url_the_database_holds_the_cache():
    cache = _caches_with({})
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_a_cache_url_the_settings_cannot_read_stops_the_start_with_a_reason():
    with pytest.raises(subprocess.CalledProcessError) as failure:
        _caches_with({"CACHE_URL": "memcached://cache:11211"})
    assert "CACHE_URL must start with redis://" in failure.value.stderr


@pytest.mark.django_db
def test_a_used_human_check_puzzle_is_kept_where_every_web_process_sees_it():
    mark_challenge_used("challenge-solved-once", timeout=60)
    assert is_challenge_used("challenge-solved-once")
    # Another process finds it in the shared table, not in this process's memory.
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cfit_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("challenge-solved-once" in key for key in keys)


def _shared_cache_warnings():
    return [
        m for m in run_checks(include_deployment_checks=True) if m.id == "cfit.W001"
    ]


def test_the_deploy_check_warns_when_production_keeps_the_cache_in_one_process(
    settings,
    db,
):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    warnings = _shared_cache_warnings()
    assert len(warnings) == 1
    assert "do not share" in warnings[0].msg


def test_the_deploy_check_is_quiet_with_a_shared_cache_or_on_a_laptop(settings, db):
    settings.DEBUG = False
    assert _shared_cache_warnings() == []  # the database cache of the tests
    settings.DEBUG = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert _shared_cache_warnings() == []
