"""Deadline week under faults: 50 people at once, a crashed worker, a restarted database.

    make load            # LOAD_USERS=50 LOAD_SECONDS=120 by default

Starts the production setup on loopback: its own PostgreSQL cluster (`cfitload`, port
5433, made with pg_createcluster on first use, so restarting it disturbs no other
database), gunicorn with 2 workers, one task worker (`db_worker`), Redis as cache and
sessions. Then LOAD_USERS simulated procurers, each signed in to their own
organisation's draft report, do the deadline week for LOAD_SECONDS: open the public
dashboard and their report, add purchase lines, edit them with the version the form
carries (optimistic locking), upload a small CSV and confirm its import (stored by the
task worker), and at the end submit the report. The people are locust users, run
headless through locust's library (one request in flight per person, no pause), and
locust's own table of requests per page is printed at the end.

In the middle: one gunicorn worker and the task worker are killed (SIGKILL, by pid),
the task worker is started again, and PostgreSQL is restarted once
(`pg_ctlcluster 15 cfitload restart`). At the end it checks in the database that every
write a client saw acknowledged (a redirect after the POST) is there with its values,
that no line is half-written (every line's report exists, quantities are positive,
its report's summary adds up), that every confirmed import either finished (with all
its lines) or is marked failed, and that no task is left running; prints requests,
errors by kind, p95, and `acknowledged writes lost: N`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# locust runs its users on gevent and patches the standard library when imported.
from locust import HttpUser, constant, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
CLUSTER = os.environ.get("LOAD_PG_CLUSTER", "cfitload")
PG_PORT = int(os.environ.get("LOAD_PG_PORT", "5433"))
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
PORT = int(os.environ.get("LOAD_HTTP_PORT", "18777"))
# Each person waits this long for an answer: with 50 people and 2 workers a busy
# machine queues requests for many seconds, and a write given up on proves nothing.
TIMEOUT = int(os.environ.get("LOAD_TIMEOUT", "120"))
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/cfit_load"
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "CACHE_URL": "redis://127.0.0.1:6379/13",
    "DEBUG": "0",
    "SECRET_KEY": "load-test-only-secret-key-not-for-production-0123456789abc",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SESSION_COOKIE_SECURE": "0",
    "DJANGO_SETTINGS_MODULE": "cfit.settings",
    "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
}


def sh(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, check=check, capture_output=True, text=True)


def ensure_cluster() -> None:
    """A PostgreSQL cluster of our own, trusting loopback, so we may restart it."""
    clusters = sh("pg_lsclusters", "--no-header").stdout
    if not re.search(rf"^15\s+{CLUSTER}\s", clusters, re.M):
        sh(
            "pg_createcluster",
            "15",
            CLUSTER,
            "--port",
            str(PG_PORT),
            "--",
            "--auth-local=trust",
            "--auth-host=trust",
        )
    sh(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        "15",
        CLUSTER,
        "start",
        check=False,
    )
    for _ in range(60):
        if (
            sh(
                "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT), check=False
            ).returncode
            == 0
        ):
            return
        time.sleep(0.5)
    raise SystemExit("the load-test PostgreSQL did not start")


def prepare() -> list[tuple[str, str, int]]:
    """A fresh database with the demo data and one draft report per simulated person."""
    sh(
        "psql",
        "-h",
        "127.0.0.1",
        "-p",
        str(PG_PORT),
        "-U",
        "postgres",
        "-c",
        "DROP DATABASE IF EXISTS cfit_load WITH (FORCE)",
    )
    sh(
        "psql",
        "-h",
        "127.0.0.1",
        "-p",
        str(PG_PORT),
        "-U",
        "postgres",
        "-c",
        "CREATE DATABASE cfit_load",
    )
    sh("redis-cli", "-n", "13", "FLUSHDB")
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "-v", "0"],
        ["load_demo"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run(
            [*manage, *command],
            cwd=ROOT,
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from cfit.accounts.models import User
    from cfit.monitoring.models import PurchaseReport
    from cfit.organisations.models import Membership, Organisation

    people = []
    year = 2025
    for n in range(USERS):
        organisation = Organisation.objects.create(
            name=f"Load test organisation {n:03d}",
            slug=f"load-{n:03d}",
            country="NL",
            kind="local_government",
            is_demo=True,
        )
        user = User.objects.create(email=f"load-{n:03d}@example.org")
        Membership.objects.create(
            organisation=organisation, user=user, role="admin", status="active"
        )
        PurchaseReport.objects.create(organisation=organisation, year=year)
        client = Client()
        client.force_login(user)
        people.append((client.cookies["sessionid"].value, organisation.slug, year))
    from django.db import connections

    connections.close_all()
    return people


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    error_times: list[float] = field(default_factory=list)  # time.monotonic()
    # tender reference -> acknowledged quantity (the last one a client saw saved)
    acknowledged: dict[str, int] = field(default_factory=dict)
    submitted: set[str] = field(default_factory=set)
    # confirmed import's page -> the tender references of its lines
    imports: dict[str, list[str]] = field(default_factory=dict)
    people_done: int = 0

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)
            if error:
                self.errors[error] += 1
                self.error_times.append(time.monotonic())


class Person:
    def __init__(self, client, slug: str, year: int, tally: Tally):  # type: ignore[no-untyped-def]
        self.client = client  # locust's HttpSession: keeps the cookies
        self.base = f"/reports/{slug}/{year}/"
        self.slug = slug
        self.tally = tally

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> tuple[int, str, str]:
        started = time.perf_counter()
        headers = {}
        if form is not None:
            headers["Referer"] = f"http://127.0.0.1:{PORT}{path}"
        # One row per kind of page in locust's table, not one per report or line.
        name = re.sub(r"/\d+/", "/N/", re.sub(r"load-\d+", "load-N", path))
        response = self.client.request(
            method,
            path,
            data=form,
            files=files,
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
            name=name,
        )
        error = None
        if getattr(response, "error", None) is not None and not response.status_code:
            error = type(response.error).__name__
        elif response.status_code >= 400:
            error = f"HTTP {response.status_code}"
        self.tally.record(time.perf_counter() - started, error)
        location = response.headers.get("Location", "") if response.status_code else ""
        body = response.text if response.status_code else ""
        return response.status_code, body, location

    def token(self, body: str) -> str | None:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        return match[1] if match else None

    def add_line(self, n: int) -> None:
        status, body, _ = self.request("GET", self.base + "lines/add/")
        token = self.token(body) if status == 200 else None
        if not token:
            return
        reference = f"{self.slug}-line-{n}"
        quantity = random.randint(1, 500)
        status, _, location = self.request(
            "POST",
            self.base + "lines/add/",
            {
                "csrfmiddlewaretoken": token,
                "product_group": self.product_group,
                "quantity": str(quantity),
                "condition": "refurbished",
                "country_of_use": "NL",
                "tender_reference": reference,
                "devices_retired": "0",
                "retired_to": "",
                "spend_eur": "1000",
            },
        )
        if status == 302 and location.rstrip("/").endswith(self.base.rstrip("/")):
            with self.tally.lock:
                self.tally.acknowledged[reference] = quantity

    def edit_line(self) -> None:
        status, body, _ = self.request("GET", self.base)
        ids = re.findall(rf'href="{re.escape(self.base)}lines/(\d+)/"', body)
        if not ids:
            return
        path = f"{self.base}lines/{random.choice(ids)}/"
        status, form, _ = self.request("GET", path)
        token, version = (
            self.token(form),
            re.search(r'name="version" value="(\d+)"', form),
        )
        reference = re.search(r'name="tender_reference"[^>]*value="([^"]*)"', form)
        if status != 200 or not token or not version or not reference:
            return
        quantity = random.randint(1, 500)
        status, _, location = self.request(
            "POST",
            path,
            {
                "csrfmiddlewaretoken": token,
                "version": version[1],
                "product_group": self.product_group,
                "quantity": str(quantity),
                "condition": "new",
                "country_of_use": "NL",
                "tender_reference": reference[1],
                "devices_retired": "0",
                "retired_to": "",
                "spend_eur": "2000",
            },
        )
        if status == 302:
            with self.tally.lock:
                self.tally.acknowledged[reference[1]] = quantity

    def upload(self, n: int) -> None:
        """Upload a CSV of three lines and confirm its import (the worker stores it)."""
        status, body, _ = self.request("GET", self.base + "upload/")
        token = self.token(body) if status == 200 else None
        if not token:
            return
        references = [f"{self.slug}-upload-{n}-{i}" for i in range(3)]
        rows = [UPLOAD_HEADER] + [
            f"laptop,{random.randint(1, 500)},new,5,,,,1000,NL,{reference},0,"
            for reference in references
        ]
        status, _, location = self.request(
            "POST",
            self.base + "upload/",
            {"csrfmiddlewaretoken": token},
            files={"file": ("purchases.csv", "\n".join(rows).encode(), "text/csv")},
        )
        if status != 302:
            return
        page = urllib.parse.urlsplit(location).path
        status, body, _ = self.request("GET", page)
        token = self.token(body)
        if status != 200 or not token or f'action="{page}confirm/"' not in body:
            return
        status, _, _ = self.request(
            "POST", page + "confirm/", {"csrfmiddlewaretoken": token, "mode": "add"}
        )
        if status == 302:
            with self.tally.lock:
                self.tally.imports[page] = references

    def submit(self) -> None:
        status, body, _ = self.request("GET", self.base)
        token = self.token(body)
        if token and 'action="' + self.base + 'submit/"' in body:
            status, _, location = self.request(
                "POST", self.base + "submit/", {"csrfmiddlewaretoken": token}
            )
            # A refused submission redirects too; only the success message acknowledges.
            if status == 302:
                _, page, _ = self.request("GET", urllib.parse.urlsplit(location).path)
                # "...was sent to your coordinator" or "...to the secretariat".
                if "report was sent to" in page:
                    with self.tally.lock:
                        self.tally.submitted.add(self.slug)

    def run(self, until: float, product_group: str) -> None:
        self.product_group = product_group
        n = 0
        while time.monotonic() < until:
            choice = random.random()
            if choice < 0.25:
                self.request("GET", "/dashboards/")
            elif choice < 0.45:
                self.request("GET", self.base)
            elif choice < 0.75:
                n += 1
                self.add_line(n)
            elif choice < 0.8:
                n += 1
                self.upload(n)
            else:
                self.edit_line()
        self.submit()


UPLOAD_HEADER = (
    "Product group,Quantity,Condition,Expected lifetime (years),Warranty (years),"
    "Ecolabels,Criteria applied,Spend (EUR),Country of use,Tender reference,"
    "Devices retired,Retired to"
)
# Set by main() before locust starts the people.
PEOPLE: list[tuple[str, str, int]] = []
TALLY = Tally()
SCENARIO: dict[str, object] = {}


class Procurer(HttpUser):
    """One person of the deadline week, signed in to their own organisation."""

    host = f"http://127.0.0.1:{PORT}"
    wait_time = constant(0)

    @task
    def deadline_week(self) -> None:
        session, slug, year = PEOPLE.pop()
        self.client.cookies.set("sessionid", session)
        person = Person(self.client, slug, year, TALLY)
        person.run(float(SCENARIO["until"]), str(SCENARIO["product_group"]))  # type: ignore[arg-type]
        with TALLY.lock:
            TALLY.people_done += 1
        while True:  # done: wait for the runner to stop everyone
            time.sleep(1)


def start_gunicorn() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "cfit.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


FAULT_TIMES: list[float] = []
# An error counts as caused by a fault when it comes this soon after one: requests
# queued behind a killed worker or a restarting database fail together.
FAULT_WINDOW_SECONDS = float(os.environ.get("LOAD_FAULT_WINDOW", "30"))


def faults(
    started: float, log: list[str], processes: dict[str, subprocess.Popen[bytes]]
) -> None:
    def at(fraction: float) -> None:
        time.sleep(max(0.0, started + SECONDS * fraction - time.monotonic()))

    at(0.25)
    children = sh(
        "pgrep", "-P", str(processes["gunicorn"].pid), check=False
    ).stdout.split()
    if children:
        FAULT_TIMES.append(time.monotonic())
        os.kill(int(children[0]), signal.SIGKILL)
        log.append(
            f"{time.monotonic() - started:5.1f} s: killed gunicorn worker {children[0]}"
        )
    at(0.4)
    os.kill(processes["worker"].pid, signal.SIGKILL)
    processes["worker"].wait()
    log.append(
        f"{time.monotonic() - started:5.1f} s: killed the task worker {processes['worker'].pid}"
    )
    time.sleep(2)
    processes["worker"] = start_worker()
    log.append(
        f"{time.monotonic() - started:5.1f} s: started the task worker {processes['worker'].pid}"
    )
    at(0.6)
    FAULT_TIMES.append(time.monotonic())
    sh("pg_ctlcluster", "--skip-systemctl-redirect", "15", CLUSTER, "restart")
    log.append(
        f"{time.monotonic() - started:5.1f} s: restarted PostgreSQL (cluster {CLUSTER})"
    )


def verify(tally: Tally) -> dict[str, int]:
    from django.db import connections
    from django.db.models import Count, Sum

    connections.close_all()
    from cfit.monitoring.models import PurchaseLine, PurchaseReport, ReportSummary

    stored = dict(
        PurchaseLine.objects.filter(
            report__organisation__slug__startswith="load-"
        ).values_list("tender_reference", "quantity")
    )
    lost = [ref for ref in tally.acknowledged if ref not in stored]
    changed = [
        ref
        for ref, q in tally.acknowledged.items()
        if ref in stored and stored[ref] != q
    ]
    half = PurchaseLine.objects.filter(quantity__lte=0).count()
    mismatched = 0
    reports = PurchaseReport.objects.filter(organisation__slug__startswith="load-")
    lines = dict(reports.annotate(n=Sum("lines__quantity")).values_list("pk", "n"))
    summed = dict(
        ReportSummary.objects.filter(report__in=reports)
        .values("report")
        .annotate(n=Sum("devices"))
        .values_list("report", "n")
    )
    for pk, n in lines.items():
        if (n or 0) != (summed.get(pk) or 0):
            mismatched += 1
    not_submitted = (
        reports.filter(organisation__slug__in=tally.submitted)
        .exclude(status="submitted")
        .count()
    )
    from cfit.monitoring.models import ImportStatus, PurchaseImport

    states = dict(
        PurchaseImport.objects.filter(
            report__organisation__slug__startswith="load-"
        ).values_list("pk", "status")
    )
    done = failed = unfinished = 0
    for page, references in tally.imports.items():
        status = states.get(int(page.rstrip("/").rsplit("/", 1)[1]))
        if status == ImportStatus.DONE:
            done += 1
            # A stored import holds every line of its file.
            lost += [r for r in references if r not in stored]
        elif status == ImportStatus.FAILED:
            failed += 1
        else:
            unfinished += 1
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.filter(status="RUNNING").count()
    del Count
    return {
        "lost": len(lost),
        "changed": len(changed),
        "half_written": half,
        "summaries_not_adding_up": mismatched,
        "submissions_lost": not_submitted,
        "tasks_left_running": running,
        "stored_lines": len(stored),
        "imports_done": done,
        "imports_failed": failed,
        "imports_unfinished": unfinished,
    }


def main() -> int:
    begun = time.monotonic()
    ensure_cluster()
    people_data = prepare()
    from cfit.criteria.models import ProductGroup

    product_group = str(ProductGroup.objects.get(code="laptop").pk)
    processes = {"gunicorn": start_gunicorn(), "worker": start_worker()}
    tally = TALLY
    environment = Environment(user_classes=[Procurer])
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request(
                    "GET", "/health/"
                )
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"ready after {time.monotonic() - begun:.0f} s; {USERS} people for {SECONDS} s",
            flush=True,
        )
        started = time.monotonic()
        PEOPLE[:] = people_data
        SCENARIO.update(until=started + SECONDS, product_group=product_group)
        log: list[str] = []
        fault_thread = threading.Thread(target=faults, args=(started, log, processes))
        fault_thread.start()
        runner = environment.create_local_runner()
        runner.start(USERS, spawn_rate=USERS)
        # Everyone submits after the time is up; a request in flight may take TIMEOUT.
        while (
            tally.people_done < USERS and time.monotonic() < started + SECONDS + TIMEOUT
        ):
            time.sleep(1)
        runner.quit()
        fault_thread.join()
    finally:
        for process in processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    result = verify(tally)
    latencies = sorted(tally.latencies)
    p95 = latencies[int(len(latencies) * 0.95)] * 1000 if latencies else 0
    print("\n".join(log))
    print(
        f"requests: {tally.requests:,} in {SECONDS} s with {USERS} people, "
        f"p95 {p95:,.0f} ms, median {statistics.median(latencies) * 1000:,.0f} ms"
    )
    print(
        "errors by kind: "
        + (", ".join(f"{k}: {v}" for k, v in tally.errors.most_common()) or "none")
    )
    print(
        f"acknowledged writes: {len(tally.acknowledged):,} lines "
        f"({result['stored_lines']:,} stored), {len(tally.submitted)} submissions"
    )
    print(
        f"acknowledged values not as saved: {result['changed']}; half-written lines: "
        f"{result['half_written']}; report summaries not adding up: "
        f"{result['summaries_not_adding_up']}; submissions lost: {result['submissions_lost']}; "
        f"tasks left running: {result['tasks_left_running']}"
    )
    near_fault = sum(
        any(f <= t <= f + FAULT_WINDOW_SECONDS for f in FAULT_TIMES)
        for t in tally.error_times
    )
    print(
        f"errors within {FAULT_WINDOW_SECONDS:.0f} s after a fault: {near_fault}; "
        f"at other times: {len(tally.error_times) - near_fault}"
    )
    print(
        f"imports confirmed: {len(tally.imports)}; stored: {result['imports_done']}; "
        f"marked failed (their owner may start them again): {result['imports_failed']}; "
        f"neither: {result['imports_unfinished']}"
    )
    print("locust, requests per page:")
    stats = environment.stats
    for entry in sorted(stats.entries.values(), key=lambda e: -e.num_requests):
        print(
            f"  {entry.method:4} {entry.name:45} {entry.num_requests:6,} requests, "
            f"{entry.num_failures:4,} failed, p95 {entry.get_response_time_percentile(0.95):7,.0f} ms"
        )
    print(f"acknowledged writes lost: {result['lost']}")
    print(f"total {time.monotonic() - begun:.0f} s")
    bad = (
        result["imports_unfinished"]
        + result["lost"]
        + result["changed"]
        + result["half_written"]
        + result["summaries_not_adding_up"]
        + result["submissions_lost"]
    )
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
