"""What `/health/` checks: the database, the cache and the task queue.

Each check returns a `Check`; none raises. A load balancer or a monitor reads the status
code (200 when every check passes, 503 otherwise); staff also read the details.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.tasks import task_backends
from django.utils import timezone


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    milliseconds: float


def _timed(name: str, probe) -> Check:
    started = time.perf_counter()
    try:
        ok, detail = probe()
    except Exception as error:  # noqa: BLE001 - a health check reports, never raises
        ok, detail = False, f"{type(error).__name__}: {error}"
    return Check(name, ok, detail, (time.perf_counter() - started) * 1000)


def _database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def _cache() -> tuple[bool, str]:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    return ok, type(cache).__name__ if ok else "a value written was not read back"


def _task_queue() -> tuple[bool, str]:
    """The queue answers, and nothing waits longer than a worker should take to start it.

    A worker that died shows as the oldest waiting task growing old, whichever
    backend holds the queue. Other backends are asked nothing.
    """
    name = type(task_backends["default"]).__name__
    if name == "DatabaseBackend":
        return _database_queue()
    if name == "RQBackend":
        return _redis_queue()
    return True, name


def _verdict(waiting: int, since: datetime) -> tuple[bool, str]:
    waited = timezone.now() - since
    limit = timedelta(seconds=settings.HEALTH_TASK_MAX_WAIT_SECONDS)
    detail = f"{waiting} waiting, the oldest for {int(waited.total_seconds())} s"
    return waited <= limit, detail


def _database_queue() -> tuple[bool, str]:
    # Imported here: the URLconf imports this module, and should not load models.
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = DBTaskResult.objects.ready()
    first = waiting.order_by("enqueued_at").values("enqueued_at", "run_after").first()
    if first is None:
        return True, "no task waiting"
    # A task enqueued to run later waits from the moment it may run.
    since = first["enqueued_at"]
    if first["run_after"] != get_date_max():
        since = max(since, first["run_after"])
    return _verdict(waiting.count(), since)


def _redis_queue() -> tuple[bool, str]:
    # Imported here: RQ is installed only with the [scale] extra (TASKS_BACKEND=rq).
    import django_rq
    from rq import Worker

    queue = django_rq.get_queue("default")
    queue.connection.ping()
    workers = f"{Worker.count(queue=queue)} worker(s) listening"
    # A task deferred with run_after joins the queue (enqueued anew) when it is due.
    oldest = queue.get_jobs(0, 1)
    if not oldest or oldest[0].enqueued_at is None:
        return True, f"no task waiting; {workers}"
    since = oldest[0].enqueued_at
    if timezone.is_naive(since):
        since = timezone.make_aware(since, UTC)
    ok, detail = _verdict(queue.count, since)
    return ok, f"{detail}; {workers}"


def run_checks() -> list[Check]:
    return [
        _timed("database", _database),
        _timed("cache", _cache),
        _timed("task queue", _task_queue),
    ]
