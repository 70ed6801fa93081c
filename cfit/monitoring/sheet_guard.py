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
# A reference with three letters (column 703 or beyond) or eight digits (row ten
# million or beyond): refused outright. Rows and columns below that are checked
# exactly by the streaming reader.
_REFUSED_REFERENCE = re.compile(rb'\br="([A-Z]{3,}\d*|[A-Z]{0,2}\d{8,})"')
# Two letters (column 27 or beyond) or a row of 200,000 or more: not for calamine.
_BEYOND_CALAMINE = re.compile(rb'\br="(?:[A-Z]{2}|[A-Z]?(?:[2-9]\d{5}|\d{7}))')
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

    def __call__(self, name: str, chunk: bytes) -> None:
        if name == "xl/workbook.xml":
            # Small by the archive limits (16 MB at most).
            self.workbook += chunk
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            self._sheet(name, chunk)

    def _sheet(self, name: str, chunk: bytes) -> None:
        tail = self._tails.get(name, b"")
        window = tail + chunk
        # Plain substring tests first: the regular expression only runs where a
        # formula or a namespaced element could be.
        if (
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
        small = self.small_grid.get(name, True)
        if small:
            beyond = _BEYOND_CALAMINE.search(window)
            if beyond:
                small = False
                refused = _REFUSED_REFERENCE.search(window, beyond.start())
            else:
                refused = None
            # Every cell must carry its own reference: calamine puts a bare cell
            # after the previous one, so a row of bare cells could be any width.
            if (
                b"<c>" in window
                or b"<c/>" in window
                or b":sheetData" in window
                or window.count(b"<c ") - tail.count(b"<c ")
                != window.count(b'<c r="') - tail.count(b'<c r="')
            ):
                small = False
            self.small_grid[name] = small
        else:
            refused = _REFUSED_REFERENCE.search(window)
        if refused:
            raise _far_cell_refused(refused.group(1).decode("ascii"))
        self._tails[name] = chunk[-_TAIL:]

    def _dimension(self, name: str, head: bytes) -> None:
        found = _DIMENSION.search(head)
        if not found:
            return
        letters = (found.group(3) or found.group(1) or b"A").decode("ascii")
        digits = (found.group(4) or found.group(2) or b"1").decode("ascii")
        row = int(digits) if digits.isdigit() else 1
        if len(letters) > 3 or column_number(letters) > MAX_COLUMNS or row > MAX_ROWS:
            raise _far_cell_refused(letters + digits)
        if column_number(letters) > 26 or row >= 200_000:
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
        return self.small_grid.get(sheet_path, True)
