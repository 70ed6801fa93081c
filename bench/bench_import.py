"""How fast purchase lines import from CSV and XLSX, against the bare floor.

    DATABASE_URL=sqlite:////tmp/cfit-bench-import.sqlite3 .venv/bin/python bench/bench_import.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfit_bench_import \
        .venv/bin/python bench/bench_import.py --lines 100000 --million

Generates (seeded, in a temporary folder, nothing committed) a CSV of --lines purchase
lines in the template's columns and the same lines as XLSX, then measures, each in a
fresh process so that peak memory is the import's own:
- the floor: read the CSV with the csv module and insert the same rows into the lines
  table with one executemany, in one transaction;
- the import of the CSV and of the XLSX through the real code path
  (cfit.monitoring.services.purchases_import: parse, check every value, write, history);
- with --million, the import of a 1,000,000-line CSV, for its peak memory;
- with --million-xlsx, the same as XLSX (sheets that big are read as a stream).
Prints lines per second of CPU time (this process's and, on PostgreSQL, its server
process's: the machine is shared, so wall time mostly measures the other processes;
the wall-clock rate and the load average are kept beside each figure), peak memory
(max resident set) and the ratios to the floor.
On PostgreSQL the floor is the csv module feeding one bare COPY; on SQLite one
executemany. Targets (2 cores): CSV >= 40,000 lines/s and within 2x of the floor; XLSX
within 1.5x of CSV; 1,000,000 lines in under 300 MB.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import Figure, write  # noqa: E402

BENCH_SLUG = "bench-import"
YEAR = 2025


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfit.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/cfit-bench-import.sqlite3")
    import django

    django.setup()


def cpu_seconds() -> float:
    """CPU time of this process and of its PostgreSQL server process, if any.

    The machine is shared: wall time says more about the other processes than about
    the import. PostgreSQL runs on this machine, so its backend's CPU time (from
    /proc) is counted too: a COPY's work is mostly the server's.
    """
    from django.db import connection

    total = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


HEADER = [
    "Product group",
    "Quantity",
    "Condition",
    "Expected lifetime (years)",
    "Warranty (years)",
    "Ecolabels",
    "Criteria applied",
    "Spend (EUR)",
    "Country of use",
    "Tender reference",
    "Devices retired",
    "Retired to",
]


def rows(count: int, seed: int, criteria: dict[str, list[str]]) -> Iterator[list[str]]:
    """Plausible purchase lines: a third carry ecolabels, a fifth list criteria."""
    rng = random.Random(seed)
    countries = ["NL", "BE", "DE", "FR", "DK", "SE", "ES", "IT", "AT", "FI"]
    conditions = ["new"] * 6 + [
        "refurbished",
        "refurbished",
        "remanufactured",
        "reused",
    ]
    labels = [
        "tco-certified",
        "epeat-gold",
        "epeat-silver",
        "eu-ecolabel",
        "blue-angel",
    ]
    routes = ["reuse", "take_back", "recycling", "stored", "unknown"]
    for n in range(count):
        group = "laptop" if rng.random() < 0.6 else "smartphone"
        retired = rng.choice([0, 0, rng.randint(1, 400)])
        yield [
            group,
            str(rng.randint(1, 2000)),
            rng.choice(conditions),
            rng.choice(["", "3", "4", "4.5", "5", "6", "7"]),
            rng.choice(["", "1", "2", "3", "5"]),
            "; ".join(rng.sample(labels, rng.randint(1, 2)))
            if rng.random() < 0.33
            else "",
            "; ".join(rng.sample(criteria[group], 2))
            if rng.random() < 0.2 and len(criteria[group]) >= 2
            else "",
            f"{rng.randint(300, 2_000_000)}.{rng.randint(0, 99):02d}",
            rng.choice(countries),
            f"T-{YEAR}-{n // 50:05d}",
            str(retired),
            rng.choice(routes) if retired else "",
        ]


def write_csv(
    path: Path, count: int, seed: int, criteria: dict[str, list[str]]
) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(count, seed, criteria))


def write_xlsx(path: Path, csv_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Purchases")
    numeric = {1, 3, 4, 7, 10}
    with csv_path.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        sheet.append(next(reader))
        for row in reader:
            sheet.append(
                [
                    (float(v) if "." in v else int(v))
                    if i in numeric and v
                    else (v or None)
                    for i, v in enumerate(row)
                ]
            )
    workbook.save(path)


# ---------------------------------------------------------------- measured, in a child


def child_floor(path: Path) -> dict[str, float]:
    from django.db import connection, transaction

    from cfit.monitoring.models import PurchaseLine, PurchaseReport
    from cfit.organisations.models import Organisation

    report = PurchaseReport.objects.get(organisation__slug=BENCH_SLUG, year=YEAR)
    groups = dict(
        __import__(
            "cfit.criteria.models", fromlist=["ProductGroup"]
        ).ProductGroup.objects.values_list("code", "pk")
    )
    quote = connection.ops.quote_name
    columns = [
        "report_id",
        "product_group_id",
        "quantity",
        "condition",
        "expected_lifetime_years",
        "warranty_years",
        "spend_eur",
        "country_of_use",
        "tender_reference",
        "devices_retired",
        "retired_to",
        "has_ecolabel",
        "applies_base_criteria",
        "version",
        "created_at",
        "updated_at",
    ]
    sql = (
        f"INSERT INTO {quote(PurchaseLine._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    now = connection.ops.adapt_datetimefield_value(
        __import__("django.utils.timezone", fromlist=["now"]).now()
    )
    del Organisation

    def values(r: list[str]) -> tuple:  # type: ignore[type-arg]
        return (
            report.pk,
            groups[r[0]],
            r[1],
            r[2],
            r[3] or None,
            r[4] or None,
            r[7] or None,
            r[8],
            r[9],
            r[10],
            r[11],
            bool(r[5]),
            False,
            1,
            now,
            now,
        )

    cpu = cpu_seconds()
    started = time.perf_counter()
    with transaction.atomic(), path.open(newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        next(reader)
        count = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The fastest way PostgreSQL takes rows: one bare COPY, fed row by row.
                copy_sql = (
                    f"COPY {quote(PurchaseLine._meta.db_table)} "
                    f"({', '.join(quote(c) for c in columns)}) FROM STDIN"
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    for r in reader:
                        copy.write_row(values(r))
                        count += 1
            else:
                params = [values(r) for r in reader]
                cursor.executemany(sql, params)
                count = len(params)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(PurchaseLine._meta.db_table)} WHERE report_id = %s",
            [report.pk],
        )
    return {"lines": count, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb()}


def child_import(path: Path) -> dict[str, float]:
    from cfit.monitoring.models import PurchaseReport
    from cfit.monitoring.services import purchases_import
    from cfit.monitoring.writing import delete_lines

    report = PurchaseReport.objects.select_related("organisation").get(
        organisation__slug=BENCH_SLUG, year=YEAR
    )
    # The lines of the previous run go first, outside the measured time.
    delete_lines(report)
    cpu = cpu_seconds()
    started = time.perf_counter()
    with path.open("rb") as file:
        check = purchases_import(report=report, file=file, by=None, replace=True)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    if not check.ok:
        raise SystemExit(f"import failed: {[str(p) for p in check.problems[:5]]}")
    stored = report.lines.count()
    assert stored == check.line_count, (stored, check.line_count)
    return {
        "lines": check.line_count,
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak_mb(),
    }


def run_child(kind: str, path: Path, profile: str = "") -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "BENCH_PROFILE_OUT": profile},
    )
    if output.returncode != 0:
        print(output.stderr[-3000:], file=sys.stderr)
        output.check_returncode()
    if kind == "profile":
        print(output.stderr)
    return json.loads(output.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the parent


def prepare() -> dict[str, list[str]]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from cfit.criteria.models import Criterion
    from cfit.monitoring.models import PurchaseReport
    from cfit.organisations.models import Organisation

    organisation, _created = Organisation.objects.get_or_create(
        slug=BENCH_SLUG,
        defaults={
            "name": "Benchmark import (generated)",
            "country": "NL",
            "kind": "local_government",
        },
    )
    report, _created = PurchaseReport.objects.update_or_create(
        organisation=organisation, year=YEAR, defaults={"status": "draft"}
    )
    # Start from an empty report, even after an interrupted run.
    from cfit.monitoring.writing import delete_lines

    delete_lines(report)
    return {
        group: list(
            Criterion.objects.filter(product_groups__code=group).values_list(
                "code", flat=True
            )
        )
        for group in ("laptop", "smartphone")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--million",
        action="store_true",
        help="Also import 1,000,000 lines for peak memory.",
    )
    parser.add_argument(
        "--million-xlsx",
        action="store_true",
        help="Also import 1,000,000 lines as XLSX (read as a stream) for peak memory.",
    )
    parser.add_argument("--json", help="write the figures to this file as JSON")
    parser.add_argument(
        "--profile", help="write a pyinstrument profile of the CSV import (HTML) here"
    )
    parser.add_argument(
        "--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    setup_django()
    if args.child:
        kind, path = args.child
        if kind == "profile":
            from pyinstrument import Profiler

            with Profiler() as profiler:
                result = child_import(Path(path))
            profiler.write_html(os.environ["BENCH_PROFILE_OUT"])
            print(
                profiler.output_text(show_all=False, color=False)[:6000],
                file=sys.stderr,
            )
        else:
            result = (
                child_floor(Path(path)) if kind == "floor" else child_import(Path(path))
            )
        print(json.dumps(result))
        return 0

    criteria = prepare()
    from django.db import connection

    print(
        f"database: {connection.vendor}, {os.cpu_count()} cores, {args.lines:,} lines"
    )
    with tempfile.TemporaryDirectory(prefix="cfit-bench-import-") as folder:
        csv_path = Path(folder) / "purchases.csv"
        xlsx_path = Path(folder) / "purchases.xlsx"
        write_csv(csv_path, args.lines, args.seed, criteria)
        write_xlsx(xlsx_path, csv_path)
        print(
            f"files: CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
            f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB"
        )
        floor = run_child("floor", csv_path)
        csv_run = run_child("import", csv_path)
        xlsx_run = run_child("import", xlsx_path)

        def rate(run: dict[str, float]) -> float:
            return run["lines"] / run["cpu"]

        def wall(run: dict[str, float]) -> dict[str, float]:
            return {
                "wall_lines_per_s": round(run["lines"] / run["seconds"]),
                "load_average": round(os.getloadavg()[0], 1),
            }

        floor_name = "COPY" if connection.vendor == "postgresql" else "executemany"
        size = f"{args.lines:,} lines"
        figures = [
            Figure(
                f"import.floor_csv_{floor_name.lower()}",
                rate(floor),
                "lines/s",
                size=size,
                extra={"peak_mb": floor["peak_mb"], **wall(floor)},
            ),
            Figure(
                "import.csv",
                rate(csv_run),
                "lines/s",
                floor=rate(floor),
                ratio=csv_run["cpu"] / floor["cpu"],
                target=">= 40,000 lines/s and ratio <= 2",
                met=rate(csv_run) >= 40_000 and csv_run["cpu"] / floor["cpu"] <= 2,
                size=size,
                extra={"peak_mb": csv_run["peak_mb"], **wall(csv_run)},
            ),
            Figure(
                "import.xlsx",
                rate(xlsx_run),
                "lines/s",
                floor=rate(csv_run),
                floor_unit="lines/s (CSV)",
                ratio=xlsx_run["cpu"] / csv_run["cpu"],
                target="ratio to CSV <= 1.5",
                met=xlsx_run["cpu"] / csv_run["cpu"] <= 1.5,
                size=size,
                extra={"peak_mb": xlsx_run["peak_mb"], **wall(xlsx_run)},
            ),
        ]
        if args.million:
            big = Path(folder) / "million.csv"
            write_csv(big, 1_000_000, args.seed + 1, criteria)
            million = run_child("import", big)
            figures.append(
                Figure(
                    "import.csv_1m_peak_memory",
                    million["peak_mb"],
                    "MB",
                    target="< 300 MB",
                    met=million["peak_mb"] < 300,
                    size="1,000,000 lines",
                    extra={"lines_per_s": rate(million)},
                )
            )
        if args.million_xlsx:
            big_csv = Path(folder) / "million-for-xlsx.csv"
            big_xlsx = Path(folder) / "million.xlsx"
            write_csv(big_csv, 1_000_000, args.seed + 2, criteria)
            write_xlsx(big_xlsx, big_csv)
            big_csv.unlink()
            million = run_child("import", big_xlsx)
            figures.append(
                Figure(
                    "import.xlsx_1m_peak_memory",
                    million["peak_mb"],
                    "MB",
                    target="< 300 MB",
                    met=million["peak_mb"] < 300,
                    size="1,000,000 lines",
                    extra={"lines_per_s": rate(million)},
                )
            )
        if args.profile:
            run_child("profile", csv_path, args.profile)
            print(f"profile of the CSV import: {args.profile}")
    from cfit.monitoring.models import PurchaseReport
    from cfit.monitoring.writing import delete_lines

    delete_lines(PurchaseReport.objects.get(organisation__slug=BENCH_SLUG, year=YEAR))
    write(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
