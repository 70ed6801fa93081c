"""Memory and time that each hostile file of issue 11 costs the import, and the door's
cost on an honest workbook.

    .venv/bin/python bench/bench_hostile.py [--honest PATH.xlsx]

Each file is read by the real import code (cfit.monitoring.importing.check_purchases)
in a child process under the same ceiling as production (cfit.lib.ceiling); printed:
the file's size, what it would inflate to, the child's peak memory growth, the time,
and the message the person sees.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--honest", type=Path, help="an honest XLSX or CSV to time")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfit.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from cfit.lib.ceiling import CeilingExceeded, run_with_ceiling
    from cfit.lib.tests import hostile
    from cfit.monitoring.importing import Vocabulary, check_purchases

    vocabulary = Vocabulary({}, {}, {}, {}, {}, {})
    files = {
        "sparse cell XFD1048576": hostile.sparse_cell_xlsx(),
        "workbook.xml 400 MB": hostile.workbook_bomb_xlsx(),
        "sharedStrings.xml 400 MB": hostile.shared_strings_bomb_xlsx(),
        "sheet of 1 GB whitespace": hostile.sheet_whitespace_bomb_xlsx(),
        "sheet lying about its size": hostile.lying_sheet_xlsx(),
        "billion laughs": hostile.entity_xlsx(),
        "CSV header x 2.3 million": hostile.repeated_header_csv(),
    }
    if args.honest:
        files[f"honest {args.honest.name}"] = args.honest.read_bytes()
    print(f"{'file':30} {'size':>10} {'peak growth':>12} {'time':>8}  message")
    for name, data in files.items():

        def read(_send, data=data):
            check = check_purchases(
                io.BytesIO(data), vocabulary=vocabulary, default_country="NL"
            )
            return check.problems[0].reason if check.problems else "accepted"

        started = time.monotonic()
        try:
            outcome = run_with_ceiling(read, memory_bytes=1024**3, seconds=600)
            growth = f"{outcome.usage.peak_growth_bytes / 2**20:.1f} MB"
            message = outcome.result[:70]
        except CeilingExceeded as exceeded:
            growth, message = "ceiling", str(exceeded)
        elapsed = time.monotonic() - started
        print(f"{name:30} {len(data):>10,} {growth:>12} {elapsed:>7.2f}s  {message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
