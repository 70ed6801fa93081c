"""Every write to a report's lines keeps its summary rows equal to a GROUP BY of them."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from cfit.monitoring import services, summaries
from cfit.monitoring.models import (
    PurchaseLine,
    PurchaseReport,
    ReportSummary,
    RetiredTo,
)

from .factories import PurchaseReportFactory, ecolabel, product_group

HEADER = (
    "Product group,Quantity,Condition,Expected lifetime (years),Country of use,"
    "Spend (EUR),Devices retired,Retired devices went to,Ecolabels\n"
)
FILE = (
    "laptop,10,new,5,NL,9500,4,reuse,TCO Certified\n"
    "laptop,3,new,,NL,,2,recycling,\n"
    "smartphone,7,refurbished,3.5,BE,2100.50,0,,\n"
    "laptop,5,refurbished,6,NL,3000,0,,\n"
)


def fresh_group_by(report: PurchaseReport) -> set[tuple]:
    """What the summary must hold: the report's lines grouped now, by the ORM."""
    rows = (
        PurchaseLine.objects.filter(report=report)
        .order_by()
        .values("product_group_id", "condition", "country_of_use")
        .annotate(
            n=Sum("quantity"),
            years=Sum(
                F("quantity") * F("expected_lifetime_years"),
                filter=Q(expected_lifetime_years__isnull=False),
            ),
            unknown=Sum("quantity", filter=Q(expected_lifetime_years__isnull=True)),
            reused=Sum("devices_retired", filter=Q(retired_to=RetiredTo.REUSE)),
            retired=Sum("devices_retired"),
            labelled=Sum("quantity", filter=Q(has_ecolabel=True)),
            base=Sum("quantity", filter=Q(applies_base_criteria=True)),
            spend=Sum("spend_eur"),
            lines=Count("pk"),
        )
    )
    return {
        (
            r["product_group_id"],
            r["condition"],
            r["country_of_use"],
            r["n"],
            Decimal(str(r["years"] or 0)).quantize(Decimal("0.01")),
            r["unknown"] or 0,
            r["reused"] or 0,
            r["retired"] or 0,
            r["labelled"] or 0,
            r["base"] or 0,
            Decimal(str(r["spend"] or 0)).quantize(Decimal("0.01")),
            r["lines"],
        )
        for r in rows
    }


def stored(report: PurchaseReport) -> set[tuple]:
    return {
        (
            s.product_group_id,
            s.condition,
            s.country_of_use,
            s.devices,
            Decimal(s.device_years).quantize(Decimal("0.01")),
            s.devices_lifetime_unknown,
            s.devices_reused,
            s.devices_retired,
            s.devices_with_ecolabel,
            s.devices_with_base_criteria,
            Decimal(s.spend_eur).quantize(Decimal("0.01")),
            s.lines,
        )
        for s in ReportSummary.objects.filter(report=report)
    }


def assert_summary_follows_lines(report: PurchaseReport) -> None:
    assert stored(report) == fresh_group_by(report)


@pytest.fixture
def report(organisation_a):
    return PurchaseReportFactory(organisation=organisation_a, year=2025)


def test_every_kind_of_write_keeps_the_summary_equal_to_the_lines(report, procurer_a):
    laptop, phone = product_group("laptop"), product_group("smartphone")
    values = {
        "product_group": laptop,
        "quantity": 12,
        "condition": "new",
        "expected_lifetime_years": Decimal("4.50"),
        "country_of_use": "NL",
        "devices_retired": 5,
        "retired_to": RetiredTo.REUSE,
        "spend_eur": Decimal("11400.00"),
    }
    # Add.
    line = services.line_create(
        report=report, by=procurer_a, values=values, ecolabels=[ecolabel()], criteria=[]
    )
    second = services.line_create(
        report=report,
        by=procurer_a,
        values={**values, "product_group": phone, "expected_lifetime_years": None},
        ecolabels=[],
        criteria=[],
    )
    assert ReportSummary.objects.filter(report=report).count() == 2
    assert_summary_follows_lines(report)
    # Edit: the key and the sums change.
    services.line_update(
        line=line,
        by=procurer_a,
        expected_version=line.version,
        values={"quantity": 30, "condition": "refurbished", "country_of_use": "BE"},
        ecolabels=[],
        criteria=[],
    )
    assert_summary_follows_lines(report)
    assert (
        ReportSummary.objects.get(report=report, condition="refurbished").devices == 30
    )
    # Delete.
    services.line_delete(line=second, by=procurer_a, expected_version=second.version)
    assert_summary_follows_lines(report)
    assert not ReportSummary.objects.filter(report=report, product_group=phone).exists()
    # Import, added to the lines there are.
    check = services.purchases_import(
        report=report, file=io.BytesIO((HEADER + FILE).encode()), by=procurer_a
    )
    assert check.ok, check.problems
    assert_summary_follows_lines(report)
    assert PurchaseLine.objects.filter(report=report).count() == 5
    # Import replacing every line.
    check = services.purchases_import(
        report=report,
        file=io.BytesIO((HEADER + "smartphone,2,new,3,FR,,0,,\n").encode()),
        by=procurer_a,
        replace=True,
    )
    assert check.ok, check.problems
    assert_summary_follows_lines(report)
    assert [(s.country_of_use, s.devices) for s in report.summaries.all()] == [
        ("FR", 2)
    ]


def test_a_failed_import_leaves_the_summary_as_it_was(report, procurer_a):
    services.purchases_import(
        report=report, file=io.BytesIO((HEADER + FILE).encode()), by=procurer_a
    )
    before = stored(report)
    check = services.purchases_import(
        report=report,
        file=io.BytesIO(
            (HEADER + "laptop,2,new,3,NL,,0,,\nlaptop,x,new,,NL,,0,,\n").encode()
        ),
        by=procurer_a,
        replace=True,
    )
    assert not check.ok
    assert stored(report) == before
    assert_summary_follows_lines(report)


def test_the_command_rebuilds_every_summary(report, procurer_a):
    services.purchases_import(
        report=report, file=io.BytesIO((HEADER + FILE).encode()), by=procurer_a
    )
    expected = stored(report)
    ReportSummary.objects.all().delete()
    ReportSummary.objects.create(
        report=report,
        product_group=product_group(),
        condition="new",
        country_of_use="XX",
        devices=99,
    )
    out = io.StringIO()
    call_command("refresh_report_summaries", stdout=out)
    assert stored(report) == expected
    assert "3 summary rows rebuilt" in out.getvalue()


def test_refreshing_a_report_without_lines_leaves_no_rows(report, procurer_a):
    services.purchases_import(
        report=report, file=io.BytesIO((HEADER + FILE).encode()), by=procurer_a
    )
    PurchaseLine.objects.filter(report=report).delete()
    summaries.refresh_report(report.pk)
    assert not report.summaries.exists()
