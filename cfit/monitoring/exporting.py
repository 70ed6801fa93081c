"""Writing reports as CSV and XLSX in the import's columns, and the XLSX template.

What is exported imports back to the same lines: codes rather than labels for coded
values, a point for decimals, ecolabels and criteria separated by "; ".
"""

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cfit.criteria.models import Criterion, Ecolabel, ProductGroup
from cfit.lib.countries import country_choices
from cfit.lib.formatting import spreadsheet_format
from cfit.lib.spreadsheets import people_csv_writer, xlsx_row, xlsx_set

from .importing import COLUMNS
from .models import Condition, PurchaseLine, RetiredTo
from .rules import (
    DEVICES_MAX,
    QUANTITY_MIN,
    SPEND_MAX_EUR,
    TENDER_REFERENCE_MAX_LENGTH,
    WARRANTY_MAX_YEARS,
    lifetime_range,
    number_text,
)
from .rules import LIFETIME_MAX_YEARS as LIFETIME_MAX
from .rules import LIFETIME_MIN_YEARS as LIFETIME_MIN

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header_labels() -> list[str]:
    return [_(column.label) for column in COLUMNS]


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def line_rows(lines: QuerySet[PurchaseLine]) -> Iterator[list[str]]:
    """The cells of each line, in the template's columns, read in chunks."""
    lines = lines.select_related("product_group").prefetch_related(
        Prefetch("ecolabels", queryset=Ecolabel.objects.only("code")),
        Prefetch("criteria", queryset=Criterion.objects.only("code")),
    )
    for line in lines.iterator(chunk_size=2000):
        yield [
            line.product_group.code,
            str(line.quantity),
            line.condition,
            _number(line.expected_lifetime_years),
            _number(line.warranty_years),
            "; ".join(sorted(e.code for e in line.ecolabels.all())),
            "; ".join(sorted(c.code for c in line.criteria.all())),
            _number(line.spend_eur),
            line.country_of_use,
            line.tender_reference,
            str(line.devices_retired),
            line.retired_to,
        ]


# The columns that hold numbers with decimals (written "2.5", or "2,5" for the reader).
DECIMALS = {"expected_lifetime_years", "warranty_years", "spend_eur"}


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text, one line at a time, for a streaming response. UTF-8 with a BOM for Excel;
    separator and decimal mark of the reader's language (cfit.lib.spreadsheets)."""
    writer = people_csv_writer(_Echo())
    yield "\ufeff" + writer.writerow(header_labels())
    codes = [column.code for column in COLUMNS]
    for row in rows:
        if writer.decimal_mark != ".":
            row = [
                value.replace(".", writer.decimal_mark) if code in DECIMALS else value
                for code, value in zip(codes, row, strict=True)
            ]
        yield writer.writerow(row)


# Decimals shown in the XLSX for each numeric column (the values keep their own).
_NUMERIC_DECIMALS = {
    "quantity": 0,
    "devices_retired": 0,
    "expected_lifetime_years": 1,
    "warranty_years": 1,
    "spend_eur": 2,
}


def _typed(sheet: Any, code: str, value: str) -> object:
    """XLSX cells hold numbers as numbers, so that spreadsheets can sum them, with the
    site's number format (thousands grouped, fixed decimals)."""
    if value == "":
        return None
    if code not in _NUMERIC_DECIMALS:
        return value
    number = Decimal(value)
    typed = int(number) if number == number.to_integral_value() else float(number)
    cell = WriteOnlyCell(sheet, value=typed)
    cell.number_format = spreadsheet_format(_NUMERIC_DECIMALS[code])
    return cell


def xlsx_bytes(rows: Iterable[list[str]]) -> bytes:
    """An XLSX workbook of the rows, written in openpyxl's streaming mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Purchases"))
    sheet.append(header_labels())
    codes = [column.code for column in COLUMNS]
    for row in rows:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    _typed(sheet, code, value)
                    for code, value in zip(codes, row, strict=True)
                ],
            )
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _limits() -> dict[str, DataValidation]:
    """The template's checks per column: the limits of rules.py, as the form and the
    import apply them, so that a row the template lets through is stored."""

    def rule(kind: str, low: object, high: object, error: str) -> DataValidation:
        return DataValidation(
            type=kind,
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            error=error,
        )

    return {
        "quantity": rule(
            "whole",
            QUANTITY_MIN,
            DEVICES_MAX,
            _("Type a whole number of at least %(low)s.") % {"low": QUANTITY_MIN},
        ),
        "devices_retired": rule(
            "whole", 0, DEVICES_MAX, _("Type a whole number, 0 or more.")
        ),
        "expected_lifetime_years": rule(
            "decimal",
            LIFETIME_MIN,
            LIFETIME_MAX,
            _("Type a number of years between %(low)s and %(high)s.")
            % lifetime_range(),
        ),
        "warranty_years": rule(
            "decimal",
            0,
            WARRANTY_MAX_YEARS,
            _("Type a number of years between 0 and %(high)s.")
            % {"high": number_text(WARRANTY_MAX_YEARS)},
        ),
        "spend_eur": rule(
            "decimal",
            0,
            SPEND_MAX_EUR,
            _("Type an amount in euros, 0 or more, without VAT."),
        ),
        "tender_reference": DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(TENDER_REFERENCE_MAX_LENGTH),
            allow_blank=True,
            showErrorMessage=True,
            error=_("Keep the reference to %(limit)s characters.")
            % {"limit": TENDER_REFERENCE_MAX_LENGTH},
        ),
    }


def template_bytes() -> bytes:
    """The XLSX template: the columns, drop-downs for coded columns, instructions.

    The drop-down lists live on a visible "Lists" sheet: uploads with hidden sheets are
    refused, and a list written into the rule itself is limited to 255 characters.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Purchases")
    labels = header_labels()
    sheet.append(labels)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1D5C4D")
    for index in range(1, len(COLUMNS) + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = max(
            14, len(labels[index - 1]) + 4
        )
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet(_("Lists"))
    # Words people recognise; the importer reads these words and the codes alike.
    columns_of_lists = {
        "product_group": list(
            ProductGroup.objects.order_by("sort_order", "name").values_list(
                "name", flat=True
            )
        ),
        "condition": [str(label) for _value, label in Condition.choices],
        "country_of_use": [name for _code, name in country_choices()],
        "retired_to": [str(label) for _value, label in RetiredTo.choices],
        "ecolabels": list(
            Ecolabel.objects.order_by("name").values_list("name", flat=True)
        ),
        "criteria": list(
            Criterion.objects.published()
            .order_by("code")
            .values_list("code", flat=True)
        ),
    }
    position = {column.code: index for index, column in enumerate(COLUMNS, start=1)}
    for list_index, (code, values) in enumerate(columns_of_lists.items(), start=1):
        letter = get_column_letter(list_index)
        lists.cell(
            row=1,
            column=list_index,
            value=_(next(c.label for c in COLUMNS if c.code == code)),
        )
        lists.cell(row=1, column=list_index).font = Font(bold=True)
        lists.column_dimensions[letter].width = 22
        for row, value in enumerate(values, start=2):
            xlsx_set(lists.cell(row=row, column=list_index), value)
        if code in ("ecolabels", "criteria"):
            continue  # several values per cell: a drop-down would allow only one
        target = get_column_letter(position[code])
        rule = DataValidation(
            type="list",
            formula1=f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not in the list"),
            error=_("Choose a value from the list."),
        )
        rule.add(f"{target}2:{target}100000")
        sheet.add_data_validation(rule)
    for code, rule in _limits().items():
        target = get_column_letter(position[code])
        rule.add(f"{target}2:{target}100000")
        sheet.add_data_validation(rule)

    instructions = workbook.create_sheet(_("Instructions"))
    instructions.column_dimensions["A"].width = 30
    instructions.column_dimensions["B"].width = 100
    instructions.append([_("How to fill in this template")])
    instructions["A1"].font = Font(bold=True, size=14)
    for text in (
        _("One row per purchase on the Purchases sheet. Keep the header row."),
        _(
            "Only Product group and Quantity are required. Leave a cell empty when you do not know."
        ),
        _(
            "Type values, not formulas: files with formulas or hidden sheets are refused."
        ),
        _(
            "Product group, condition, country and where retired devices went: choose from "
            "the drop-down (the Lists sheet). Codes such as laptop, refurbished or NL work too."
        ),
        _(
            "Ecolabels (names) and criteria (codes such as LIFE-01) from the Lists sheet, "
            "separated by ; or |."
        ),
        _("Country of use: empty means your organisation's country."),
        _(
            "Decimals may be written with a point or a comma. Write amounts without a thousands separator, or use the same decimal mark throughout the file: 1.234 alone could be a thousand or one."
        ),
    ):
        instructions.append(["", text])
    instructions.append([])
    instructions.append([_("Column"), _("What to write")])
    instructions.cell(row=instructions.max_row, column=1).font = Font(bold=True)
    instructions.cell(row=instructions.max_row, column=2).font = Font(bold=True)
    explanations = {
        "product_group": _(
            "The product group's code or name, e.g. laptop or smartphone. Required."
        ),
        "quantity": _("How many devices: a whole number of at least 1. Required."),
        "condition": _(
            "new, refurbished, remanufactured or reused (reused internally). Empty means new."
        ),
        "expected_lifetime_years": _(
            "How many years you expect to use the devices, between %(low)s and %(high)s."
        )
        % lifetime_range(),
        "warranty_years": _("The warranty in years, between 0 and %(high)s.")
        % {"high": number_text(WARRANTY_MAX_YEARS)},
        "ecolabels": _(
            "The ecolabels the devices carry, e.g. tco-certified; epeat-gold."
        ),
        "criteria": _(
            "The codes of the Pact criteria in the tender, e.g. LIFE-01; BATT-01."
        ),
        "spend_eur": _("What the purchase cost, in euros, without VAT."),
        "country_of_use": _("Where the devices are used."),
        "tender_reference": _("Your reference for the tender or contract."),
        "devices_retired": _(
            "How many old devices this purchase replaces and that left."
        ),
        "retired_to": _(
            "Where they went: reuse, take_back, recycling, stored or unknown."
        ),
    }
    for column in COLUMNS:
        instructions.append([_(column.label), explanations[column.code]])
    for row in instructions.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
