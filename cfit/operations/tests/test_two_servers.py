"""Past one machine: two app servers and two task workers on one database.

Starts, as separate processes, two gunicorn servers and two `db_worker`s on the
suite's database (PostgreSQL in CI; on SQLite a file copy of the test database), with
the one shared Redis as cache. Shows that a person signed in once is signed in on both
servers, that a change saved through one server is seen at once through the other,
and that each task is run exactly once although two workers compete for it.
"""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from cfit.operations.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[3]
REDIS_TEST_DB = "redis://127.0.0.1:6379/14"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url(tmp_path: Path) -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database lives in memory: the servers get a file copy of it, and
        # this process then works on that same file.
        path = tmp_path / "shared.sqlite3"
        copy = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{url} answered {error.code}") from None
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


class _Browser:
    """Cookies kept across requests, to any of the servers (all are 127.0.0.1)."""

    def __init__(self, session_cookie: str):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.session_cookie = session_cookie

    def get(self, url: str) -> str:
        request = urllib.request.Request(url, headers={"Cookie": self._cookies()})
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()

    def post(self, url: str, data: dict[str, str]) -> int:
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Cookie": self._cookies(), "Referer": url},
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status

    def _cookies(self) -> str:
        pairs = [f"{c.name}={c.value}" for c in self.jar]
        return "; ".join([self.session_cookie, *pairs])


@pytest.fixture
def cluster(tmp_path, settings):
    """Two app servers and two task workers on the suite's database, one Redis."""
    url = _database_url(tmp_path)
    if connection.vendor == "sqlite":
        settings.DATABASES["default"]["NAME"] = url.removeprefix("sqlite:///")
        connection.close()
        connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"]
    subprocess.run(["redis-cli", "-u", REDIS_TEST_DB, "FLUSHDB"], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CACHE_URL": REDIS_TEST_DB,
        "DEBUG": "1",
        "CFIT_TESTING": "0",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    ports = [_free_port(), _free_port()]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    processes = [
        subprocess.Popen(
            [gunicorn, "cfit.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for port in ports
    ] + [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--worker-id",
                f"worker-{n}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n in (1, 2)
    ]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for server in servers:
            _wait_for(server + "/health/")
        yield servers
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_through_one_server_is_seen_at_once_through_the_other(
    procurer_a, organisation_a, cluster
):
    first, second = cluster
    signed_in = Client()
    signed_in.force_login(procurer_a)
    browser = _Browser(f"sessionid={signed_in.cookies['sessionid'].value}")
    assert "City of Alphen" in browser.get(second + "/signatories/")

    edit = f"/organisations/{organisation_a.slug}/edit/"
    form = browser.get(first + edit)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    status = browser.post(
        first + edit,
        {
            "csrfmiddlewaretoken": token,
            "name": "City of Alphen aan Zee",
            "country": "NL",
            "kind": organisation_a.kind,
            "website": "",
        },
    )

    assert status == 200  # after the redirect to the organisation's page
    assert "City of Alphen aan Zee" in browser.get(second + "/signatories/")
    assert "City of Alphen aan Zee" in browser.get(
        second + f"/organisations/{organisation_a.slug}/"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_task_runs_exactly_once_with_two_workers_competing(settings, cluster):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ids = [heartbeat.enqueue().id for _ in range(30)]

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = DBTaskResult.objects.filter(id__in=ids, status="SUCCESSFUL").count()
        if done == len(ids):
            break
        time.sleep(0.3)

    results = list(DBTaskResult.objects.filter(id__in=ids))
    assert [r.status for r in results] == ["SUCCESSFUL"] * len(ids)
    assert all(len(r.worker_ids) == 1 for r in results)
    ran_by = {r.return_value["pid"] for r in results}
    assert 1 <= len(ran_by) <= 2
