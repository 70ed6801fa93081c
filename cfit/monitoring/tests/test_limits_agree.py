"""The web form, the file import and the XLSX template agree on every limit of a line:
what the template lets through is stored from a file and from the form, and what one
refuses the others refuse."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cfit.lib.countries import country_choices
from cfit.monitoring.exporting import header_labels, template_bytes
from cfit.monitoring.forms import PurchaseLineForm
from cfit.monitoring.importing import COLUMNS, check_purchases
from cfit.monitoring.models import Condition, RetiredTo

from .factories import product_group

pytestmark = pytest.mark.django_db

LIMITED = {
    "quantity",
    "devices_retired",
    "expected_lifetime_years",
    "warranty_years",
    "spend_eur",
    "tender_reference",
}


def _template():
    return load_workbook(io.BytesIO(template_bytes()))


def _template_limits() -> dict[str, tuple[str, str, str, str | None]]:
    """Per column code: the type, operator and bounds of the template's check."""
    sheet = _template().worksheets[0]
    code_of = {cell.column_letter: COLUMNS[i].code for i, cell in enumerate(sheet[1])}
    limits = {}
    for rule in sheet.data_validations.dataValidation:
        if rule.type == "list":
            continue
        letter = str(rule.sqref).split(":")[0].rstrip("0123456789")
        limits[code_of[letter]] = (
            rule.type,
            rule.operator,
            rule.formula1,
            rule.formula2,
        )
    return limits


def _form_refuses(code: str, value: object) -> bool:
    data = {
        "product_group": product_group("laptop").pk,
        "quantity": 1,
        "condition": "new",
        "country_of_use": "NL",
        "retired_to": "unknown",
        code: value,
    }
    return code in PurchaseLineForm(data=data).errors


def _import_refuses(code: str, values: list[str]) -> list[bool]:
    """For each value, whether a file with it in the column is refused."""
    label = header_labels()[[c.code for c in COLUMNS].index(code)]
    columns = ["Product group", "Quantity", "Retired to"]
    if label not in columns:
        columns.append(label)
    lines = [";".join(columns)]
    for value in values:
        cells = {"Product group": "laptop", "Quantity": "1"}
        cells["Retired to"] = "unknown"
        cells[label] = value
        lines.append(";".join(cells.get(c, "") for c in columns))
    check = check_purchases(io.BytesIO("\n".join(lines).encode()), default_country="NL")
    wrong_rows = {p.row for p in check.problems}
    return [row in wrong_rows for row in range(2, len(values) + 2)]


def test_the_template_checks_every_limited_column():
    assert set(_template_limits()) == LIMITED


@pytest.mark.parametrize("code", sorted(LIMITED - {"tender_reference"}))
def test_a_number_at_the_templates_bounds_is_taken_and_one_beyond_refused_everywhere(
    code,
):
    kind, operator, low, high = _template_limits()[code]
    assert operator == "between"
    step = Decimal(1) if kind == "whole" else Decimal("0.01")
    inside = [Decimal(low), Decimal(high)]
    outside = [Decimal(low) - step, Decimal(high) + step]
    for value in inside:
        assert not _form_refuses(code, str(value)), (code, value)
    for value in outside:
        assert _form_refuses(code, str(value)), (code, value)
    assert _import_refuses(code, [str(v) for v in inside + outside]) == [
        False,
        False,
        True,
        True,
    ]


def test_a_tender_reference_as_long_as_the_template_allows_is_taken_everywhere():
    kind, operator, limit, _none = _template_limits()["tender_reference"]
    assert (kind, operator) == ("textLength", "lessThanOrEqual")
    longest, too_long = "R" * int(limit), "R" * (int(limit) + 1)
    assert not _form_refuses("tender_reference", longest)
    assert _form_refuses("tender_reference", too_long)
    assert _import_refuses("tender_reference", [longest, too_long]) == [False, True]


def test_the_templates_lists_offer_the_forms_choices_in_words():
    lists = _template().worksheets[1]
    columns = {
        column[0].value: [c.value for c in column[1:] if c.value is not None]
        for column in lists.iter_cols()
    }
    form = PurchaseLineForm()
    assert columns["Condition"] == [str(label) for _v, label in Condition.choices]
    assert [label for value, label in form.fields["condition"].choices if value] == (
        columns["Condition"]
    )
    assert columns["Retired to"] == [str(label) for _v, label in RetiredTo.choices]
    assert columns["Country of use"] == [name for _code, name in country_choices()]
    assert [
        str(label) for value, label in form.fields["country_of_use"].choices if value
    ] == (columns["Country of use"])
