"""Purchase lines given as rows of named values (the API's JSON, the OCDS completion
page) go through the same reader and the same import as an uploaded file.

A row is a mapping from a column code of `importing.COLUMNS` (product_group, quantity,
condition, ...) to its value; lists (ecolabels, criteria) may be given as lists. The
rows are written as the CSV a procurer would upload, so that one parser checks every
door and the problems say the same things ("row N, column NAME: reason"). Row numbers
here count the rows given: the first row is 1.
"""

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.criteria.models import Criterion, Ecolabel

from . import services
from .importing import COLUMNS, ImportCheck, ParsedLine, Problem, Vocabulary
from .importing import read_purchases as _read_purchases
from .models import PurchaseLine, PurchaseReport

COLUMN_CODES = tuple(column.code for column in COLUMNS)
# The CSV's header is row 1: the first row given is row 2 of the file.
_FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class RowProblem:
    """One problem of one row, with the row counted from 1 and the column's code."""

    row: int | None
    column: str  # the column's code, or "" for the whole row
    label: str  # the column's name as people read it
    reason: str

    def __str__(self) -> str:
        return str(
            Problem(self.reason, row=self.row, column=self.label)
            if self.row is not None
            else self.reason
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def rows_as_csv(rows: Sequence[Mapping[str, Any]]) -> io.BytesIO:
    """The rows as a CSV file with the column codes as its header."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMN_CODES)
    for row in rows:
        writer.writerow([_text(row.get(code)) for code in COLUMN_CODES])
    return io.BytesIO(text.getvalue().encode())


def _row_problem(problem: Problem) -> RowProblem:
    labels = {_(column.label): column.code for column in COLUMNS}
    row = problem.row - _FIRST_DATA_ROW + 1 if problem.row else None
    return RowProblem(
        row=row,
        column=labels.get(problem.column, ""),
        label=problem.column,
        reason=problem.reason,
    )


def row_problems(problems: Sequence[Problem]) -> list[RowProblem]:
    return [_row_problem(p) for p in problems]


def parse_rows(
    rows: Sequence[Mapping[str, Any]], *, default_country: str | None
) -> list[ParsedLine | list[RowProblem]]:
    """Each row read as the file import reads it: a ParsedLine or its problems."""
    vocabulary = Vocabulary.load()
    results: list[ParsedLine | list[RowProblem]] = []
    for _row, result in _read_purchases(
        rows_as_csv(rows), vocabulary=vocabulary, default_country=default_country
    ):
        results.append(
            result if isinstance(result, ParsedLine) else row_problems(result)
        )
    return results


def line_as_row(line: PurchaseLine) -> dict[str, Any]:
    """A stored line as a row of codes, so that a partial change can be read in full."""
    snapshot = services.line_snapshot(line)
    return {code: snapshot.get(code) for code in COLUMN_CODES}


def line_values(
    parsed: ParsedLine,
) -> tuple[dict[str, Any], list[Ecolabel], list[Criterion]]:
    """What line_create and line_update take, from a parsed row."""
    values = {
        "product_group_id": parsed.product_group_id,
        "quantity": parsed.quantity,
        "condition": parsed.condition,
        "expected_lifetime_years": parsed.expected_lifetime_years,
        "warranty_years": parsed.warranty_years,
        "spend_eur": parsed.spend_eur,
        "country_of_use": parsed.country_of_use,
        "tender_reference": parsed.tender_reference,
        "devices_retired": parsed.devices_retired,
        "retired_to": parsed.retired_to,
    }
    ecolabels = list(Ecolabel.objects.filter(pk__in=parsed.ecolabel_ids))
    criteria = list(Criterion.objects.filter(pk__in=parsed.criterion_ids))
    return values, ecolabels, criteria


@dataclass
class RowsImport:
    """The outcome of storing rows: lines and devices stored, or every problem."""

    check: ImportCheck
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        return self.check.ok


def lines_import_rows(
    *,
    report: PurchaseReport,
    rows: Sequence[Mapping[str, Any]],
    by: User | None,
    source: str,
    dry_run: bool = False,
) -> RowsImport:
    """Store every row as a line of the report, or none: the file import's service."""
    check = services.purchases_import(
        report=report,
        file=rows_as_csv(rows),
        by=by,
        file_name=source,
        dry_run=dry_run,
    )
    return RowsImport(check=check, problems=row_problems(check.problems))
