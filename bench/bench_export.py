"""How fast a tender document of 40 criteria is written as DOCX and as PDF.

    DATABASE_URL=sqlite:////tmp/cfit-bench-export.sqlite3 .venv/bin/python bench/bench_export.py

Takes the published criteria that the migrations bring (their current versions,
parameters and ecolabels), repeated up to 40 picks, builds the document as the tender
builder's download does (`exports.build_document`), then times `to_docx` and `to_pdf`
(best of the runs; the CPU time of the same calls beside it, as the machine is shared,
and the first call of a fresh process, which loads the library and its fonts). The floor is the Markdown export of the same document: the content
alone, without a file format around it. Target: DOCX and PDF each under one second.
"""

import argparse
import os
import sys
import time
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import Figure, write  # noqa: E402
from generate import setup_django  # noqa: E402

CRITERIA = 40


CPU_MS: dict[str, float] = {}


def _best_ms(function, runs: int, name: str = "") -> float:  # type: ignore[no-untyped-def]
    """Best wall time of the runs in ms; the best CPU time goes to CPU_MS[name]."""
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    CPU_MS[name] = min(cpu)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="write the figures to this file as JSON")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    from cfit.criteria import exports
    from cfit.criteria.models import Criterion, ProductGroup
    from cfit.criteria.services import Pick

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    product_group = ProductGroup.objects.get(code="laptop")
    versions = [
        c.current_version
        for c in Criterion.objects.published().for_product_group(product_group)
    ]
    versions = [v for v in versions if v is not None]
    picks = [Pick(version=v, values={}) for v in islice(cycle(versions), CRITERIA)]
    document = exports.build_document(
        title="Laptops for the municipality, 2026",
        organisation="Benchmark organisation",
        product_group=product_group,
        level="ambitious",
        refurbished_lot=True,
        picks=picks,
        site_url="https://cfit.example",
        builder_url="https://cfit.example/criteria/builder/",
    )
    floor = _best_ms(lambda: exports.to_markdown(document), args.runs)
    size = f"{len(picks)} criteria ({len(versions)} distinct)"
    figures = [Figure("export.markdown", floor, "ms", size=size)]
    for name, make in (("docx", exports.to_docx), ("pdf", exports.to_pdf)):
        started = time.perf_counter()
        size_bytes = len(make(document))  # the first call: the library loads
        first_ms = (time.perf_counter() - started) * 1000
        ms = _best_ms(lambda make=make: make(document), args.runs, name)
        figures.append(
            Figure(
                f"export.{name}",
                ms,
                "ms",
                floor=floor,
                floor_unit="ms (Markdown)",
                ratio=ms / floor,
                target="< 1,000 ms",
                met=ms < 1000,
                size=size,
                extra={
                    "bytes": size_bytes,
                    "cpu_ms": round(CPU_MS[name], 1),
                    "first_call_ms": round(first_ms, 1),
                    "load_average": round(os.getloadavg()[0], 1),
                },
            )
        )
    write(args.json, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
