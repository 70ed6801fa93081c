"""Requests per second over HTTP: gunicorn (2 workers) on PostgreSQL, on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfit_bench_default \
        .venv/bin/python bench/bench_http.py

Uses a database of its own (DATABASE_URL's name + "_http"), with the demo data only
(`load_demo`), as the figures in the issue were measured. Starts gunicorn with 2
workers on 127.0.0.1 in production settings (DEBUG off, static files collected and
served by WhiteNoise), then runs wrk (Debian's package: 2 threads, 50 connections,
BENCH_HTTP_SECONDS each, default 20) on: a static file (the floor), the home page, the
signatories, the public dashboard, a criteria search and a signed-in procurer's report
page. Prints requests/s, p50 and p99 latency, errors, the ratio of the static file's
rate to each page's (target: every page >= 250 req/s, within 15x of the static file),
and the SQL queries each page runs (counted once through Django's test client).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import Figure, write  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CONNECTIONS = 50


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare(url: str) -> str:
    """Create, migrate and fill the HTTP benchmark's own database; returns its URL."""
    import psycopg
    from psycopg import sql

    server, _, name = url.rpartition("/")
    name = f"{name}_http"
    with psycopg.connect(
        server.replace("postgres://", "postgresql://") + "/postgres", autocommit=True
    ) as admin:
        if not admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server}/{name}"


def _parse_wrk(output: str) -> dict[str, float]:
    def latency_ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx[1]) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    requests = re.search(r"(\d+) requests in", output)
    return {
        "rate": float(rate[1]) if rate else 0.0,
        "p50": latency_ms("50"),
        "p99": latency_ms("99"),
        "errors": errors,
        "requests": int(requests[1]) if requests else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=int, default=int(os.environ.get("BENCH_HTTP_SECONDS", "20"))
    )
    parser.add_argument("--json", help="write the figures to this file as JSON")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    url = _prepare(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "0",
        "DJANGO_SETTINGS_MODULE": "cfit.settings",
    }
    os.environ.update(env)
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "-v", "0"],
        ["createcachetable"],
        ["load_demo"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run(
            [*manage, *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cfit.accounts.models import User
    from cfit.monitoring.models import PurchaseReport

    procurer = User.objects.get(email="procurer@demo.cfit.example")
    report = (
        PurchaseReport.objects.filter(organisation__memberships__user=procurer)
        .order_by("-year")
        .select_related("organisation")
        .first()
    )
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(procurer)
    cookie = f"sessionid={signed_in.cookies['sessionid'].value}"
    static = "/static/css/site.css"
    pages = [
        ("static_file", static, None),
        ("home", "/", None),
        ("signatories", "/signatories/", None),
        ("public_dashboard", "/dashboards/", None),
        ("criteria_search", "/criteria/?q=battery", None),
        (
            "report_page",
            f"/reports/{report.organisation.slug}/{report.year}/",
            cookie,
        ),
    ]
    queries: dict[str, int] = {}
    anonymous = Client(HTTP_HOST="127.0.0.1")
    for name, path, with_cookie in pages[1:]:
        client = signed_in if with_cookie else anonymous
        client.get(path)  # the first request fills the caches, as under load
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries[name] = len(captured.captured_queries)
    connection.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "cfit.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + static, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        figures = []
        results: dict[str, dict[str, float]] = {}
        for name, path, with_cookie in pages:
            command = [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{args.seconds}s",
                "--latency",
                # A slow answer is counted, not dropped (wrk's default is 2 s).
                "--timeout",
                "10s",
            ]
            if with_cookie:
                command += ["-H", f"Cookie: {with_cookie}"]
            # A short warm-up: every worker has loaded its caches before the count.
            subprocess.run([*command[:3], "-d2s", base + path], capture_output=True)
            output = subprocess.run(
                [*command, base + path], capture_output=True, text=True, check=True
            ).stdout
            results[name] = result = _parse_wrk(output)
            floor = results["static_file"]["rate"]
            is_page = name != "static_file"
            figures.append(
                Figure(
                    f"http.{name}",
                    result["rate"],
                    "req/s",
                    floor=floor if is_page else None,
                    floor_unit="req/s (static file)",
                    ratio=floor / result["rate"]
                    if is_page and result["rate"]
                    else None,
                    target=">= 250 req/s, ratio <= 15, 0 errors" if is_page else "",
                    met=(
                        result["rate"] >= 250
                        and floor / max(result["rate"], 1e-9) <= 15
                        and result["errors"] == 0
                    )
                    if is_page
                    else None,
                    size=f"demo data, {CONNECTIONS} connections, {args.seconds} s",
                    extra={
                        "p50_ms": result["p50"],
                        "p99_ms": result["p99"],
                        "errors": result["errors"],
                        "requests": result["requests"],
                        # The machine is shared: how busy it was, beside each figure.
                        "load_average": round(os.getloadavg()[0], 1),
                        **({"queries": queries[name]} if name in queries else {}),
                    },
                )
            )
            print(
                f"  {name}: p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
                f"{result['errors']} errors"
                + (f", {queries[name]} queries" if name in queries else ""),
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    write(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
