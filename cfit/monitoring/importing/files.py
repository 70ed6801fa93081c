"""Rows of cells as text from a CSV or XLSX upload, and the checks of the file as a
whole: its size, its kind, its encoding, its width and length. Raises FileRefused."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _

from cfit.lib.uploads import (
    ArchiveDamaged,
    ArchiveRefused,
    NotAnArchive,
    check_archive,
)

from ..sheet_guard import (
    IMPORT_ARCHIVE_LIMITS,
    MAX_COLUMNS,
    MAX_ROWS,
    WorkbookScan,
    column_number,
)
from .columns import header_key
from .parser import CACHE_LIMIT

# Bigger uploads are refused before they are read.
MAX_FILE_BYTES = 100 * 1024 * 1024


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why."""


# ---------------------------------------------------------------- raw rows


def _file_size(file: IO[bytes]) -> int | None:
    try:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
        return size
    except (AttributeError, OSError, ValueError):
        return None


def _detect_kind(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _(
                "This is an old Excel file (.xls). Save it as .xlsx or CSV and upload it again."
            )
        )
    if head.startswith(b"%PDF"):
        raise FileRefused(_("This is a PDF file. Upload a CSV or XLSX file."))
    if b"\x00" in head:
        raise FileRefused(
            _("This file is neither a CSV nor an XLSX file. Upload a CSV or XLSX file.")
        )
    return "csv"


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # The head may end inside a multi-byte character: ignore only that.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _detect_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# A purchase line is a few hundred characters; a line of this length is not one, and
# reading it whole would let one line fill the memory (a header of 2.3 million columns).
MAX_LINE_CHARS = 64 * 1024


def _bounded_lines(text: IO[str]) -> Iterator[str]:
    line_number = 0
    while line := text.readline(MAX_LINE_CHARS + 1):
        line_number += 1
        if len(line) > MAX_LINE_CHARS:
            raise FileRefused(
                _(
                    "Line %(line)s is longer than %(limit)s characters, far longer than a purchase line. Check that the file is the purchases table saved as CSV."
                )
                % {"line": line_number, "limit": f"{MAX_LINE_CHARS:,}"}
            )
        yield line


def _csv_rows(file: IO[bytes], head: bytes) -> Iterator[tuple[int, list[str]]]:
    encoding = _detect_encoding(head)
    text = io.TextIOWrapper(file, encoding=encoding, newline="", errors="strict")
    try:
        first_line = ""
        sample = head.decode(encoding, errors="ignore")
        for line in sample.splitlines():
            if line.strip().strip(",;\t"):
                first_line = line
                break
        reader = csv.reader(
            _bounded_lines(text), delimiter=_detect_delimiter(first_line)
        )
        row = 0
        try:
            for cells in reader:
                row += 1
                yield row, cells
        except UnicodeDecodeError as error:
            raise FileRefused(
                _(
                    "Row %(row)s: the text is neither UTF-8 nor Windows-1252. Save the file as CSV UTF-8."
                )
                % {"row": row + 1}
            ) from error
        except csv.Error as error:
            raise FileRefused(
                _("Row %(row)s: this line cannot be read as CSV (%(error)s).")
                % {"row": row + 1, "error": error}
            ) from error
    finally:
        text.detach()


def _check_workbook(file: IO[bytes]) -> WorkbookScan:
    """The upload door for workbooks: archive limits, formulas, hidden sheets, far cells.

    Every part is inflated once, in chunks: nothing is held in memory.
    """
    file.seek(0)
    scan = WorkbookScan()
    try:
        names = check_archive(file, limits=IMPORT_ARCHIVE_LIMITS, scan=scan)
    except NotAnArchive as error:
        raise FileRefused(
            _("This file is neither a CSV nor an XLSX file. Upload a CSV or XLSX file.")
        ) from error
    except ArchiveDamaged as error:
        raise FileRefused(_("This XLSX file is damaged and cannot be read.")) from error
    except ArchiveRefused as refused:
        raise FileRefused(str(refused)) from refused
    if "xl/workbook.xml" not in names:
        raise FileRefused(
            _("This file is neither a CSV nor an XLSX file. Upload a CSV or XLSX file.")
        )
    try:
        scan.finish()
    except ArchiveRefused as refused:
        raise FileRefused(str(refused)) from refused
    file.seek(0)
    return scan


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _is_data_sheet_name(name: str) -> bool:
    return header_key(name) in {"purchases", header_key(_("Purchases"))}


def _calamine_rows(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """Rows read by calamine: fast, but it holds the whole sheet in memory."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(file)
    names = workbook.sheet_names
    if not names:
        raise FileRefused(_("The workbook has no sheet."))
    # The template's data sheet; otherwise the first sheet.
    wanted = next((n for n in names if _is_data_sheet_name(n)), names[0])
    sheet = workbook.get_sheet_by_name(wanted)
    # Numbers repeat (quantities, lifetimes, zeros): each one's text is made once.
    # Floats only, as keys: True == 1 == 1.0 would mix their texts up.
    number_texts: dict[float, str] = {}

    def number_text(value: Any) -> str:
        text = _cell_text(value)
        if value.__class__ is float and len(number_texts) < CACHE_LIMIT:
            number_texts[value] = text
        return text

    # iter_rows starts at the sheet's first row even when it is empty.
    for row, cells in enumerate(sheet.iter_rows(), start=1):
        yield (
            row,
            [
                v
                if v.__class__ is str
                else (number_texts.get(v) if v.__class__ is float else None)
                or number_text(v)
                for v in cells
            ],
        )


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELATIONSHIPS = (
    "{http://schemas.openxmlformats.org/package/2006/relationships}"
)


def _data_sheet_path(archive: zipfile.ZipFile) -> str:
    """The path of the sheet to read inside the archive: "Purchases", or the first."""
    # defusedxml refuses DTDs and entities; the door has refused them already.
    workbook = SafeElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheets = [
        (sheet.get("name") or "", sheet.get(f"{_RELATIONSHIPS}id") or "")
        for sheet in workbook.iter(f"{_MAIN}sheet")
    ]
    if not sheets:
        raise FileRefused(_("The workbook has no sheet."))
    _name, relation = next((s for s in sheets if _is_data_sheet_name(s[0])), sheets[0])
    targets = {
        rel.get("Id"): rel.get("Target") or ""
        for rel in SafeElementTree.fromstring(
            archive.read("xl/_rels/workbook.xml.rels")
        ).iter(f"{_PACKAGE_RELATIONSHIPS}Relationship")
    }
    target = targets.get(relation, "")
    if not target:
        raise FileRefused(_("This XLSX file is damaged and cannot be read."))
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _column_index(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    return column_number(letters) - 1 if letters.isalpha() and len(letters) <= 3 else -1


def _too_far(row: int, column: int) -> FileRefused:
    return FileRefused(
        _(
            "Row %(row)s: a cell in column %(column)s is far outside a table of purchases (at most %(columns)s columns and %(rows)s rows). Delete everything outside your table, save and upload again."
        )
        % {
            "row": row,
            "column": column + 1,
            "columns": MAX_COLUMNS,
            "rows": f"{MAX_ROWS:,}",
        }
    )


def _streamed_rows(
    archive: zipfile.ZipFile, sheet_path: str
) -> Iterator[tuple[int, list[str]]]:
    """Rows of a sheet parsed as a stream: memory stays flat at any size.

    Every cell is checked against MAX_COLUMNS and every row against MAX_ROWS before
    anything is allocated for it.
    """
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.namelist():
        # At most 128 MB (the archive limits): held as a list of its strings.
        with archive.open("xl/sharedStrings.xml") as strings:
            for _event, element in SafeElementTree.iterparse(strings):
                if element.tag == f"{_MAIN}si":
                    shared.append(
                        "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))
                    )
                    element.clear()
    row_tag, cell_tag, value_tag = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v"
    text_tag, data_tag = f"{_MAIN}t", f"{_MAIN}sheetData"
    last_row = 0
    with archive.open(sheet_path) as sheet:
        parent = None
        for event, element in SafeElementTree.iterparse(sheet, events=("start", "end")):
            if event == "start":
                if element.tag == data_tag:
                    parent = element
                continue
            if element.tag != row_tag:
                continue
            number = element.get("r")
            row = int(number) if number and number.isdigit() else last_row + 1
            if row > MAX_ROWS:
                raise _too_far(row, 0)
            cells: list[str] = []
            for cell in element.iter(cell_tag):
                reference = cell.get("r")
                position = _column_index(reference) if reference else len(cells)
                if not 0 <= position < MAX_COLUMNS:
                    raise _too_far(row, position if position >= 0 else MAX_COLUMNS)
                kind = cell.get("t")
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter(text_tag))
                else:
                    found = cell.find(value_tag)
                    value = (found.text or "") if found is not None else ""
                    if kind == "s" and value:
                        value = shared[int(value)] if int(value) < len(shared) else ""
                    elif kind == "b":
                        value = "yes" if value == "1" else "no"
                if position >= len(cells):
                    cells.extend([""] * (position - len(cells) + 1))
                cells[position] = value
            last_row = row
            yield row, cells
            # Drop the rows already read, so that the tree never grows.
            if parent is not None:
                parent.clear()
            element.clear()


def _xlsx_rows(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    scan = _check_workbook(file)
    try:
        with zipfile.ZipFile(file) as archive:
            sheet_path = _data_sheet_path(archive)
            if not scan.fits_calamine(sheet_path):
                yield from _streamed_rows(archive, sheet_path)
                return
        file.seek(0)
        yield from _calamine_rows(file)
    except FileRefused:
        raise
    except Exception as error:  # calamine and zip raise their own error types
        raise FileRefused(_("This XLSX file is damaged and cannot be read.")) from error


def raw_rows(file: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of a CSV or XLSX file. Raises FileRefused."""
    size = _file_size(file)
    if size is not None and size > MAX_FILE_BYTES:
        raise FileRefused(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    head = file.read(65536)
    if not head.strip():
        raise FileRefused(_("The file is empty."))
    file.seek(0)
    rows = _xlsx_rows(file) if _detect_kind(head) == "xlsx" else _csv_rows(file, head)
    for row, cells in rows:
        if len(cells) > MAX_COLUMNS:
            while cells and not cells[-1].strip():
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise FileRefused(
                    _(
                        "Row %(row)s has %(count)s columns; a table of purchases has at most %(limit)s. Delete the columns you do not need and upload it again."
                    )
                    % {"row": row, "count": f"{len(cells):,}", "limit": MAX_COLUMNS}
                )
        yield row, cells


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


def estimate_rows(file: IO[bytes]) -> int:
    """A quick estimate of a file's rows, for progress bars; 0 when unknown."""
    head = file.read(4)
    file.seek(0)
    count = 0
    try:
        if head.startswith(b"PK"):
            with zipfile.ZipFile(file) as archive:
                sheets = sorted(
                    n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")
                )
                if sheets:
                    with archive.open(sheets[0]) as sheet:
                        found = _DIMENSION.search(sheet.read(4096))
                        if found and found.group(1):
                            count = int(found.group(1))
        else:
            while chunk := file.read(1 << 20):
                count += chunk.count(b"\n")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        count = 0
    file.seek(0)
    return count
