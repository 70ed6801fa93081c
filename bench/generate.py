"""Fill a database with generated organisations, reports, lines and forecasts, fast.

For benchmarks (dashboards, impact): the same seed always gives the same data.

    from bench.generate import generate      # with Django set up, from the repo root
    result = generate(organisations=5000, lines=1_000_000, seed=1)

or from the command line (uses DATABASE_URL, migrates first):

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/generate.py \
        --organisations 5000 --lines 1000000 --seed 1

Every organisation signs the Pact as procuring (approved) and gets one report per year;
lines are spread over the reports at random and written report by report. Lines are written with executemany in
batches, not through the ORM one by one: a million lines take well under a minute.
The many-to-many ecolabels and criteria are not filled; the two flags that dashboards
read (has_ecolabel, applies_base_criteria) are. Everything made carries the slug
prefix (default "bench-"), and `clear()` removes it again.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Countries weighted roughly like the Pact's signatories.
COUNTRIES = (
    ["NL"] * 6
    + ["BE"] * 3
    + ["DE"] * 3
    + ["FR"] * 2
    + ["DK", "SE", "FI", "IT", "ES", "IE", "AT", "NO", "US"]
)
CONDITIONS = ["new"] * 7 + ["refurbished"] * 2 + ["remanufactured", "reused"]
RETIRED_TO = ["reuse", "take_back", "recycling", "stored", "unknown"]
LIFETIMES = [
    None,
    Decimal("3"),
    Decimal("4"),
    Decimal("4.5"),
    Decimal("5"),
    Decimal("6"),
    Decimal("7"),
]
BATCH = 20_000


@dataclass(frozen=True)
class Generated:
    organisations: int
    reports: int
    lines: int
    devices: int
    forecasts: int
    seconds: float


def clear(*, prefix: str = "bench-") -> None:
    """Remove everything an earlier run with this prefix made (lines go with reports)."""
    from cfit.accounts.models import User
    from cfit.monitoring.models import DemandForecast, PurchaseLine, PurchaseReport
    from cfit.organisations.models import Organisation, Signature

    organisations = Organisation.objects.filter(slug__startswith=prefix)
    PurchaseLine.objects.filter(report__organisation__in=organisations).delete()
    PurchaseReport.objects.filter(organisation__in=organisations).delete()
    DemandForecast.objects.filter(organisation__in=organisations).delete()
    Signature.objects.filter(organisation__in=organisations).delete()
    organisations.delete()
    User.objects.filter(email=f"{prefix}generator@example.org").delete()


def generate(
    *,
    organisations: int,
    lines: int,
    seed: int = 1,
    years: Sequence[int] = (2023, 2024, 2025),
    prefix: str = "bench-",
    forecasts_per_organisation: int = 2,
) -> Generated:
    """Create `organisations` signatories and `lines` purchase lines over `years`.

    Needs Django set up and migrated; refuses if data with the prefix already exists
    (call `clear(prefix=...)` first).
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from cfit.accounts.models import User
    from cfit.criteria.models import ProductGroup
    from cfit.monitoring.models import (
        DemandForecast,
        PurchaseLine,
        PurchaseReport,
        ReportStatus,
    )
    from cfit.organisations.models import (
        Organisation,
        OrganisationKind,
        PactText,
        Signature,
        SignatureRole,
        SignatureStatus,
    )

    if organisations < 1 or lines < 0:
        raise ValueError("organisations must be at least 1 and lines not negative")
    if Organisation.objects.filter(slug__startswith=prefix).exists():
        raise ValueError(f"data with the prefix {prefix!r} exists: clear() it first")
    started = time.perf_counter()
    rng = random.Random(seed)
    now = timezone.now()
    product_groups = list(ProductGroup.objects.filter(in_pact_scope=True))
    pact_text = PactText.objects.filter(is_current=True).first()
    if not product_groups or pact_text is None:
        raise ValueError(
            "the database needs its migrations (product groups, Pact text)"
        )
    kinds = [k.value for k in OrganisationKind]

    with transaction.atomic():
        author = User.objects.create(email=f"{prefix}generator@example.org")
        made = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Generated organisation {prefix}{n:05d}",
                    slug=f"{prefix}{n:05d}",
                    country=rng.choice(COUNTRIES),
                    kind=rng.choice(kinds),
                    is_demo=True,
                )
                for n in range(1, organisations + 1)
            ],
            batch_size=2000,
        )
        # SQLite and PostgreSQL both return primary keys from bulk_create.
        Signature.objects.bulk_create(
            [
                Signature(
                    organisation=o,
                    role=SignatureRole.PROCURING,
                    signatory_name="Generated signatory",
                    signatory_title="Chief Procurement Officer",
                    pact_text=pact_text,
                    submitted_by=author,
                    status=SignatureStatus.APPROVED,
                    decided_at=now,
                    approved_on=date(min(years), 1, 15),
                )
                for o in made
            ],
            batch_size=2000,
        )
        statuses = [ReportStatus.ACCEPTED] * 6 + [
            ReportStatus.SUBMITTED,
            ReportStatus.DRAFT,
        ]
        reports = PurchaseReport.objects.bulk_create(
            [
                PurchaseReport(organisation=o, year=year, status=rng.choice(statuses))
                for o in made
                for year in years
            ],
            batch_size=2000,
        )
        country_of = {o.pk: o.country for o in made}
        devices = _insert_lines(
            connection,
            PurchaseLine,
            rng=rng,
            count=lines,
            reports=[(r.pk, country_of[r.organisation_id]) for r in reports],
            product_groups=[p.pk for p in product_groups],
            now=now,
        )
        # As every write to lines does: the reports' summaries follow, in the same
        # transaction (the figures and dashboards add these up, not the lines).
        from cfit.monitoring.summaries import refresh_all

        refresh_all()
        levels = ["base", "base", "ambitious", "frontrunner"]
        forecast_years = [max(years) + 1, max(years) + 2]
        forecasts = DemandForecast.objects.bulk_create(
            [
                DemandForecast(
                    organisation=o,
                    title=f"Planned tender {n + 1}",
                    product_group_id=rng.choice(product_groups).pk,
                    quantity=rng.randint(20, 2000),
                    year=rng.choice(forecast_years),
                    quarter=rng.randint(1, 4),
                    level=rng.choice(levels),
                    created_by=author,
                )
                for o in made
                for n in range(forecasts_per_organisation)
            ],
            batch_size=5000,
        )
    return Generated(
        organisations=len(made),
        reports=len(reports),
        lines=lines,
        devices=devices,
        forecasts=len(forecasts),
        seconds=time.perf_counter() - started,
    )


def _insert_lines(
    connection, model, *, rng, count, reports, product_groups, now
) -> int:  # type: ignore[no-untyped-def]
    """Insert `count` lines with executemany in batches; returns the devices bought."""
    table = model._meta.db_table
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
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({', '.join(columns)}) VALUES ({placeholders})"
    devices = 0
    lifetime_field = model._meta.get_field("expected_lifetime_years")
    spend_field = model._meta.get_field("spend_eur")
    stamp = model._meta.get_field("created_at").get_db_prep_value(now, connection)
    # Lines are spread over the reports at random, then written report by report, as
    # an import or a person typing a report writes them: a report's lines are together.
    per_report = [0] * len(reports)
    for _ in range(count):
        per_report[rng.randrange(len(reports))] += 1
    order = (reports[i] for i, n in enumerate(per_report) for _ in range(n))
    with connection.cursor() as cursor:
        for start in range(0, count, BATCH):
            rows = []
            for _ in range(min(BATCH, count - start)):
                report_id, country = next(order)
                quantity = rng.choice((1, 2, 5, 10, 20, 50, 100, 250))
                retired = rng.randint(0, quantity) if rng.random() < 0.6 else 0
                lifetime = rng.choice(LIFETIMES)
                devices += quantity
                rows.append(
                    (
                        report_id,
                        rng.choice(product_groups),
                        quantity,
                        rng.choice(CONDITIONS),
                        lifetime_field.get_db_prep_save(lifetime, connection),
                        None,
                        spend_field.get_db_prep_save(
                            Decimal(quantity * rng.randint(300, 1500)), connection
                        ),
                        country if rng.random() < 0.95 else rng.choice(COUNTRIES),
                        "",
                        retired,
                        rng.choice(RETIRED_TO) if retired else "",
                        rng.random() < 0.55,
                        rng.random() < 0.4,
                        1,
                        stamp,
                        stamp,
                    )
                )
            cursor.executemany(sql, rows)
    return devices


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="bench-")
    parser.add_argument(
        "--replace", action="store_true", help="clear earlier data first"
    )
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if args.replace:
        clear(prefix=args.prefix)
    result = generate(
        organisations=args.organisations,
        lines=args.lines,
        seed=args.seed,
        prefix=args.prefix,
    )
    print(
        f"{result.organisations} organisations, {result.reports} reports, "
        f"{result.lines} lines ({result.devices} devices), {result.forecasts} forecasts "
        f"in {result.seconds:.1f} s"
    )
    return 0


def setup_django() -> None:
    """Make the repository importable and set Django up, for scripts in bench/."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfit.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


if __name__ == "__main__":
    raise SystemExit(main())
