import json
import os
import subprocess
import sys

SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'pool': db.get('OPTIONS', {}).get('pool'), "
    "'age': db['CONN_MAX_AGE'], 'health': db['CONN_HEALTH_CHECKS'], "
    "'sessions': settings.SESSION_ENGINE}))"
)


def _settings(**env: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cfit.settings",
            "DEBUG": "1",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout)


def test_database_pool_gives_each_process_a_psycopg_pool_instead_of_kept_connections():
    shown = _settings(
        DATABASE_URL="postgres://cfit@127.0.0.1:5432/cfit",
        DATABASE_POOL="1",
        DATABASE_POOL_MAX_SIZE="4",
    )
    assert shown["pool"] == {"min_size": 2, "max_size": 4, "timeout": 10}
    assert shown["age"] == 0
    assert shown["health"] is True


def test_without_database_pool_connections_are_kept_and_checked_before_use():
    shown = _settings(DATABASE_URL="postgres://cfit@127.0.0.1:5432/cfit")
    assert shown["pool"] is None
    assert shown["age"] == 60
    assert shown["health"] is True


def test_a_cache_url_puts_sessions_in_the_shared_cache_written_through_to_the_database():
    with_redis = _settings(CACHE_URL="redis://127.0.0.1:6379/3")
    without = _settings(CACHE_URL="")
    assert with_redis["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert without["sessions"] == "django.contrib.sessions.backends.db"
