"""Who sees which dashboard, and what the downloads hold."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from cfit.monitoring.models import ReportStatus
from cfit.organisations.tests.factories import member_of

from .conftest import report_with

pytestmark = pytest.mark.django_db

# Organisation A alone bought 4321 tablets: a number that must never reach anyone else.
SECRET = 4321


@pytest.fixture
def a_bought_tablets(three_laptop_buyers):
    report_with(
        three_laptop_buyers[0],
        {"product_group": "tablet", "quantity": SECRET},
        year=2024,
    )
    return three_laptop_buyers


def _texts_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxml"):
        workbook = load_workbook(io.BytesIO(response.content))
        return repr([list(ws.values) for ws in workbook.worksheets])
    return response.content.decode()


def _secret_in(text: str) -> bool:
    return any(form in text for form in ("4321", "4,321", "4 321", "4.321"))


def test_the_public_dashboard_opens_without_signing_in(client, three_laptop_buyers):
    response = client.get(reverse("dashboards:pact"))
    assert response.status_code == 200
    assert b"The Pact in figures" in response.content
    assert b'id="chart-data-devices-by-product-group"' in response.content


def test_no_organisation_level_figure_reaches_the_public(client, a_bought_tablets):
    for download in ("", "csv", "xlsx"):
        response = client.get(
            reverse("dashboards:pact"), {"download": download} if download else {}
        )
        assert response.status_code == 200
        assert not _secret_in(_texts_of(response)), download
    pdf = client.get(reverse("dashboards:pact-report", args=[2024]))
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert not _secret_in(text)


def test_an_organisation_sees_its_own_figures_and_the_lines_behind_them(
    client, procurer_a, a_bought_tablets
):
    client.force_login(procurer_a)
    slug = a_bought_tablets[0].slug
    response = client.get(reverse("dashboards:organisation", args=[slug]))
    assert response.status_code == 200
    assert _secret_in(response.content.decode())
    lines = client.get(
        reverse("dashboards:organisation-lines", args=[slug]), {"year": 2024}
    )
    assert lines.status_code == 200
    assert b"4321" in lines.content
    assert lines.context["page"].paginator.count == 1


@pytest.mark.parametrize("who", ["anonymous", "procurer_b", "outsider", "coordinator"])
def test_no_one_else_sees_an_organisations_dashboard(
    client, request, who, a_bought_tablets
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    slug = a_bought_tablets[0].slug
    for name in ("dashboards:organisation", "dashboards:organisation-lines"):
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code in (302, 404), (who, name)
        if response.status_code == 302:
            assert "login" in response["Location"]


def test_another_organisation_does_not_see_a_in_its_comparison(
    client, procurer_b, a_bought_tablets, group_of_a_and_b
):
    client.force_login(procurer_b)
    response = client.get(reverse("dashboards:organisation", args=["city-of-bruges"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert not _secret_in(text)
    assert "City of Alphen" not in text
    # The group has one other member: its average would give A away, so it is hidden.
    comparison = response.context["comparison"]
    assert all(values[1] is None for _l, _u, _d, values in comparison.rows)
    assert comparison.notes


def test_the_coordinator_sees_the_group_per_member_and_report_status(
    client, coordinator, a_bought_tablets, group_of_a_and_b
):
    from cfit.monitoring.tests.factories import ReportingPeriodFactory

    ReportingPeriodFactory(year=2025)
    ReportingPeriodFactory(year=2026)
    client.force_login(coordinator)
    response = client.get(reverse("dashboards:group", args=["west"]))
    assert response.status_code == 200
    assert response.context["in_full"]
    per_member = {
        row.name: row.measures.devices for row in response.context["per_member"]
    }
    assert per_member == {"City of Alphen": 10 + 7 + SECRET, "City of Bruges": 31}
    statuses = {
        row.organisation.name: row.statuses for row in response.context["statuses"]
    }
    assert statuses["City of Alphen"] == {2026: "due", 2025: ReportStatus.ACCEPTED}


def test_a_member_of_the_group_sees_its_figures_without_the_others(
    client, procurer_b, a_bought_tablets, group_of_a_and_b
):
    client.force_login(procurer_b)
    response = client.get(reverse("dashboards:group", args=["west"]))
    assert response.status_code == 200
    assert not response.context["in_full"]
    text = response.content.decode()
    assert "per_member" not in response.context
    assert not _secret_in(text)
    assert "City of Alphen" not in text


@pytest.mark.parametrize("who", ["anonymous", "outsider", "procurer_c"])
def test_a_group_dashboard_is_hidden_from_non_members(
    client, request, who, three_laptop_buyers, group_of_a_and_b
):
    if who == "procurer_c":
        client.force_login(member_of(three_laptop_buyers[2], email="c@example.org"))
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("dashboards:group", args=["west"]))
    assert response.status_code in (302, 404)


@pytest.mark.parametrize("name", ["dashboards:countries", "dashboards:product-groups"])
def test_the_secretariat_views_are_the_secretariats_only(
    client, name, secretariat, procurer_a, coordinator, a_bought_tablets
):
    for person in (procurer_a, coordinator):
        client.force_login(person)
        assert client.get(reverse(name)).status_code == 404
    client.force_login(secretariat)
    response = client.get(reverse(name))
    assert response.status_code == 200
    # The secretariat sees small cells too, marked as not for publication.
    assert b"fewer than three organisations" in response.content


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Disposition"].endswith('.csv"')
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _table_after(rows, title_start):
    start = next(
        i for i, row in enumerate(rows) if row and row[0].startswith(title_start)
    )
    end = next((i for i in range(start + 1, len(rows)) if not rows[i]), len(rows))
    return rows[start + 1 : end]


def test_the_csv_download_holds_the_figures_of_the_page(client, three_laptop_buyers):
    rows = _csv_rows(client.get(reverse("dashboards:pact"), {"download": "csv"}))
    headline = {row[0]: row[1] for row in rows if len(row) == 3}
    assert headline["Devices bought"] == "78"
    # New (A, B) and refurbished (A, C) each cover two organisations: merged publicly.
    table = _table_after(rows, "Devices bought per year: new")
    assert table[:2] == [["Year", "Other (merged)"], ["2025", "78"]]


def test_the_secretariats_csv_has_every_cell(client, secretariat, three_laptop_buyers):
    client.force_login(secretariat)
    rows = _csv_rows(client.post(reverse("dashboards:countries"), {"download": "csv"}))
    table = _table_after(rows, "Devices bought per year: new")
    assert table[:2] == [["Year", "New", "Refurbished"], ["2025", "41", "37"]]


def test_the_xlsx_download_has_a_sheet_per_figure(client, three_laptop_buyers):
    response = client.get(
        reverse("dashboards:pact"), {"download": "xlsx", "country": "NL"}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert "devices-by-condition" in workbook.sheetnames
    # NL alone covers two organisations: nothing may be shown.
    headline = workbook["Headline figures"]
    assert not any(
        row[0] == "Devices bought" for row in headline.iter_rows(values_only=True)
    )


def test_the_yearly_pdf_report_has_the_headline_figures(client, three_laptop_buyers):
    response = client.get(reverse("dashboards:pact-report", args=[2025]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "the year 2025 in figures" in text
    assert "78" in text
    assert "FactorSet" in text


def test_a_year_without_reports_has_no_pdf_report(client, three_laptop_buyers):
    assert client.get(reverse("dashboards:pact-report", args=[2019])).status_code == 404


def test_a_changed_report_shows_at_once_despite_the_cache(
    client, procurer_a, three_laptop_buyers
):
    from cfit.monitoring import services
    from cfit.organisations.tests.factories import signatory

    report_with(signatory(name="Town of Delft", slug="delft"), {"quantity": 5})
    first = client.get(reverse("dashboards:pact"))
    assert first.context["dashboard"].totals.devices == 83
    report = three_laptop_buyers[0].purchase_reports.get(year=2025)
    services.report_reopen(report=report, by=procurer_a)
    second = client.get(reverse("dashboards:pact"))
    assert second.context["dashboard"].totals.devices == 83 - 17


def test_a_bad_year_range_says_what_is_wrong(client, three_laptop_buyers):
    response = client.get(
        reverse("dashboards:pact"), {"year_from": 2026, "year_to": 2024}
    )
    assert response.status_code == 200
    assert b"The last year must be the same as or after the first." in response.content


def test_the_base_criteria_share_says_how_it_is_counted(client, three_laptop_buyers):
    page = client.get(reverse("dashboards:pact")).content.decode()
    assert "ticks every approved BASE criterion of its product group" in page


def test_the_downloads_write_a_formula_in_a_name_as_text(
    client, secretariat, three_laptop_buyers
):
    from django.core.cache import cache

    from cfit.criteria.models import ProductGroup

    ProductGroup.objects.filter(code="laptop").update(name="=1+cmd|' /C calc'!A0")
    cache.clear()
    client.force_login(secretariat)
    url = reverse("dashboards:countries")
    rows = _csv_rows(client.post(url, {"download": "csv"}))
    cells = [cell for row in rows for cell in row if "cmd|" in cell]
    assert cells and all(cell.startswith("'=1+cmd") for cell in cells)

    response = client.post(url, {"download": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    found = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "cmd|" in cell.value
    ]
    assert found and {cell.data_type for cell in found} == {"s"}


def test_the_csv_says_when_it_was_made_as_its_reader_writes_dates(
    client, three_laptop_buyers
):
    with translation.override("de"):
        url = reverse("dashboards:pact")
    text = client.get(url, {"download": "csv"}).content.decode("utf-8-sig")
    made_on = next(line for line in text.splitlines() if line.startswith("Erstellt"))
    # "1. Dezember 2026, 09:30": the month's name, never an ISO date.
    assert re.search(r"\d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}", made_on), made_on
    assert not re.search(r"\d{4}-\d{2}-\d{2}", made_on)
