"""Dashboards in the browser: the public Pact figures, an organisation's own, a buyer
group's for its coordinator, and the secretariat's per-country view."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.db.models import Sum
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from cfit.dashboards.tests.conftest import report_with
from cfit.monitoring.models import PurchaseLine, ReportStatus
from cfit.monitoring.tests.factories import ReportingPeriodFactory, buyer_group_of
from cfit.organisations.tests.factories import signatory
from cfit.security.models import SecurityAction, SecurityEvent
from e2e.conftest import check_accessibility
from e2e.conftest import sign_in as shared_sign_in


def sign_in(page, base_url, email):
    shared_sign_in(page, base_url, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


@pytest.fixture
def pact_with_reports(organisation_a, organisation_b, coordinating_organisation):
    """Four organisations bought laptops and smartphones in 2024 and 2025."""
    others = [
        signatory(name="Province of Ceres", slug="ceres", country="NL"),
        signatory(name="Town of Delft", slug="delft", country="BE"),
    ]
    for n, organisation in enumerate([organisation_a, organisation_b, *others], 1):
        for year in (2024, 2025):
            report_with(
                organisation,
                {"quantity": 100 * n + year % 10, "has_ecolabel": n % 2 == 0},
                {
                    "product_group": "smartphone",
                    "quantity": 10 * n,
                    "condition": "refurbished",
                },
                year=year,
            )
    report_with(organisation_a, {"quantity": 999}, year=2026, status=ReportStatus.DRAFT)
    ReportingPeriodFactory(year=2025)
    ReportingPeriodFactory(year=2026)
    buyer_group_of(
        coordinating_organisation,
        organisation_a,
        organisation_b,
        others[0],
        slug="dutch-group",
    )
    return [organisation_a, organisation_b, *others]


def _devices(**filters) -> int:
    lines = PurchaseLine.objects.filter(
        report__status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED], **filters
    )
    return lines.aggregate(n=Sum("quantity"))["n"]


def _table(page, slug):
    return page.locator(f'table[data-figure="{slug}"]')


def _download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    return info.value


def test_a_visitor_reads_the_pact_figures_filters_them_and_downloads_them(
    live_server, page, pact_with_reports
):
    base = live_server.url
    page.goto(base)
    page.get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Pact in figures")
    total = _devices()
    expect(page.locator(".dash-headlines")).to_contain_text(f"{total:,}")
    # The chart is drawn by Chart.js, and its table holds the same numbers.
    canvas = page.locator('canvas[data-chart="chart-data-devices-by-product-group"]')
    expect(canvas).to_have_attribute("data-drawn", "2")
    table = _table(page, "devices-by-product-group")
    laptops_2025 = _devices(report__year=2025, product_group__code="laptop")
    expect(table).to_contain_text(f"{laptops_2025:,}")
    expect(
        page.get_by_role(
            "link", name="How these effects are computed (methodology)"
        ).first
    ).to_be_visible()
    check_accessibility(page, context="public dashboard")

    # Narrow to smartphones: the chart and the table change, the address keeps it.
    page.get_by_role("combobox", name="Product group").select_option("smartphone")
    expect(page).to_have_url(re.compile(r"product_group=smartphone"))
    expect(table).not_to_contain_text("Laptop")
    smartphones = _devices(product_group__code="smartphone")
    expect(page.locator(".dash-headlines")).to_contain_text(f"{smartphones:,}")
    expect(canvas).to_have_attribute("data-drawn", "1")

    # The downloads carry the same filter and the database's numbers.
    csv_file = _download(page, "CSV")
    rows = list(
        csv.reader(io.StringIO(Path(csv_file.path()).read_text(encoding="utf-8-sig")))
    )
    assert ["Devices bought", str(smartphones), "devices"] in rows
    xlsx_file = _download(page, "Excel (XLSX)")
    sheet = load_workbook(io.BytesIO(Path(xlsx_file.path()).read_bytes()))[
        "devices-by-product-group"
    ]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:2] == ("Year", "Smartphone (mobile telephone)")
    assert (2024, _devices(report__year=2024, product_group__code="smartphone")) in [
        (int(r[0]), r[1]) for r in values[2:] if r[0] and str(r[0]).isdigit()
    ]
    page.goto(base + "/dashboards/")
    pdf_file = _download(page, "Pact report 2025 (PDF)")
    text = "".join(p.extract_text() for p in PdfReader(pdf_file.path()).pages)
    assert f"{_devices(report__year=2025):,}" in text

    # On a phone the chart still fits the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base + "/dashboards/")
    box = canvas.bounding_box()
    assert box is not None and 0 < box["width"] <= 360
    # Nothing makes the page wider than the phone: wide tables scroll on their own.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_procurer_sees_their_organisation_and_the_lines_behind_a_figure(
    live_server, page, procurer_a, pact_with_reports
):
    base = live_server.url
    sign_in(page, base, procurer_a.email)
    page.goto(base + "/dashboards/")
    page.get_by_role("navigation", name="Other dashboards").get_by_role(
        "link", name="City of Alphen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "City of Alphen in figures"
    )
    expect(_table(page, "comparison")).to_contain_text("Average of the Pact")
    check_accessibility(page, context="organisation dashboard")
    # The organisation's own figures are member data: a button, and the security log
    # keeps who took them.
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert ["Headline figures"] in rows
    assert (
        SecurityEvent.objects.filter(
            action=SecurityAction.MEMBER_DATA_EXPORTED, actor=procurer_a
        ).count()
        == 1
    )
    _table(page, "devices-by-product-group").get_by_role("link", name="2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Purchase lines of City of Alphen, 2024"
    )
    expect(page.get_by_role("table")).to_contain_text("104")
    check_accessibility(page, context="lines behind a figure")


def test_the_coordinator_follows_the_group_per_member(
    live_server, page, coordinator, pact_with_reports
):
    base = live_server.url
    sign_in(page, base, coordinator.email)
    page.goto(base + "/dashboards/groups/dutch-group/")
    status = _table(page, "report-status")
    expect(status).to_contain_text("City of Alphen")
    expect(status.get_by_role("row", name="City of Alphen")).to_contain_text("Draft")
    per_member = _table(page, "per-member")
    expect(per_member.get_by_role("row", name="City of Bruges")).to_contain_text(
        str(_devices(report__organisation__slug="city-of-bruges"))
    )
    check_accessibility(page, context="group dashboard")
    page.get_by_role("spinbutton", name="From year").fill("2025")
    page.get_by_role("button", name="Show").click()
    expect(per_member.get_by_role("row", name="City of Bruges")).to_contain_text(
        str(_devices(report__organisation__slug="city-of-bruges", report__year=2025))
    )


def test_the_secretariat_ranks_the_countries(
    live_server, page, secretariat, pact_with_reports
):
    base = live_server.url
    sign_in(page, base, secretariat.email)
    page.goto(base + "/dashboards/countries/")
    table = _table(page, "by-country")
    expect(table.get_by_role("row", name="Netherlands")).to_contain_text(
        f"{_devices(country_of_use='NL'):,}"
    )
    check_accessibility(page, context="countries")
    page.goto(base + "/dashboards/product-groups/")
    expect(_table(page, "by-product-group")).to_contain_text("Smartphone")
    check_accessibility(page, context="product groups")
