"""One organisation's effects read the same on its own dashboard and on its group's."""

import io
import re

import pytest
from django.urls import reverse

from cfit.dashboards import effects
from cfit.dashboards.forms import Filters
from cfit.dashboards.selectors import Scope
from cfit.impact import method

from .conftest import report_with

pytestmark = pytest.mark.django_db

REFURBISHED_LAPTOP = {"quantity": 1, "condition": "refurbished"}


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_an_organisations_saving_reads_the_same_on_its_page_and_its_groups(
    client, coordinator, organisation_a, group_of_a_and_b
):
    # One refurbished laptop a year for two years: each year's saving rounds up
    # (0.157 t -> 0.2 t) while the two together round down (0.315 t -> 0.3 t).
    report_with(organisation_a, REFURBISHED_LAPTOP, year=2024)
    report_with(organisation_a, REFURBISHED_LAPTOP, year=2025)
    yearly = effects.by_year(
        Scope(kind="organisation", organisation=organisation_a), Filters()
    )
    rounded_per_year = sum(yearly.saving(y, method.GWP) for y in yearly.years)
    tonnes = sum(yearly.values[y]["saving"][method.GWP] for y in yearly.years) / 1000
    assert round(rounded_per_year, 1) == 0.4 and round(tonnes, 1) == 0.3

    client.force_login(coordinator)
    own = client.get(reverse("dashboards:organisation", args=[organisation_a.slug]))
    group = client.get(reverse("dashboards:group", args=["west"]))

    headline = next(
        h for h in own.context["dashboard"].headlines if h.unit == "tonnes CO2e"
    )
    [member] = [m for m in group.context["per_member"] if m.name == "City of Alphen"]
    assert headline.value == member.measures.gwp_saved_t == 0.3
    saved_on_own_page = re.search(
        r"Greenhouse gases saved (\S+) tonnes CO2e", _text(own.content)
    )
    saved_in_group_row = re.search(
        r"City of Alphen (?:\S+ ){5}(\S+)", _text(group.content)
    )
    assert saved_on_own_page and saved_in_group_row
    assert saved_on_own_page[1] == saved_in_group_row[1] == "0.3"


def test_the_xlsx_download_rounds_as_the_page_and_keeps_numbers_with_their_format(
    client, procurer_a, organisation_a
):
    from openpyxl import load_workbook

    report_with(organisation_a, REFURBISHED_LAPTOP, year=2024)
    report_with(organisation_a, REFURBISHED_LAPTOP, year=2025)
    client.force_login(procurer_a)
    url = reverse("dashboards:organisation", args=[organisation_a.slug])
    workbook = load_workbook(io.BytesIO(client.post(url, {"download": "xlsx"}).content))
    rows = {
        row[0].value: row[1]
        for row in workbook["Headline figures"].iter_rows()
        if len(row) > 1
    }
    saved = rows["Greenhouse gases saved"]
    assert (saved.value, saved.number_format) == (0.3, "#,##0.0")
    assert (rows["Devices bought"].value, rows["Devices bought"].number_format) == (
        2,
        "#,##0",
    )
    csv_text = client.post(url, {"download": "csv"}).content.decode("utf-8-sig")
    assert "Greenhouse gases saved,0.3,tonnes CO2e" in csv_text
