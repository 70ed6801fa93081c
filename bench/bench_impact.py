"""How fast the impact selector computes the whole Pact's totals from SQL sums.

    DATABASE_URL=sqlite:////tmp/cfit-bench-impact.sqlite3 \
        .venv/bin/python bench/bench_impact.py --lines 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfit_bench_impact \
        .venv/bin/python bench/bench_impact.py --lines 1000000

Generates the data with bench/generate.py (seeded, bulk inserts) when the database holds
fewer lines than asked, then prints the data size and, best of the runs:
- the Pact totals (impact_by over the counted reports' summary rows, no grouping key),
- the Pact totals by year and country (more groups),
- the bare GROUP BY query over the summaries alone, to show what the Python side adds,
- for comparison, the Pact totals summed from every line, and the time to rebuild
  every report summary from the lines (`manage.py refresh_report_summaries`),
as milliseconds. Target: the Pact totals in under 200 ms.
"""

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import Figure, write  # noqa: E402
from generate import clear, generate, setup_django  # noqa: E402


def _best_ms(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def _rebuild() -> None:
    """Every report's summary rows, rebuilt from the lines in one transaction."""
    from django.db import transaction

    from cfit.monitoring.summaries import refresh_all

    with transaction.atomic():
        refresh_all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--json", help="write the figures to this file as JSON")
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import FloatField, Sum

    from cfit.impact import selectors
    from cfit.monitoring.models import PurchaseLine, ReportSummary

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if args.regenerate or PurchaseLine.objects.count() < args.lines:
        clear()
        made = generate(organisations=args.organisations, lines=args.lines, seed=1)
        print(f"generated {made.lines:,} lines in {made.seconds:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
            )

    lines = selectors.pact_lines()
    if not ReportSummary.objects.exists() and lines.exists():
        # A database generated before the summaries: fill them as the migration does.
        _rebuild()
    count = lines.count()
    devices = lines.aggregate(n=Sum("quantity"))["n"] or 0
    table = PurchaseLine._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        else:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [f"{table}%"]
            )
        size = cursor.fetchone()[0] or 0
    # What the figures add up: the report summaries (monitoring.ReportSummary).
    summaries = selectors.pact_summaries()
    print(f"database: {connection.vendor}")
    print(
        f"data: {count:,} counted purchase lines ({devices:,} devices), "
        f"lines table with indexes {size / 1e6:.0f} MB, "
        f"{summaries.count():,} counted report summary rows "
        f"(of {ReportSummary.objects.count():,})"
    )

    result = selectors.impact_by(summaries)
    from_lines = selectors.impact_by(lines).total
    if result.total.devices != from_lines.devices or not math.isclose(
        result.total.saving.gwp_kg, from_lines.saving.gwp_kg, rel_tol=1e-9
    ):
        print("the report summaries do not add up to the lines: refresh them")
        return 1
    print(
        f"FactorSet {result.factorset}: saving {result.total.saving.gwp_kg / 1000:,.0f} t "
        f"CO2e, footprint {result.total.footprint.gwp_kg / 1000:,.0f} t CO2e "
        f"over {result.total.devices:,} devices"
    )
    bare = (
        summaries.order_by()
        .values("product_group_id", "condition", "country_of_use")
        .annotate(
            n_devices=Sum("devices"),
            n_device_years=Sum("device_years", output_field=FloatField()),
            n_lifetime_unknown=Sum("devices_lifetime_unknown"),
            n_reused=Sum("devices_reused"),
        )
    )
    groups = len(list(bare))
    measures = [
        ("Pact totals", lambda: selectors.impact_by(summaries)),
        (
            "Pact totals by year and country",
            lambda: selectors.impact_by(summaries, keys=["year", "country"]),
        ),
        (f"bare GROUP BY alone ({groups} groups)", lambda: list(bare.all())),
        (
            "Pact totals from the lines (without the summaries)",
            lambda: selectors.impact_by(lines),
        ),
        ("rebuilding every report summary", _rebuild),
    ]
    size = f"{count:,} lines, {args.organisations:,} organisations"
    timings = {
        name: _best_ms(function, 1 if name.startswith("rebuilding") else args.runs)
        for name, function in measures
    }
    bare_ms = timings[f"bare GROUP BY alone ({groups} groups)"]
    totals_ms = timings["Pact totals"]
    figures = [
        Figure(
            "impact.pact_totals",
            totals_ms,
            "ms",
            floor=bare_ms,
            floor_unit="ms (bare GROUP BY)",
            ratio=totals_ms / bare_ms,
            target="< 200 ms",
            met=totals_ms < 200,
            size=size,
        ),
        Figure(
            "impact.pact_totals_by_year_and_country",
            timings["Pact totals by year and country"],
            "ms",
            floor=bare_ms,
            floor_unit="ms (bare GROUP BY)",
            ratio=timings["Pact totals by year and country"] / bare_ms,
            size=size,
        ),
        Figure(
            "impact.pact_totals_from_lines",
            timings["Pact totals from the lines (without the summaries)"],
            "ms",
            size=size,
        ),
        Figure(
            "impact.rebuild_all_summaries",
            timings["rebuilding every report summary"],
            "ms",
            size=size,
        ),
    ]
    write(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
