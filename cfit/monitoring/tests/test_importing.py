"""The file reader behind uploads, import_purchases and impact_of."""

import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cfit.monitoring import sheet_guard
from cfit.monitoring.importing import (
    MAX_FILE_BYTES,
    ParsedLine,
    Problem,
    Vocabulary,
    check_purchases,
    read_purchases,
)

from .factories import criterion

pytestmark = pytest.mark.django_db

HEADER = "Product group,Quantity,Condition,Expected lifetime (years),Country of use\n"


def csv_file(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def xlsx_file(rows: list[list[object]], *, formula: bool = False, hidden: bool = False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Purchases"
    for row in rows:
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        )
    if formula:
        sheet["B2"] = "=1+1"
    if hidden:
        workbook.create_sheet("Secret").sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def problems_of(file, **kwargs) -> list[str]:
    return [str(p) for p in check_purchases(file, **kwargs).problems]


def test_a_plain_csv_gives_its_lines_and_totals():
    check = check_purchases(
        csv_file(HEADER + "laptop,10,new,5,NL\nsmartphone,4,refurbished,,BE\n"),
        keep_lines=True,
    )
    assert check.problems == []
    assert check.line_count == 2
    assert check.device_count == 14
    assert check.totals["laptop"].devices == 10
    first = check.lines[0]
    assert first.row == 2
    assert first.expected_lifetime_years == Decimal("5.00")
    assert first.country_of_use == "NL"
    assert check.lines[1].condition == "refurbished"
    assert check.lines[1].expected_lifetime_years is None


def test_semicolons_decimal_commas_a_bom_and_code_names_are_understood():
    text = "\ufeffPRODUCT_GROUP;quantity;Expected Lifetime (Years);spend eur\nLaptop;3;4,5;1.234,50\n"
    check = check_purchases(csv_file(text), default_country="NL", keep_lines=True)
    assert check.problems == []
    line = check.lines[0]
    assert line.expected_lifetime_years == Decimal("4.50")
    assert line.spend_eur == Decimal("1234.50")
    assert line.country_of_use == "NL"


def test_windows_1252_text_is_read():
    text = "Product group;Quantity;Tender reference\nlaptop;2;Aanbesteding café €\n"
    check = check_purchases(
        csv_file(text, "cp1252"), default_country="NL", keep_lines=True
    )
    assert check.lines[0].tender_reference == "Aanbesteding café €"


def test_blank_lines_are_ignored_but_counted_as_rows():
    text = HEADER + "\nlaptop,1,new,,NL\n,,,,\nlaptop,abc,new,,NL\n"
    check = check_purchases(csv_file(text))
    assert check.line_count == 1
    assert [str(p) for p in check.problems] == [
        'row 5, column Quantity: "abc" is not a whole number of devices.'
    ]


def test_product_groups_by_name_and_countries_by_alpha_3():
    text = HEADER + "Laptop (portable computer),1,new,,NLD\nSmartphones,1,new,,bel\n"
    check = check_purchases(csv_file(text), keep_lines=True)
    assert check.problems == []
    assert [line.product_group_code for line in check.lines] == ["laptop", "smartphone"]
    assert [line.country_of_use for line in check.lines] == ["NL", "BE"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "laptop,0,new,,NL",
            "row 2, column Quantity: the quantity must be at least 1.",
        ),
        (
            "laptop,-3,new,,NL",
            "row 2, column Quantity: the quantity must be at least 1.",
        ),
        (
            "laptop,ten,new,,NL",
            'row 2, column Quantity: "ten" is not a whole number of devices.',
        ),
        (
            "laptop,2.5,new,,NL",
            'row 2, column Quantity: "2.5" is not a whole number of devices.',
        ),
        (
            "laptop,1,new,0.4,NL",
            "row 2, column Expected lifetime (years): the expected lifetime must be between 0.5 and 15 years.",
        ),
        (
            "laptop,1,new,16,NL",
            "row 2, column Expected lifetime (years): the expected lifetime must be between 0.5 and 15 years.",
        ),
        (
            "toaster,1,new,,NL",
            'row 2, column Product group: unknown product group "toaster"; use one of: laptop, smartphone, tablet, desktop, display.',
        ),
        (
            "laptop,1,broken,,NL",
            'row 2, column Condition: unknown condition "broken"; use new, refurbished, remanufactured or reused.',
        ),
        (
            "laptop,1,new,,Atlantis",
            'row 2, column Country of use: unknown country "Atlantis"; use the ISO code, such as NL or NLD.',
        ),
        (",1,new,,NL", "row 2, column Product group: the product group is missing."),
    ],
)
def test_each_bad_value_is_named_by_row_and_column(row, expected):
    assert problems_of(csv_file(HEADER + row + "\n")) == [expected]


def test_unknown_ecolabels_and_criteria_are_named():
    criterion("LAP-B1")
    text = "Product group,Quantity,Ecolabels,Criteria applied,Country of use\nlaptop,1,TCO Certified|Green Star,LAP-B1;XX-9,NL\n"
    assert problems_of(csv_file(text)) == [
        'row 2, column Ecolabels: unknown ecolabel "Green Star".',
        'row 2, column Criteria applied: unknown criterion code "XX-9".',
    ]


def test_a_criterion_of_another_product_group_is_refused():
    criterion("PHO-B1", groups=("smartphone",))
    text = (
        "Product group,Quantity,Criteria applied,Country of use\nlaptop,1,PHO-B1,NL\n"
    )
    assert problems_of(csv_file(text)) == [
        'row 2, column Criteria applied: criterion "PHO-B1" is not a criterion for laptop.'
    ]


def test_ecolabels_and_base_criteria_are_flagged_for_dashboards():
    # Displays have no criteria in the starting criteria base: these are all it has.
    criterion("DIS-B1", groups=("display",))
    criterion("DIS-B2", groups=("display",))
    criterion("DIS-A1", level="ambitious", groups=("display",))
    text = (
        "Product group,Quantity,Ecolabels,Criteria applied,Country of use\n"
        "display,1,tco-certified,DIS-B1|dis-b2,NL\n"
        "display,1,,DIS-B1;DIS-A1,NL\n"
    )
    lines = check_purchases(csv_file(text), keep_lines=True).lines
    assert (lines[0].has_ecolabel, lines[0].applies_base_criteria) == (True, True)
    assert (lines[1].has_ecolabel, lines[1].applies_base_criteria) == (False, False)


def test_a_missing_country_is_a_problem_without_a_default():
    text = "Product group,Quantity\nlaptop,1\n"
    assert problems_of(csv_file(text)) == [
        "row 2, column Country of use: the country of use is missing."
    ]


def test_retired_devices_without_a_destination_went_to_unknown():
    text = "Product group,Quantity,Devices retired,Retired to\nlaptop,1,5,\nlaptop,1,2,Supplier take-back\n"
    lines = check_purchases(csv_file(text), default_country="NL", keep_lines=True).lines
    assert [line.retired_to for line in lines] == ["unknown", "take_back"]


def test_a_missing_required_column_is_named():
    assert problems_of(csv_file("Product group,Condition\nlaptop,new\n")) == [
        "row 1, column Quantity: the required column is missing from the header row."
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty."),
        (b"  \n\n", "The file is empty."),
        (b"%PDF-1.4 something", "This is a PDF file. Upload a CSV or XLSX file."),
        (
            b"\x00\x01\x02binary",
            "This file is neither a CSV nor an XLSX file. Upload a CSV or XLSX file.",
        ),
        (
            b"PK\x03\x04broken zip",
            "This file is neither a CSV nor an XLSX file. Upload a CSV or XLSX file.",
        ),
        (
            b"Product group,Quantity\n",
            "The file has a header row but no purchase lines.",
        ),
    ],
)
def test_files_that_cannot_be_read_say_why(content, expected):
    assert problems_of(io.BytesIO(content)) == [expected]


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as out:
        out.seek(MAX_FILE_BYTES)
        out.write(b"\n")
    with path.open("rb") as file:
        assert problems_of(file) == [
            "The file is larger than 100 MB. Split it into smaller files."
        ]


@pytest.fixture(params=["calamine", "streamed"])
def xlsx_reader(request, monkeypatch):
    """Small sheets are read by calamine, huge ones as a stream: both must agree."""
    if request.param == "streamed":
        monkeypatch.setattr(sheet_guard, "STREAM_FROM_XML_BYTES", -1)
    return request.param


def test_an_xlsx_file_is_read_like_a_csv(xlsx_reader):
    file = xlsx_file(
        [
            [
                "Product group",
                "Quantity",
                "Expected lifetime (years)",
                "Country of use",
            ],
            ["laptop", 12, 4.5, "NL"],
            [None, None, None, None],
            ["smartphone", 3.0, None, "DEU"],
        ]
    )
    check = check_purchases(file, keep_lines=True)
    assert check.problems == []
    assert [(line.row, line.quantity) for line in check.lines] == [(2, 12), (4, 3)]
    assert check.lines[0].expected_lifetime_years == Decimal("4.50")


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_them(xlsx_reader):
    file = xlsx_file([[], [], ["Product group", "Quantity"], ["laptop", "many"]])
    assert problems_of(file, default_country="NL") == [
        'row 4, column Quantity: "many" is not a whole number of devices.'
    ]


def test_an_xlsx_with_a_formula_is_refused():
    file = xlsx_file([["Product group", "Quantity"], ["laptop", 1]], formula=True)
    assert problems_of(file, default_country="NL") == [
        "The workbook contains formulas. Replace them by their values (copy, then paste values only) and upload it again."
    ]


def test_an_xlsx_with_a_hidden_sheet_is_refused():
    file = xlsx_file([["Product group", "Quantity"], ["laptop", 1]], hidden=True)
    assert problems_of(file, default_country="NL") == [
        "The workbook has a hidden sheet. Show or delete every hidden sheet, so that what you upload is what you see, and upload it again."
    ]


def test_read_purchases_streams_results_row_by_row():
    text = HEADER + "laptop,1,new,,NL\nlaptop,x,new,,NL\n"
    results = list(read_purchases(csv_file(text), vocabulary=Vocabulary.load()))
    assert results[0][0] == 2 and isinstance(results[0][1], ParsedLine)
    assert results[1][0] == 3 and isinstance(results[1][1][0], Problem)


SPEND_HEADER = "Product group,Quantity,Spend (EUR),Country of use\n"


def test_an_amount_that_reads_two_ways_is_refused_naming_both_readings():
    check = check_purchases(csv_file(SPEND_HEADER + "laptop,10,1.234,NL\n"))
    assert check.line_count == 0
    [problem] = [str(p) for p in check.problems]
    assert problem.startswith("row 2, column Spend (EUR):")
    assert "1234 euros" in problem and "1.234 euros" in problem


def test_the_files_other_amounts_settle_the_decimal_mark_even_when_they_come_later():
    text = SPEND_HEADER + 'laptop,10,1.234,NL\nlaptop,5,"2.500,50",NL\n'
    check = check_purchases(csv_file(text), keep_lines=True)
    assert check.ok
    assert sorted(line.spend_eur for line in check.lines) == [
        Decimal("1234.00"),
        Decimal("2500.50"),
    ]
    assert check.reading.decimal_mark == ","


def test_a_file_with_decimal_points_reads_an_ambiguous_amount_as_decimals():
    text = SPEND_HEADER + "laptop,10,99.90,NL\nlaptop,10,1.234,NL\n"
    check = check_purchases(csv_file(text), keep_lines=True)
    assert check.ok
    assert [line.spend_eur for line in check.lines] == [
        Decimal("99.90"),
        Decimal("1.23"),
    ]
    assert check.reading.decimal_mark == "."


def test_a_quantity_stays_a_whole_number():
    text = SPEND_HEADER + 'laptop,1.234,,NL\nlaptop,"2,5",,NL\n'
    check = check_purchases(csv_file(text), keep_lines=True)
    assert [line.quantity for line in check.lines] == [1234]
    assert "not a whole number" in str(check.problems[0])


@pytest.mark.parametrize(
    ("spend", "expected"),
    [
        ("2.5", Decimal("2.50")),
        ('"2,5"', Decimal("2.50")),
        ('"1.234,56"', Decimal("1234.56")),
        ('"1,234.56"', Decimal("1234.56")),
        ("€ 1 200", Decimal("1200.00")),
    ],
)
def test_amounts_are_read_with_a_point_or_a_comma(spend, expected):
    check = check_purchases(
        csv_file(SPEND_HEADER + f"laptop,1,{spend},NL\n"), keep_lines=True
    )
    assert [line.spend_eur for line in check.lines] == [expected]


# ------------------------------------------------------------- never a server error

cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12
) | st.sampled_from(
    ["laptop", "smartphone", "0", "-1", "5", "2,5", "NL", "new", ";", "|"]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content=st.binary(max_size=400))
def test_any_bytes_give_results_or_problems_never_an_exception(content):
    check = check_purchases(io.BytesIO(content))
    assert check.line_count + check.problem_count >= 1


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(st.lists(cell_text, max_size=14), max_size=8),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_csv_under_the_template_header_is_read_without_exceptions(
    rows, delimiter, encoding
):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(
        [
            "Product group",
            "Quantity",
            "Condition",
            "Expected lifetime (years)",
            "Warranty (years)",
            "Ecolabels",
            "Criteria applied",
            "Spend (EUR)",
            "Country of use",
            "Tender reference",
            "Devices retired",
            "Retired to",
        ]
    )
    writer.writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    check = check_purchases(io.BytesIO(data), keep_lines=True)
    for line in check.lines:
        assert line.quantity >= 1
        assert (
            line.expected_lifetime_years is None
            or Decimal("0.5") <= line.expected_lifetime_years <= 15
        )
        assert len(line.country_of_use) == 2
    for problem in check.problems:
        assert str(problem)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(
        st.lists(
            cell_text | st.integers() | st.floats(allow_nan=True) | st.none(),
            max_size=6,
        ),
        max_size=5,
    )
)
def test_any_xlsx_is_read_without_exceptions(xlsx_reader, rows):
    file = xlsx_file([["Product group", "Quantity", "Country of use"], *rows])
    check = check_purchases(file)
    assert check.line_count + check.problem_count >= 1


@pytest.mark.parametrize(
    ("workbook", "expected"),
    [
        ("<workbook>not really</workbook>", "The workbook has no sheet."),
        ("<workbook><sheets><sheet", "This XLSX file is damaged and cannot be read."),
    ],
)
def test_a_zip_that_only_looks_like_a_workbook_is_refused(workbook, expected):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/worksheets/sheet1.xml", "garbage")
    out.seek(0)
    assert problems_of(out) == [expected]


def test_a_file_without_a_header_row_says_so():
    assert problems_of(csv_file("laptop,10,new\nsmartphone,5,new\n")) == [
        "row 1, column Product group: the required column is missing from the header row.",
        "row 1, column Quantity: the required column is missing from the header row.",
        "row 1: columns not recognised: laptop, 10, new.",
    ]
    assert problems_of(csv_file(",,,\n\n,,\n")) == [
        "The file has no header row. The first row must name the columns, as in the template."
    ]
