"""Real processes for the tests past one machine: app servers and task workers.

They run on the suite's database (PostgreSQL in CI; on SQLite a file copy of the test
database, which this process then uses too), with the environment an operator sets.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
# Redis databases of this suite: 14 the shared cache, 9 the RQ queue.
REDIS_CACHE = "redis://127.0.0.1:6379/14"
REDIS_BROKER = "redis://127.0.0.1:6379/9"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_database_url(tmp_path: Path, settings) -> str:
    """The suite's database as a URL other processes can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database lives in memory: the servers get a file copy of it, and
        # this process then works on that same file.
        path = tmp_path / "shared.sqlite3"
        copy = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()
        settings.DATABASES["default"]["NAME"] = str(path)
        connection.close()
        connection.settings_dict["NAME"] = str(path)
        return f"sqlite:///{path}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def flush_redis(url: str) -> None:
    subprocess.run(["redis-cli", "-u", url, "FLUSHDB"], check=True, capture_output=True)


def use_rq_here(settings) -> dict[str, str]:
    """This process enqueues on RQ (an empty queue); the environment for the others."""
    flush_redis(REDIS_BROKER)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_BROKER, "DEFAULT_TIMEOUT": 600}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    return {"TASKS_BACKEND": "rq", "TASKS_BROKER_URL": REDIS_BROKER}


def worker_command(backend: str, name: str) -> list[str]:
    """What an operator runs on each machine that takes tasks (see `make worker`)."""
    manage = [sys.executable, "manage.py"]
    if backend == "rq":
        return [*manage, "rqworker", "--with-scheduler", "--name", name, "default"]
    return [
        *manage,
        "db_worker",
        "--interval",
        "0.1",
        "--no-startup-delay",
        "--worker-id",
        name,
    ]


def environment(**overrides: str) -> dict[str, str]:
    return {**os.environ, "DEBUG": "1", "CFIT_TESTING": "0", **overrides}


def start(
    command: list[str], env: dict[str, str], log: Path | None = None
) -> subprocess.Popen:
    """Start a process in a session of its own; its output goes to `log` if given."""
    output = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{url} answered {error.code}") from None
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def wait_until(condition, *, seconds: float = 120) -> None:
    """Poll `condition()` until it is true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the workers did not finish in time")
        time.sleep(0.2)
