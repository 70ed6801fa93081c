"""How fast the public Pact dashboard renders on a large Pact, against its bare SQL.

    DATABASE_URL=sqlite:////tmp/cfit-bench-dashboards.sqlite3 \
        .venv/bin/python bench/bench_dashboard.py --organisations 5000 --lines 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfit_bench_dashboards \
        .venv/bin/python bench/bench_dashboard.py --organisations 5000 --lines 1000000

Generates the data with bench/generate.py when the database holds fewer lines than
asked (or with --regenerate), then prints:
- the data size (lines, organisations, devices, size of the lines table),
- the bare aggregate SQL of a recount: the GROUP BY queries that add the public
  dashboard's figures up from every counted report summary, run directly on the
  database with nothing around them (best of the runs), and the simplest of them alone
  (the dashboard itself keeps the Pact's sums up to date by difference instead),
- for the public, an organisation's and a buyer group's dashboard (through Django's
  test client, as the secretariat for the last two): warm p95 (target under 100 ms)
  and cold after a change (a report's version rises, as every write through the
  services does; target under 500 ms), the public one as ratios to its bare SQL.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import Figure, write  # noqa: E402
from generate import clear, generate, setup_django  # noqa: E402


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
    parser.add_argument("--json", help="write the figures to this file as JSON")
    parser.add_argument("--profile", help="write a pyinstrument profile (HTML) here")
    args = parser.parse_args()
    setup_django()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F, Sum
    from django.test import Client

    from cfit.dashboards import panels, partials, selectors
    from cfit.dashboards.forms import Filters
    from cfit.impact import selectors as impact
    from cfit.monitoring.models import PurchaseLine

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
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
        # Transaction control is the replay's own (below), not part of the figures.
        if not sql.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            queries.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    # The floor is a recount: what the public dashboard's figures cost when added up
    # from every counted summary (its grouped query and the effects' one), as the
    # dashboard did before it kept the Pact's sums (cfit.dashboards.partials).
    summaries = selectors.counted_summaries(selectors.PACT, Filters())
    with connection.execute_wrapper(record):
        selectors._grouped(summaries, panels.GROUPINGS)
        impact.impact_by(summaries, keys=["year"])

    def run_bare() -> None:
        # In one transaction: the settings the dashboard gives its grouped query
        # (SET LOCAL, on PostgreSQL) hold for it here too.
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                if cursor.description:
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

    secretariat = _secretariat()
    group_slug = _buyer_group(members=200)
    organisation_slug = (
        PurchaseLine.objects.values_list("report__organisation__slug", flat=True)
        .order_by("report__organisation__slug")
        .first()
    )
    anonymous = Client(HTTP_HOST="127.0.0.1")
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(secretariat)
    pages = [
        ("public", anonymous, "/dashboards/"),
        ("organisation", signed_in, f"/dashboards/organisations/{organisation_slug}/"),
        ("buyer_group", signed_in, f"/dashboards/groups/{group_slug}/"),
    ]
    size = f"{lines:,} lines, {organisations:,} organisations"
    figures = [
        Figure(
            "dashboard.bare_sql_public",
            bare_ms,
            "ms",
            size=size,
            extra={"queries": len(queries), "one_group_by_ms": simplest_ms},
        )
    ]
    from cfit.monitoring.models import PurchaseReport

    report = PurchaseReport.objects.filter(organisation__slug=organisation_slug).first()
    for name, client, url in pages:

        def render(client=client, url=url) -> None:  # type: ignore[no-untyped-def]
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        # An empty cache, and no sums kept in this process either (dashboards.partials).
        cache.clear()
        partials.forget()
        started = time.perf_counter()
        render()
        empty_ms = (time.perf_counter() - started) * 1000
        warm = []
        for _ in range(args.runs * 4):
            started = time.perf_counter()
            render()
            warm.append((time.perf_counter() - started) * 1000)
        warm.sort()
        p95 = warm[min(len(warm) - 1, int(len(warm) * 0.95))]
        # Cold after a change: a report changes (as every write through the services
        # does, its version rises), then the first request pays for what it invalidated.
        # Its CPU time too (this process's: the Python and, on SQLite, the SQL), which
        # the other processes of a loaded machine stretch less than the wall time.
        colds, cold_cpu = [], []
        for _ in range(max(3, args.runs // 2)):
            PurchaseReport.objects.filter(pk=report.pk).update(version=F("version") + 1)
            started, cpu = time.perf_counter(), time.process_time()
            render()
            colds.append((time.perf_counter() - started) * 1000)
            cold_cpu.append((time.process_time() - cpu) * 1000)
        cold = statistics.median(colds)
        figures += [
            Figure(
                f"dashboard.{name}_warm_p95",
                p95,
                "ms",
                floor=bare_ms if name == "public" else None,
                floor_unit="ms (bare SQL)",
                ratio=p95 / bare_ms if name == "public" else None,
                target="< 100 ms",
                met=p95 < 100,
                size=size,
                extra={"median_ms": statistics.median(warm), "runs": len(warm)},
            ),
            Figure(
                f"dashboard.{name}_cold_after_change",
                cold,
                "ms",
                floor=bare_ms if name == "public" else None,
                floor_unit="ms (bare SQL)",
                ratio=cold / bare_ms if name == "public" else None,
                target="< 500 ms",
                met=cold < 500,
                size=size,
                extra={
                    "empty_cache_ms": empty_ms,
                    "cpu_ms": statistics.median(cold_cpu),
                },
            ),
        ]
        if args.profile and name == "public":
            from pyinstrument import Profiler

            PurchaseReport.objects.filter(pk=report.pk).update(version=F("version") + 1)
            with Profiler() as profiler:
                render()
            profiler.write_html(args.profile)
            print(profiler.output_text(color=False)[:6000], file=sys.stderr)
    write(args.json, figures)
    return 0


def _secretariat():  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group

    from cfit.accounts.models import User
    from cfit.security.selectors import has_second_factor
    from cfit.security.services import second_factor_activate

    user, _ = User.objects.get_or_create(
        email="bench-secretariat@example.org", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Secretariat"))
    if not has_second_factor(user):
        # The secretariat reaches no page without an authenticator app.
        second_factor_activate(user=user, secret="JBSWY3DPEHPK3PXP")
    return user


def _buyer_group(*, members: int) -> str:
    """A national buyer group of generated organisations (coordinated by none)."""
    from cfit.groups.models import BuyerGroup, BuyerGroupMembership
    from cfit.organisations.models import Organisation

    group, created = BuyerGroup.objects.get_or_create(
        slug="bench-group",
        defaults={"name": "Benchmark buyer group", "kind": "national", "country": "NL"},
    )
    if created:
        BuyerGroupMembership.objects.bulk_create(
            BuyerGroupMembership(group=group, organisation=o, status="active")
            for o in Organisation.objects.filter(slug__startswith="bench-0")[:members]
        )
    return group.slug


if __name__ == "__main__":
    raise SystemExit(main())
