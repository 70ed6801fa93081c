"""How fast the public Pact dashboard renders on a large Pact, against its bare SQL.

    DATABASE_URL=sqlite:////tmp/cfit-bench-dashboards.sqlite3 \
        .venv/bin/python bench/bench_dashboard.py --organisations 5000 --lines 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfit_bench_dashboards \
        .venv/bin/python bench/bench_dashboard.py --organisations 5000 --lines 1000000

Generates the data with bench/generate.py when the database holds fewer lines than
asked (or with --regenerate), then prints:
- the data size (lines, organisations, devices, size of the lines table),
- the bare aggregate SQL: the GROUP BY queries the dashboard needs, run directly on the
  database with nothing around them (best of the runs), and the simplest of them alone,
- the render time of the public dashboard through Django's test client, cold (empty
  cache: every aggregate computed) and warm (the target: under 300 ms), as ratios to
  the bare SQL.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import clear, generate, setup_django  # noqa: E402

TARGET_WARM_MS = 300


def _timed(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    """Best wall time of `runs` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    setup_django()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client

    from cfit.dashboards import panels, selectors
    from cfit.dashboards.forms import Filters
    from cfit.monitoring.models import PurchaseLine

    call_command("migrate", verbosity=0, interactive=False)
    if args.regenerate or PurchaseLine.objects.count() < args.lines:
        clear()
        made = generate(organisations=args.organisations, lines=args.lines, seed=1)
        print(f"generated {made.lines:,} lines in {made.seconds:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # SQLite: no ANALYZE, as Django never runs it; with its statistics SQLite may
    # prefer walking the reports and looking up their lines, which is slower here.

    lines = PurchaseLine.objects.count()
    organisations = (
        PurchaseLine.objects.values("report__organisation").distinct().count()
    )

    devices = PurchaseLine.objects.aggregate(n=Sum("quantity"))["n"]
    table = PurchaseLine._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            size = cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [f"{table}%"]
            )
            size = cursor.fetchone()[0] or 0
    from cfit.monitoring.models import ReportSummary

    print(f"database: {connection.vendor}")
    print(
        f"data: {lines:,} purchase lines, {organisations:,} organisations reporting, "
        f"{devices:,} devices, lines table {size / 1e6:.0f} MB, "
        f"{ReportSummary.objects.count():,} report summary rows"
    )

    # The SQL the dashboard runs: record it once (with its parameters), replay it bare.
    queries: list[tuple[str, tuple]] = []  # type: ignore[type-arg]

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        panels.build(selectors.PACT, Filters(), protect=True)

    def run_bare() -> None:
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                cursor.fetchall()

    # The dashboards add up the report summaries (monitoring.ReportSummary).
    simplest = (
        selectors.counted_summaries(selectors.PACT, Filters())
        .values("report__year", "product_group_id")
        .annotate(n=Sum("devices"))
        .order_by()
    )

    def run_simplest() -> None:
        list(simplest.all())

    bare_ms = _timed(run_bare, args.runs)
    simplest_ms = _timed(run_simplest, args.runs)

    client = Client(HTTP_HOST="127.0.0.1")

    def render() -> None:
        response = client.get("/dashboards/")
        assert response.status_code == 200, response.status_code

    def render_cold() -> None:
        cache.clear()
        render()

    cold_ms = _timed(render_cold, max(2, args.runs // 2))
    render()
    warm_times = []
    for _ in range(args.runs * 4):
        started = time.perf_counter()
        render()
        warm_times.append((time.perf_counter() - started) * 1000)
    warm_ms = statistics.median(warm_times)

    print(f"bare aggregate SQL, all {len(queries)} dashboard queries: {bare_ms:.0f} ms")
    print(f"bare aggregate SQL, one GROUP BY year, product group: {simplest_ms:.0f} ms")
    print(
        f"render cold (cache empty): {cold_ms:.0f} ms, "
        f"ratio to the bare queries {cold_ms / bare_ms:.2f}"
    )
    print(
        f"render warm (cached aggregates): {warm_ms:.1f} ms (median of {len(warm_times)}), "
        f"ratio to the bare queries {warm_ms / bare_ms:.3f}, "
        f"to the one GROUP BY {warm_ms / simplest_ms:.3f}"
    )
    verdict = "meets" if warm_ms < TARGET_WARM_MS else "MISSES"
    print(f"warm render {verdict} the {TARGET_WARM_MS} ms target")
    return 0 if warm_ms < TARGET_WARM_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
