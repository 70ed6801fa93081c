"""Past one machine: two app servers and two task workers on one database.

Starts, as separate processes, two gunicorn servers and two task workers on the
suite's database (PostgreSQL in CI; on SQLite a file copy of the test database), with
the one shared Redis as cache: `db_worker`s with the database queue, and (marked
`broker`) `rqworker`s with the queue in Redis. Shows that a person signed in once is signed in on both
servers, that a change saved through one server is seen at once through the other,
and that each task is run exactly once although two workers compete for it.
"""

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from cfit.operations.tasks import heartbeat

from .processes import (
    REDIS_CACHE,
    environment,
    flush_redis,
    free_port,
    shared_database_url,
    start,
    stop,
    use_rq_here,
    wait_for,
    wait_until,
    worker_command,
)


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
def cluster(request, tmp_path, settings):
    """Two app servers and two task workers on the suite's database, one Redis.

    The task queue is in the database (the default) unless a test asks for "rq".
    """
    backend = getattr(request, "param", "database")
    url = shared_database_url(tmp_path, settings)
    flush_redis(REDIS_CACHE)
    queue = use_rq_here(settings) if backend == "rq" else {"TASKS_BACKEND": "database"}
    if backend == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = environment(DATABASE_URL=url, CACHE_URL=REDIS_CACHE, **queue)
    ports = [free_port(), free_port()]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    processes = [
        start([gunicorn, "cfit.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"], env)
        for port in ports
    ] + [start(worker_command(backend, f"worker-{n}"), env) for n in (1, 2)]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for server in servers:
            wait_for(server + "/health/")
        yield servers
    finally:
        stop(processes)


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


@pytest.mark.parametrize(
    "cluster",
    ["database", pytest.param("rq", marks=pytest.mark.broker)],
    indirect=True,
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_task_runs_exactly_once_with_two_workers_competing(cluster):
    ids = [heartbeat.enqueue().id for _ in range(30)]

    def finished():
        return all(heartbeat.get_result(i).is_finished for i in ids)

    wait_until(finished)
    results = [heartbeat.get_result(i) for i in ids]
    assert [r.status for r in results] == ["SUCCESSFUL"] * len(ids)
    # One attempt each, by one of the two workers.
    assert all(len(r.worker_ids) == 1 for r in results)
    ran_by = {r.worker_ids[0] for r in results}
    assert ran_by <= {"worker-1", "worker-2"}
