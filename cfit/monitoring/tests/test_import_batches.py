"""Good lines are counted and written in batches: the totals, the lines and the
all-or-nothing rule are those of reading them one by one."""

import io
from decimal import Decimal

import pytest

from cfit.monitoring import services
from cfit.monitoring.importing import ImportCheck, check_purchases, reading
from cfit.monitoring.models import PurchaseLine

from .factories import PurchaseReportFactory, ecolabel

pytestmark = pytest.mark.django_db

HEADER = "Product group,Quantity,Ecolabels,Spend (EUR),Country of use\n"


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO((HEADER + text).encode())


def test_lines_added_in_a_batch_give_the_totals_of_adding_them_one_by_one():
    text = (
        "smartphone,3,,0.00,NL\nlaptop,2,,10.50,NL\nsmartphone,4,,,BE\nlaptop,1,,5,DE\n"
    )
    lines = check_purchases(csv_file(text), keep_lines=True).lines
    check = ImportCheck()
    check.add_lines(lines[:2], keep=True)
    check.add_lines(lines[2:], keep=True)
    assert check.line_count == 4
    assert check.device_count == 10
    assert str(check.spend_eur) == "15.50"
    # The groups in the order they first appear, as the preview lists them.
    assert [(code, t.lines, t.devices) for code, t in check.totals.items()] == [
        ("smartphone", 2, 7),
        ("laptop", 2, 3),
    ]
    assert check.lines == lines


def test_a_file_of_zero_spends_keeps_the_cents_of_its_total():
    check = check_purchases(csv_file("laptop,1,,0.00,NL\n"))
    assert str(check.spend_eur) == "0.00"
    assert check.spend_eur == Decimal(0)


def test_an_import_of_several_batches_writes_every_line_and_link(
    monkeypatch, organisation_a, procurer_a
):
    monkeypatch.setattr(services, "LINES_PER_BATCH", 3)
    monkeypatch.setattr(reading, "LINES_PER_BATCH", 3)
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    label = ecolabel()
    text = "".join(
        f"laptop,{n + 1},{label.code if n % 2 else ''},1.25,NL\n" for n in range(10)
    )
    check = services.purchases_import(report=report, file=csv_file(text), by=procurer_a)
    assert check.ok, check.problems
    assert (check.line_count, check.device_count) == (10, 55)
    assert check.spend_eur == Decimal("12.50")
    lines = PurchaseLine.objects.filter(report=report)
    assert sorted(lines.values_list("quantity", flat=True)) == list(range(1, 11))
    assert sorted(lines.filter(ecolabels=label).values_list("quantity", flat=True)) == [
        2,
        4,
        6,
        8,
        10,
    ]


def test_a_problem_after_a_written_batch_still_leaves_nothing(
    monkeypatch, organisation_a, procurer_a
):
    monkeypatch.setattr(services, "LINES_PER_BATCH", 3)
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    text = "laptop,1,,,NL\n" * 7 + "laptop,zero,,,NL\n" + "laptop,2,,,NL\n" * 4
    check = services.purchases_import(report=report, file=csv_file(text), by=procurer_a)
    assert not check.ok
    assert check.line_count == 11
    assert [str(p) for p in check.problems] == [
        'row 9, column Quantity: "zero" is not a whole number of devices.'
    ]
    assert not PurchaseLine.objects.filter(report=report).exists()
