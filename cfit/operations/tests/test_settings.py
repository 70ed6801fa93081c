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


SHOW_SCALE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps({'tasks': settings.TASKS['default']['BACKEND'], "
    "'queues': getattr(settings, 'RQ_QUEUES', None), "
    "'rq_app': 'django_rq' in settings.INSTALLED_APPS, "
    "'media': settings.STORAGES['default']}))"
)


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cfit.settings", "DEBUG": "1"}
        | {"CFIT_TESTING": "0", **env},
        capture_output=True,
        text=True,
    )


def test_the_task_queue_stays_in_the_database_unless_rq_is_chosen():
    shown = json.loads(_run(SHOW_SCALE, TASKS_BACKEND="").stdout)
    assert shown["tasks"] == "django_tasks_db.DatabaseBackend"
    assert shown["queues"] is None
    assert shown["rq_app"] is False


def test_tasks_backend_rq_keeps_the_queue_in_the_redis_it_is_given():
    shown = json.loads(
        _run(
            SHOW_SCALE,
            TASKS_BACKEND="rq",
            TASKS_BROKER_URL="redis://queue.internal:6379/1",
        ).stdout
    )
    assert shown["tasks"] == "django_tasks_rq.RQBackend"
    assert shown["queues"]["default"]["URL"] == "redis://queue.internal:6379/1"
    # Longer than an import may read: RQ's own default (3 minutes) would cut it.
    assert shown["queues"]["default"]["DEFAULT_TIMEOUT"] > 1200
    assert shown["rq_app"] is True


def test_rq_without_a_broker_or_an_unknown_backend_is_refused_at_start():
    without_broker = _run(SHOW_SCALE, TASKS_BACKEND="rq", TASKS_BROKER_URL="")
    unknown = _run(SHOW_SCALE, TASKS_BACKEND="celery")
    assert "TASKS_BACKEND=rq needs TASKS_BROKER_URL" in without_broker.stderr
    assert "TASKS_BACKEND must be database or rq" in unknown.stderr


def test_uploads_stay_on_disk_unless_an_s3_bucket_is_chosen():
    on_disk = json.loads(_run(SHOW_SCALE, MEDIA_STORAGE="").stdout)["media"]
    in_bucket = json.loads(
        _run(
            SHOW_SCALE,
            MEDIA_STORAGE="s3",
            AWS_STORAGE_BUCKET_NAME="cfit-uploads",
            AWS_S3_ENDPOINT_URL="https://s3.example",
        ).stdout
    )["media"]
    without_bucket = _run(SHOW_SCALE, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="")
    assert on_disk["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert in_bucket["BACKEND"] == "storages.backends.s3.S3Storage"
    assert in_bucket["OPTIONS"]["bucket_name"] == "cfit-uploads"
    assert in_bucket["OPTIONS"]["endpoint_url"] == "https://s3.example"
    assert in_bucket["OPTIONS"]["file_overwrite"] is False
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in without_bucket.stderr
