"""Run every benchmark on SQLite and PostgreSQL and write bench/results/latest.json.

    make bench                        # the default sizes (below), both databases
    BENCH_SCALE=full make bench       # the issue's full sizes: 1,000,000 lines, 5,000
                                      # organisations, and the 1,000,000-line import
    BENCH_DATABASES=sqlite make bench # one database only
    .venv/bin/python bench/run.py --only import,export --profile

Each benchmark runs in its own process on generated, seeded data (bench/generate.py;
the same seed gives the same data), in a database of its own: a SQLite file under
BENCH_SQLITE_DIR (default /tmp) and the PostgreSQL database BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/cfit_bench_<scale>, created when missing). The
generated data stays between runs and is made again only when the size changes.
Prints one line per figure, `name: value unit (floor value, ratio)`; a missed
target is reported, never a failure: benchmarks do not run in CI.

The scales (chosen so that `make bench` and `make load` together take under 20
minutes on a 2-core machine):
- small: 500 organisations, 50,000 lines; import of 20,000 lines (a quick look);
- default: 2,000 organisations, 200,000 lines; import of 100,000 lines;
- full: 5,000 organisations, 1,000,000 lines; import of 100,000 lines and the
  1,000,000-line import for peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from figures import Figure, read  # noqa: E402

SCALES = {
    "small": {"organisations": 500, "lines": 50_000, "import_lines": 20_000},
    "default": {"organisations": 2000, "lines": 200_000, "import_lines": 100_000},
    "full": {"organisations": 5000, "lines": 1_000_000, "import_lines": 100_000},
}
BENCHMARKS = ["impact", "dashboard", "import", "export", "http"]


def database_url(vendor: str, scale: str) -> str:
    if vendor == "sqlite":
        folder = os.environ.get("BENCH_SQLITE_DIR", "/tmp")
        return f"sqlite:///{folder}/cfit-bench-{scale}.sqlite3"
    url = os.environ.get(
        "BENCH_POSTGRES_URL", f"postgres://postgres@127.0.0.1:5432/cfit_bench_{scale}"
    )
    _create_postgres_database(url)
    return url


def _create_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, _, name = url.rpartition("/")
    with psycopg.connect(
        server.replace("postgres://", "postgresql://") + "/postgres", autocommit=True
    ) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def commands(name: str, sizes: dict[str, int], scale: str, profile_dir: Path | None):
    """The command line of one benchmark, or None where it does not apply."""
    python = sys.executable
    data = [
        "--organisations",
        str(sizes["organisations"]),
        "--lines",
        str(sizes["lines"]),
    ]
    if name == "impact":
        return [python, str(BENCH / "bench_impact.py"), *data, "--runs", "3"]
    if name == "dashboard":
        extra = (
            ["--profile", str(profile_dir / "dashboard.html")] if profile_dir else []
        )
        return [python, str(BENCH / "bench_dashboard.py"), *data, "--runs", "5", *extra]
    if name == "import":
        extra = ["--million"] if scale == "full" else []
        if profile_dir:
            extra += ["--profile", str(profile_dir / "import.html")]
        return [
            python,
            str(BENCH / "bench_import.py"),
            "--lines",
            str(sizes["import_lines"]),
            *extra,
        ]
    if name == "export":
        return [python, str(BENCH / "bench_export.py")]
    if name == "http":
        return [python, str(BENCH / "bench_http.py")]
    raise ValueError(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "default"))
    parser.add_argument(
        "--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgresql")
    )
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""))
    parser.add_argument(
        "--profile", action="store_true", help="write pyinstrument profiles too"
    )
    args = parser.parse_args()
    if args.scale not in SCALES:
        parser.error(f"BENCH_SCALE must be one of {', '.join(SCALES)}")
    sizes = SCALES[args.scale]
    chosen = [b for b in BENCHMARKS if not args.only or b in args.only.split(",")]
    results_dir = BENCH / "results"
    results_dir.mkdir(exist_ok=True)
    started = time.perf_counter()
    print(
        f"cfit benchmarks, scale {args.scale}: {sizes['organisations']:,} organisations, "
        f"{sizes['lines']:,} lines; imports of {sizes['import_lines']:,} lines; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    report: dict[str, object] = {
        "scale": args.scale,
        "sizes": sizes,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_average_at_start": os.getloadavg()[0],
        "results": {},
    }
    results: dict[str, list[dict[str, object]]] = {}
    for vendor in args.databases.split(","):
        url = database_url(vendor, args.scale)
        for name in chosen:
            if name == "http" and vendor != "postgresql":
                continue  # the HTTP benchmark is the production setup: PostgreSQL
            profile_dir = results_dir / f"profile-{vendor}" if args.profile else None
            if profile_dir:
                profile_dir.mkdir(exist_ok=True)
            print(f"== {name} on {vendor}", flush=True)
            with tempfile.NamedTemporaryFile(suffix=".json") as out:
                command = [*commands(name, sizes, args.scale, profile_dir)]
                command += ["--json", out.name]
                env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
                done = subprocess.run(command, env=env, cwd=BENCH.parent)
                figures = read(Path(out.name)) if Path(out.name).stat().st_size else []
            if done.returncode != 0 or not figures:
                print(f"{name} on {vendor} did not finish (exit {done.returncode})")
                figures = [Figure(f"{name}.failed", done.returncode, "exit code")]
            results.setdefault(vendor, []).extend(
                {**figure.__dict__, "benchmark": name} for figure in figures
            )
    # A partial run (--only, one database) updates its figures and keeps the others.
    latest = results_dir / "latest.json"
    if latest.exists() and (args.only or len(args.databases.split(",")) < 2):
        earlier = json.loads(latest.read_text())
        if earlier.get("scale") == args.scale:
            for vendor, figures in earlier.get("results", {}).items():
                ran = {f["benchmark"] for f in results.get(vendor, [])}
                kept = [f for f in figures if f["benchmark"] not in ran]
                results[vendor] = kept + results.get(vendor, [])
    report["results"] = results
    report["seconds"] = round(time.perf_counter() - started, 1)
    (results_dir / "latest.json").write_text(json.dumps(report, indent=1))
    print()
    print(f"== all figures ({report['seconds']} s), also in bench/results/latest.json")
    for vendor, figures in results.items():
        for item in figures:
            fields = {k: v for k, v in item.items() if k != "benchmark"}
            print(f"{vendor:10} {Figure(**fields).line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
