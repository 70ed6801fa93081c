"""What is checked in an uploaded workbook before any reader sees it.

The purchase import goes through the same door as every upload
(`cfit.lib.uploads.check_archive`), with limits for workbooks of a million lines, and
this scanner looks at the workbook's parts as they are inflated, in one pass:

- formulas and hidden sheets are refused (what is uploaded is what the person sees);
- a cell reference far outside any purchase table (the one-cell file at XFD1048576)
  is refused: calamine would build the whole grid up to it, 549 GB;
- a sheet is read by calamine (fast, but it holds a dense grid of the sheet) only when
  its grid is known to be small: at most 26 columns, fewer than 200,000 rows and every
  cell with its own reference. Any other sheet is read as a stream, which checks every
  cell against MAX_COLUMNS and MAX_ROWS as it goes.
"""

import re
import zipfile

from django.utils.translation import gettext as _

from cfit.lib.uploads import MB, ArchiveLimits, ArchiveRefused

# The template has 12 columns; room for a person's own notes beside them.
MAX_COLUMNS = 200
# Excel's own limit.
MAX_ROWS = 1_048_576

IMPORT_ARCHIVE_LIMITS = ArchiveLimits(
    max_members=500,
    max_member_bytes=16 * MB,
    # A million lines written by openpyxl are a sheet of about 460 MB.
    member_bytes=(("xl/worksheets/", 1024 * MB), ("xl/sharedStrings.xml", 128 * MB)),
    max_total_bytes=1280 * MB,
)

# <f> or <f attr=...> (optionally namespaced) is a formula; <formula1> of a drop-down isn't.
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_HIDDEN_SHEET = re.compile(
    rb"<(?:[\w.-]+:)?sheet\b[^>]*\bstate=\"(?:hidden|veryHidden)\""
)
# References are found in a copy of each chunk whose letters all read "A" and digits
# all read "0" (bytes.translate and `in` run at memory speed; a regular expression over
# every one of a million cells would add seconds). Excel, LibreOffice and openpyxl write
# `r` as the first attribute of a cell and a row; a cell written otherwise is counted
# as one without a reference, which sends the sheet to the streaming reader.
_SHAPE = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", b"A" * 26 + b"0" * 10)
# Column 703 or beyond, or row ten million or beyond: refused outright.
_REFUSED_SHAPES = (
    b'<c r="AAA',
    b'<c r="A00000000',
    b'<c r="AA00000000',
    b'<row r="00000000',
)
# Column 27 or beyond, or row 1,000,000 or beyond: read as a stream.
_WIDE_OR_LONG_SHAPES = (b'<c r="AA', b'<c r="A0000000', b'<row r="0000000')
# Any of the above, or a row of 100,000 or beyond (its number decides: calamine reads
# up to row 199,999).
_BIG_SHAPES = (b'<c r="AA', b'<c r="A000000', b'<row r="000000')
_SIX_DIGIT_ROW = re.compile(rb'<(?:c r="[A-Z]|row r=")(\d{6})"')
_REFERENCE = re.compile(rb"[A-Z]*\d*")
CALAMINE_MAX_ROW = 199_999
# Sheets bigger than this (as XML, uncompressed) are read as a stream instead of by
# calamine, which would hold them whole: about 140,000 rows of the template.
STREAM_FROM_XML_BYTES = 64 * 1024 * 1024
_DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension ref="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"'
)
_TAIL = 64


def column_number(letters: str) -> int:
    """1 for A, 27 for AA, 16384 for XFD."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _far_cell_refused(reference: str) -> ArchiveRefused:
    return ArchiveRefused(
        _(
            "The sheet has a cell at %(cell)s, far outside a table of purchases (at most %(columns)s columns and %(rows)s rows). Delete everything outside your table, save and upload again."
        )
        % {"cell": reference, "columns": MAX_COLUMNS, "rows": f"{MAX_ROWS:,}"}
    )


class WorkbookScan:
    """Called with each inflated chunk of each part; raises ArchiveRefused."""

    def __init__(self) -> None:
        self.workbook = bytearray()
        self.small_grid: dict[str, bool] = {}
        self._tails: dict[str, bytes] = {}
        # Per sheet: cells, and cells whose first attribute is their reference.
        self._cells: dict[str, list[int]] = {}

    def __call__(self, info: zipfile.ZipInfo, chunk: bytes) -> None:
        name = info.filename
        if name == "xl/workbook.xml":
            # Small by the archive limits (16 MB at most).
            self.workbook += chunk
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            if info.file_size > STREAM_FROM_XML_BYTES:
                self.small_grid[name] = False
            self._sheet(name, chunk)

    def _sheet(self, name: str, chunk: bytes) -> None:
        tail = self._tails.get(name, b"")
        window = tail + chunk
        # One plain substring test per chunk; the detailed ones only where it hits.
        if b"<f" in window and (
            b"<f>" in window
            or b"<f " in window
            or b"<f/" in window
            or (b":f" in window and _FORMULA_ELEMENT.search(window))
        ):
            raise ArchiveRefused(
                _(
                    "The workbook contains formulas. Replace them by their values (copy, then paste values only) and upload it again."
                )
            )
        if not tail:
            self._dimension(name, window)
        shape = window.translate(_SHAPE)
        # Every refused or wide-or-long shape begins with one of these three.
        if any(big in shape for big in _BIG_SHAPES):
            self._big_references(name, window, shape)
        counts = self._cells.setdefault(name, [0, 0])
        # Counted where each one ends, so that none is counted twice across chunks.
        head = window[: len(tail)]
        referenced = window.count(b'<c r="')
        # The common window: every "<c" opens a cell whose first attribute is its
        # reference. Only otherwise are the cells without one looked for, in two
        # more passes.
        cells = referenced if window.count(b"<c") == referenced else -1
        if cells < 0:
            cells = window.count(b"<c ")
            if b"<c>" in window or b"<c/>" in window:
                self.small_grid[name] = False
        counts[0] += cells - head.count(b"<c ")
        counts[1] += referenced - head.count(b'<c r="')
        if b":sheetData" in window:
            self.small_grid[name] = False
        self._tails[name] = chunk[-_TAIL:]

    def _big_references(self, name: str, window: bytes, shape: bytes) -> None:
        for refused in _REFUSED_SHAPES:
            at = shape.find(refused)
            if at >= 0:
                start = at + refused.index(b'"') + 1
                found = _REFERENCE.match(window, start)
                raise _far_cell_refused(found.group(0).decode("ascii") if found else "")
        if not self.small_grid.get(name, True):
            return  # already for the streaming reader, which checks every cell
        if any(wide in shape for wide in _WIDE_OR_LONG_SHAPES) or any(
            int(row) > CALAMINE_MAX_ROW for row in _SIX_DIGIT_ROW.findall(window)
        ):
            self.small_grid[name] = False

    def _dimension(self, name: str, head: bytes) -> None:
        found = _DIMENSION.search(head)
        if not found:
            return
        letters = (found.group(3) or found.group(1) or b"A").decode("ascii")
        digits = (found.group(4) or found.group(2) or b"1").decode("ascii")
        row = int(digits) if digits.isdigit() else 1
        if len(letters) > 3 or column_number(letters) > MAX_COLUMNS or row > MAX_ROWS:
            raise _far_cell_refused(letters + digits)
        if column_number(letters) > 26 or row > CALAMINE_MAX_ROW:
            self.small_grid[name] = False

    def finish(self) -> None:
        """Checks that need a whole part: call after the archive was read."""
        if _HIDDEN_SHEET.search(self.workbook):
            raise ArchiveRefused(
                _(
                    "The workbook has a hidden sheet. Show or delete every hidden sheet, so that what you upload is what you see, and upload it again."
                )
            )

    def fits_calamine(self, sheet_path: str) -> bool:
        """True when calamine's dense grid of the sheet is known to be small."""
        cells, referenced = self._cells.get(sheet_path, [0, 0])
        return self.small_grid.get(sheet_path, True) and cells == referenced
