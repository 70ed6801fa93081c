"""manage.py import_purchases: all or nothing, every problem printed, exit codes."""

import io

import pytest
from django.core.management import CommandError, call_command

from cfit.monitoring.models import ChangeAction, PurchaseReport

from .factories import PurchaseLineFactory, PurchaseReportFactory, criterion

pytestmark = pytest.mark.django_db

GOOD = (
    "Product group;Quantity;Condition;Expected lifetime (years);Ecolabels;Criteria applied;Country of use\n"
    "laptop;100;new;5;TCO Certified;DIS-1;\n"
    "smartphone;40;refurbished;3,5;;;BE\n"
)


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_purchases", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        # From the shell, Django prints this and exits with 1.
        code, err = 1, io.StringIO(str(error))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path):
    criterion("DIS-1", groups=("laptop",))
    path = tmp_path / "purchases.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_a_good_file_is_stored_and_counted(organisation_a, good_file):
    code, out, _err = run(
        good_file, "--organisation", organisation_a.slug, "--year", "2025"
    )
    assert code == 0
    assert (
        out.strip()
        == "2 lines, 140 devices stored in the 2025 report of City of Alphen."
    )
    report = PurchaseReport.objects.get(organisation=organisation_a, year=2025)
    laptop = report.lines.get(product_group__code="laptop")
    assert laptop.country_of_use == "NL"  # the organisation's country by default
    assert [e.code for e in laptop.ecolabels.all()] == ["tco-certified"]
    assert [c.code for c in laptop.criteria.all()] == ["DIS-1"]
    assert laptop.has_ecolabel
    assert report.changes.get().action == ChangeAction.IMPORTED


def test_a_file_with_problems_prints_each_and_stores_nothing(organisation_a, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "Product group,Quantity,Expected lifetime (years)\nlaptop,5,4\ntoaster,0,20\nlaptop,x,\n"
    )
    code, out, err = run(path, "--organisation", organisation_a.slug, "--year", "2025")
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        'row 3, column Product group: unknown product group "toaster"; use one of: laptop, smartphone, tablet, desktop, display.',
        "row 3, column Quantity: the quantity must be at least 1.",
        "row 3, column Expected lifetime (years): the expected lifetime must be between 0.5 and 15 years.",
        'row 4, column Quantity: "x" is not a whole number of devices.',
        "4 problem(s) found; nothing was stored.",
    ]
    assert not PurchaseReport.objects.filter(organisation=organisation_a).exists()


def test_a_bad_file_leaves_an_existing_report_untouched(organisation_a, tmp_path):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    PurchaseLineFactory(report=report, quantity=7)
    path = tmp_path / "bad.csv"
    path.write_text("Product group,Quantity\nlaptop,3\nlaptop,-1\n")
    code, _out, _err = run(
        path, "--organisation", organisation_a.slug, "--year", "2025", "--replace"
    )
    assert code == 1
    assert list(report.lines.values_list("quantity", flat=True)) == [7]


def test_replace_swaps_the_lines_and_add_keeps_them(organisation_a, good_file):
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    PurchaseLineFactory(report=report, quantity=7)
    run(good_file, "--organisation", organisation_a.slug, "--year", "2025")
    assert report.lines.count() == 3
    code, out, _err = run(
        good_file, "--organisation", organisation_a.slug, "--year", "2025", "--replace"
    )
    assert code == 0
    assert "replacing the report's lines" in out
    assert sorted(report.lines.values_list("quantity", flat=True)) == [40, 100]


def test_a_dry_run_checks_and_stores_nothing(organisation_a, good_file):
    code, out, _err = run(
        good_file, "--organisation", organisation_a.slug, "--year", "2025", "--dry-run"
    )
    assert code == 0
    assert out.strip() == (
        "2 lines, 140 devices would be stored (dry run) in the 2025 report of City of Alphen."
    )
    assert not PurchaseReport.objects.exists()


def test_an_unknown_organisation_is_an_error(good_file):
    code, _out, err = run(good_file, "--organisation", "nobody", "--year", "2025")
    assert code == 1
    assert "No organisation with the slug 'nobody'." in err


def test_a_submitted_report_is_not_changed(organisation_a, good_file):
    PurchaseReportFactory(organisation=organisation_a, year=2025, status="submitted")
    code, _out, err = run(
        good_file, "--organisation", organisation_a.slug, "--year", "2025"
    )
    assert code == 1
    assert "locked" in err
