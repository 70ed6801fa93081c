"""How fast the impact selector computes the whole Pact's totals from SQL sums.

    DATABASE_URL=sqlite:////tmp/cfit-bench-impact.sqlite3 \
        .venv/bin/python bench/bench_impact.py --lines 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfit_bench_impact \
        .venv/bin/python bench/bench_impact.py --lines 1000000

Generates the data with bench/generate.py (seeded, bulk inserts) when the database holds
fewer lines than asked, then prints the data size and, best of the runs:
- the Pact totals (impact_by over every counted line, no grouping key),
- the Pact totals by year and country (more groups),
- the bare GROUP BY query alone, to show what the Python side adds,
as milliseconds and lines per second. Target: the Pact totals in under one second.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import clear, generate, setup_django  # noqa: E402

TARGET_MS = 1000


def _best_ms(function, runs: int) -> float:  # type: ignore[no-untyped-def]
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

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F, FloatField, Q, Sum

    from cfit.impact import selectors
    from cfit.monitoring.models import PurchaseLine

    call_command("migrate", verbosity=0, interactive=False)
    if args.regenerate or PurchaseLine.objects.count() < args.lines:
        clear()
        made = generate(organisations=args.organisations, lines=args.lines, seed=1)
        print(f"generated {made.lines:,} lines in {made.seconds:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
            )

    lines = selectors.pact_lines()
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
    print(f"database: {connection.vendor}")
    print(
        f"data: {count:,} counted purchase lines ({devices:,} devices), "
        f"lines table with indexes {size / 1e6:.0f} MB"
    )

    result = selectors.impact_by(lines)
    print(
        f"FactorSet {result.factorset}: saving {result.total.saving.gwp_kg / 1000:,.0f} t "
        f"CO2e, footprint {result.total.footprint.gwp_kg / 1000:,.0f} t CO2e "
        f"over {result.total.devices:,} devices"
    )
    bare = (
        lines.order_by()
        .values("product_group_id", "condition", "country_of_use")
        .annotate(
            devices=Sum("quantity"),
            device_years=Sum(
                F("quantity") * F("expected_lifetime_years"), output_field=FloatField()
            ),
            lifetime_unknown=Sum(
                "quantity", filter=Q(expected_lifetime_years__isnull=True)
            ),
            reused=Sum("devices_retired", filter=Q(retired_to="reuse")),
        )
    )
    groups = len(list(bare))
    measures = [
        ("Pact totals", lambda: selectors.impact_by(lines)),
        (
            "Pact totals by year and country",
            lambda: selectors.impact_by(lines, keys=["year", "country"]),
        ),
        (f"bare GROUP BY alone ({groups} groups)", lambda: list(bare.all())),
    ]
    ok = True
    for name, function in measures:
        ms = _best_ms(function, args.runs)
        print(f"{name}: {ms:,.0f} ms, {count / (ms / 1000):,.0f} lines/s")
        if name == "Pact totals":
            ok = ms < TARGET_MS
    print(f"target: Pact totals under {TARGET_MS} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
