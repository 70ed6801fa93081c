"""Reading purchase lines from the CSV and XLSX files procurers keep.

Plain Python with one database read (the `Vocabulary` of codes), so that the web upload,
`manage.py import_purchases` and `manage.py impact_of` share it. Files are streamed:
`read_purchases` yields one result per data row and never holds the whole file.

    vocabulary = Vocabulary.load()
    for row, result in read_purchases(file, vocabulary=vocabulary, default_country="NL"):
        if isinstance(result, ParsedLine): ...
        else: ...  # a list of Problem, each printed as "row N, column NAME: reason"

Row numbers are the ones a spreadsheet shows: the header is row 1, blank rows count.
"""

import codecs
import csv
import functools
import io
import operator
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, NamedTuple

from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cfit.lib.countries import parse_country
from cfit.lib.formatting import format_number
from cfit.lib.numbers import (
    POINT,
    Ambiguous,
    Number,
    read_number,
    read_whole_number,
)
from cfit.lib.spreadsheets import is_formula_like
from cfit.lib.uploads import (
    ArchiveDamaged,
    ArchiveRefused,
    NotAnArchive,
    check_archive,
)

from .models import Condition, RetiredTo
from .rules import (
    DEVICES_MAX,
    LIFETIME_MAX_YEARS,
    LIFETIME_MIN_YEARS,
    QUANTITY_MIN,
    SPEND_MAX_EUR,
    TENDER_REFERENCE_MAX_LENGTH,
    WARRANTY_MAX_YEARS,
    applies_base_criteria,
    lifetime_range,
    number_text,
)
from .sheet_guard import (
    IMPORT_ARCHIVE_LIMITS,
    MAX_COLUMNS,
    MAX_ROWS,
    WorkbookScan,
    column_number,
)

# Bigger uploads are refused before they are read.
MAX_FILE_BYTES = 100 * 1024 * 1024
# Enough to fix a file; a file with more problems is the wrong file.
MAX_PROBLEMS_KEPT = 2000
LIFETIME_MIN = LIFETIME_MIN_YEARS
LIFETIME_MAX = LIFETIME_MAX_YEARS
WARRANTY_MAX = WARRANTY_MAX_YEARS
SPEND_MAX = SPEND_MAX_EUR
INTEGER_MAX = DEVICES_MAX


@dataclass(frozen=True)
class Column:
    code: str
    label: str  # untranslated; translated at use
    required: bool = False
    aliases: tuple[str, ...] = ()


# The template's columns, in its order. Labels and code names are always accepted,
# with case, spaces and punctuation ignored; aliases are the other obvious names.
COLUMNS: tuple[Column, ...] = (
    Column(
        "product_group",
        gettext_noop("Product group"),
        required=True,
        aliases=("product", "product type", "device", "device type", "category"),
    ),
    Column(
        "quantity",
        gettext_noop("Quantity"),
        required=True,
        aliases=("qty", "number", "amount", "count", "units", "number of devices"),
    ),
    Column("condition", gettext_noop("Condition"), aliases=("state",)),
    Column(
        "expected_lifetime_years",
        gettext_noop("Expected lifetime (years)"),
        aliases=("lifetime", "expected lifetime", "lifetime years", "lifespan"),
    ),
    Column(
        "warranty_years",
        gettext_noop("Warranty (years)"),
        aliases=("warranty", "warranty period"),
    ),
    Column(
        "ecolabels",
        gettext_noop("Ecolabels"),
        aliases=("ecolabel", "eco label", "eco labels", "labels", "label"),
    ),
    Column(
        "criteria",
        gettext_noop("Criteria applied"),
        aliases=(
            "criteria codes",
            "criterion",
            "pact criteria",
            "criteria applied codes",
        ),
    ),
    Column(
        "spend_eur",
        gettext_noop("Spend (EUR)"),
        aliases=("spend", "spend eur", "cost", "amount eur", "price", "total eur"),
    ),
    Column(
        "country_of_use",
        gettext_noop("Country of use"),
        aliases=("country", "country code"),
    ),
    Column(
        "tender_reference",
        gettext_noop("Tender reference"),
        aliases=("tender", "reference", "contract", "contract reference", "tender id"),
    ),
    Column(
        "devices_retired",
        gettext_noop("Devices retired"),
        aliases=("retired", "devices replaced", "old devices", "devices out"),
    ),
    Column(
        "retired_to",
        gettext_noop("Retired to"),
        aliases=(
            "retired devices to",
            "end of life",
            "destination",
            "retired devices went to",
        ),
    ),
)
COLUMN_BY_CODE = {column.code: column for column in COLUMNS}

CONDITIONS: dict[str, str] = {
    "new": "new",
    "refurbished": "refurbished",
    "refurb": "refurbished",
    "remanufactured": "remanufactured",
    "reused": "reused",
    "reused internally": "reused",
    "reuse": "reused",
    "second hand": "reused",
}
RETIRED_TO: dict[str, str] = {
    "reuse": "reuse",
    "reused": "reuse",
    "resold": "reuse",
    "donated": "reuse",
    "reuse resold or donated": "reuse",
    "take back": "take_back",
    "takeback": "take_back",
    "supplier take back": "take_back",
    "recycling": "recycling",
    "recycled": "recycling",
    "certified recycling": "recycling",
    "stored": "stored",
    "storage": "stored",
    "unknown": "unknown",
    "": "",
}


@functools.cache
def choice_words(kind: str) -> dict[str, str]:
    """Every word a file may use for a condition or a destination: the codes, the
    synonyms above and the labels people see (in every language of the site), as the
    template's drop-downs offer them."""
    words, choices = (
        (CONDITIONS, Condition.choices)
        if kind == "condition"
        else (RETIRED_TO, RetiredTo.choices)
    )
    table = dict(words)
    languages = [code for code, _name in settings.LANGUAGES] or ["en"]
    for value, label in choices:
        table.setdefault(_word_key(value), value)
        for language in languages:
            with translation.override(language):
                table.setdefault(_word_key(str(label)), value)
    return table


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_WORDS = re.compile(r"[^\w]+")
_LIST_SPLIT = re.compile(r"[;|]")


def header_key(text: str) -> str:
    """How a column name is compared: case, spaces and punctuation ignored."""
    return _NOT_ALNUM.sub("", text.casefold())


def _word_key(text: str) -> str:
    return " ".join(_WORDS.sub(" ", text.casefold().replace("_", " ")).split())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, as a procurer reads it."""

    reason: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("row %(row)s, column %(column)s: %(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.reason,
            }
        if self.row is not None:
            return _("row %(row)s: %(reason)s") % {
                "row": self.row,
                "reason": self.reason,
            }
        return self.reason


class ParsedLine(NamedTuple):
    """A purchase line read from a file, with every code resolved.

    A named tuple: built for every row of files of a million rows, it must be cheap.
    It is built by position (`_RowParser._line`): after the product group's id and
    code, its fields follow COLUMNS' order.
    """

    row: int
    product_group_id: int
    product_group_code: str
    quantity: int
    condition: str
    expected_lifetime_years: Decimal | None
    warranty_years: Decimal | None
    ecolabel_ids: tuple[int, ...]
    criterion_ids: tuple[int, ...]
    spend_eur: Decimal | None
    country_of_use: str
    tender_reference: str
    devices_retired: int
    retired_to: str
    has_ecolabel: bool
    applies_base_criteria: bool


@dataclass
class Vocabulary:
    """The codes a file may use, read once from the criteria base."""

    product_groups: dict[str, tuple[int, str]]  # key (code or name) -> (id, code)
    ecolabels: dict[str, int]  # key (code or name) -> id
    criteria: dict[str, int]  # code key -> id
    criterion_codes: dict[int, str]  # id -> code
    criteria_of_group: dict[int, frozenset[int]]  # product group id -> criterion ids
    base_criteria_of_group: dict[int, frozenset[int]]
    product_group_codes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> "Vocabulary":
        from cfit.criteria.models import (
            Criterion,
            CriterionLevel,
            Ecolabel,
            ProductGroup,
        )

        groups: dict[str, tuple[int, str]] = {}
        codes: list[str] = []
        for pk, code, name in ProductGroup.objects.values_list("pk", "code", "name"):
            codes.append(code)
            groups[_word_key(code)] = (pk, code)
            groups.setdefault(_word_key(name), (pk, code))
            # "Laptop (portable computer)" is also "laptop" and "laptops".
            short = _word_key(name.split("(")[0])
            groups.setdefault(short, (pk, code))
            groups.setdefault(short + "s", (pk, code))
        ecolabels: dict[str, int] = {}
        for pk, code, name in Ecolabel.objects.values_list("pk", "code", "name"):
            ecolabels[_word_key(code)] = pk
            ecolabels.setdefault(_word_key(name), pk)
        criteria: dict[str, int] = {}
        criterion_codes: dict[int, str] = {}
        levels: dict[int, str] = {}
        # Approved criteria only: a criterion in review is not yet part of the base.
        for pk, code, level in Criterion.objects.published().values_list(
            "pk", "code", "level"
        ):
            criteria[code.strip().casefold()] = pk
            criterion_codes[pk] = code
            levels[pk] = level
        of_group: dict[int, set[int]] = {}
        for (
            criterion_id,
            group_id,
        ) in Criterion.product_groups.through.objects.filter(
            criterion_id__in=levels
        ).values_list("criterion_id", "productgroup_id"):
            of_group.setdefault(group_id, set()).add(criterion_id)
        return cls(
            product_groups=groups,
            ecolabels=ecolabels,
            criteria=criteria,
            criterion_codes=criterion_codes,
            criteria_of_group={g: frozenset(c) for g, c in of_group.items()},
            base_criteria_of_group={
                g: frozenset(c for c in ids if levels[c] == CriterionLevel.BASE)
                for g, ids in of_group.items()
            },
            product_group_codes=codes,
        )

    def applies_base_criteria(
        self, product_group_id: int, criterion_ids: Iterable[int]
    ) -> bool:
        """The one rule (rules.applies_base_criteria) with the criteria read once."""
        return applies_base_criteria(
            self.base_criteria_of_group.get(product_group_id, frozenset()),
            criterion_ids,
        )


def _header_table() -> dict[str, str]:
    """Every accepted column name, keyed for comparison, to its column code."""
    table: dict[str, str] = {}
    languages = [code for code, _name in settings.LANGUAGES] or ["en"]
    for column in COLUMNS:
        names = {column.code, column.label, *column.aliases}
        for language in languages:
            with translation.override(language):
                names.add(_(column.label))
        for name in names:
            table.setdefault(header_key(name), column.code)
    return table


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


# ---------------------------------------------------------------- values


class AmbiguousNumber(str):
    """The reason a cell is refused while the file's decimal mark is not known yet.

    A str, so that it reads like any other reason; its type lets `read_purchases` hold
    the row back until the file's other amounts settle the decimal mark.
    """


def _ambiguous_reason(found: Ambiguous, unit: str) -> AmbiguousNumber:
    return AmbiguousNumber(
        _(
            '"%(value)s" could mean %(thousands)s %(unit)s (if "%(sep)s" separates thousands) or %(decimal)s %(unit)s (if "%(sep)s" is the decimal mark). Write it without a thousands separator, or use the same decimal mark as the file\'s other amounts.'
        )
        % {
            "value": found.text[:60],
            "thousands": found.as_thousands,
            "decimal": found.as_decimal,
            "unit": unit,
            "sep": found.separator,
        }
    )


# What parsing one cell gives: the value, and the reason it is wrong (or None).
Parsed = tuple[Any, str | None]
# Distinct texts remembered per column. Most columns repeat a handful of values, so a
# dictionary lookup replaces the parsing; the bound keeps memory flat on huge files.
CACHE_LIMIT = 20_000
_PLAIN_NUMBER = re.compile(r"\d{1,12}(?:\.\d{1,2})?")
_CENT = Decimal("0.01")


class _RowParser:
    """Turns the cells of one row into a ParsedLine or a list of problems."""

    def __init__(
        self,
        header: list[str],
        header_row: int,
        vocabulary: Vocabulary,
        default_country: str | None,
    ) -> None:
        self.vocabulary = vocabulary
        self.default_country = default_country
        # The file's decimal mark, once one of its amounts shows it ("2,5", "1.5").
        self.decimal_mark: str | None = None
        # Set by `parse` when the row waits for the decimal mark to be known.
        self.undecided = False
        table = _header_table()
        self.index: dict[str, int] = {}
        self.header_problems: list[Problem] = []
        unknown: list[str] = []
        for position, name in enumerate(header):
            if not name.strip():
                continue
            code = table.get(header_key(name))
            if code is None:
                unknown.append(name.strip())
                continue
            if code in self.index:
                self.header_problems.append(
                    Problem(
                        _("this column appears twice (%(name)s).")
                        % {"name": name.strip()},
                        row=header_row,
                        column=_(COLUMN_BY_CODE[code].label),
                    )
                )
                continue
            self.index[code] = position
        for column in COLUMNS:
            if column.required and column.code not in self.index:
                self.header_problems.append(
                    Problem(
                        _("the required column is missing from the header row."),
                        row=header_row,
                        column=_(column.label),
                    )
                )
        if self.header_problems and unknown:
            self.header_problems.append(
                Problem(
                    _("columns not recognised: %(names)s.")
                    % {"names": ", ".join(unknown[:20])},
                    row=header_row,
                )
            )
        self.labels = {column.code: _(column.label) for column in COLUMNS}
        parsers = {
            "product_group": self._product_group,
            "quantity": self._quantity,
            "condition": self._condition,
            "expected_lifetime_years": self._lifetime,
            "warranty_years": self._warranty,
            "ecolabels": self._ecolabels,
            "criteria": self._criteria,
            "spend_eur": self._spend,
            "country_of_use": self._country,
            "tender_reference": self._tender,
            "devices_retired": self._retired,
            "retired_to": self._retired_to,
        }
        # Every column, present in the file or not: a missing one reads the empty
        # cell added after the file's last column.
        width = max(self.index.values(), default=-1) + 1
        positions = [self.index.get(column.code, width) for column in COLUMNS]
        self.padding = [""] * (width + (1 if len(self.index) < len(COLUMNS) else 0))
        self.pick = operator.itemgetter(*positions)
        self.parsers = [parsers[column.code] for column in COLUMNS]
        self.codes = [column.code for column in COLUMNS]
        # Per column, the values of the texts already read and found good, and the
        # reasons of those found wrong: most columns repeat a handful of texts.
        self.good: list[dict[str, Any]] = [
            _Amounts(self) if column.code == "spend_eur" else {} for column in COLUMNS
        ]
        self.wrong: list[dict[str, str]] = [{} for _column in COLUMNS]
        # (product group id, criterion ids) -> whether they apply the BASE criteria.
        self.base_applied: dict[tuple[int, tuple[int, ...]], bool] = {}

    # Each parser gets the stripped text of one cell.

    def _product_group(self, text: str) -> Parsed:
        if not text:
            return None, _("the product group is missing.")
        found = self.vocabulary.product_groups.get(_word_key(text))
        if found is None:
            return None, _(
                'unknown product group "%(value)s"; use one of: %(codes)s.'
            ) % {
                "value": text[:60],
                "codes": ", ".join(self.vocabulary.product_group_codes),
            }
        return found, None

    def _settle(self, found: Number) -> None:
        """The first amount that shows its decimal mark settles the file's."""
        if self.decimal_mark is None and found.decimal_mark is not None:
            self.decimal_mark = found.decimal_mark
            # Ambiguous texts already seen must be read again with the mark.
            for cache in (*self.good, *self.wrong):
                cache.clear()

    def _read(self, text: str) -> Number | Ambiguous | None:
        found = read_number(text, decimal_mark=self.decimal_mark)
        if isinstance(found, Number):
            self._settle(found)
        return found

    def _whole(self, text: str, *, minimum: int, missing: str | None) -> Parsed:
        if not text:
            return (None, missing) if missing else (0, None)
        found = read_whole_number(text, decimal_mark=self.decimal_mark)
        if isinstance(found, Ambiguous):
            return None, _ambiguous_reason(found, _("devices"))
        number = found
        if number is None:
            return None, _('"%(value)s" is not a whole number of devices.') % {
                "value": text[:60]
            }
        if number < minimum:
            if minimum == QUANTITY_MIN:
                return None, _("the quantity must be at least %(low)s.") % {
                    "low": QUANTITY_MIN
                }
            return None, _("the number of devices retired cannot be negative.")
        if number > INTEGER_MAX:
            return None, _("the number is too large: at most %(high)s devices.") % {
                "high": format_number(INTEGER_MAX)
            }
        return number, None

    def _quantity(self, text: str) -> Parsed:
        # The message is translated only when needed: gettext on every row of a
        # 100,000-line file costs a tenth of the parsing.
        if not text:
            return None, _("the quantity is missing.")
        return self._whole(text, minimum=QUANTITY_MIN, missing=None)

    def _retired(self, text: str) -> Parsed:
        return self._whole(text, minimum=0, missing=None)

    def _condition(self, text: str) -> Parsed:
        if not text:
            return "new", None
        found = choice_words("condition").get(_word_key(text))
        if found is None:
            return None, _(
                'unknown condition "%(value)s"; use new, refurbished, remanufactured or reused.'
            ) % {"value": text[:60]}
        return found, None

    def _years(
        self, text: str, low: Decimal, high: Decimal, out_of_range: str
    ) -> Parsed:
        if not text:
            return None, None
        found = self._read(text)
        if isinstance(found, Ambiguous):
            # A thousand years is never meant: unless the file's other amounts say
            # otherwise, the separator is the decimal mark.
            number = found.reading(self.decimal_mark or found.separator)
        elif found is None:
            return None, _('"%(value)s" is not a number of years.') % {
                "value": text[:60]
            }
        else:
            number = found.value
        if not low <= number <= high:
            return None, out_of_range
        return number.quantize(_CENT), None

    def _lifetime(self, text: str) -> Parsed:
        return self._years(
            text,
            LIFETIME_MIN,
            LIFETIME_MAX,
            _("the expected lifetime must be between %(low)s and %(high)s years.")
            % lifetime_range(),
        )

    def _warranty(self, text: str) -> Parsed:
        return self._years(
            text,
            Decimal(0),
            WARRANTY_MAX,
            _("the warranty must be between 0 and %(high)s years.")
            % {"high": number_text(WARRANTY_MAX)},
        )

    def _ecolabels(self, text: str) -> Parsed:
        ids: list[int] = []
        wrong: list[str] = []
        for part in _LIST_SPLIT.split(text):
            name = part.strip()
            if not name:
                continue
            found = self.vocabulary.ecolabels.get(_word_key(name))
            if found is None:
                wrong.append(_('unknown ecolabel "%(value)s".') % {"value": name[:60]})
            elif found not in ids:
                ids.append(found)
        return tuple(ids), " ".join(wrong) or None

    def _criteria(self, text: str) -> Parsed:
        ids: list[int] = []
        wrong: list[str] = []
        for part in _LIST_SPLIT.split(text):
            code = part.strip()
            if not code:
                continue
            found = self.vocabulary.criteria.get(code.casefold())
            if found is None:
                wrong.append(
                    _('unknown criterion code "%(value)s".') % {"value": code[:60]}
                )
            elif found not in ids:
                ids.append(found)
        return tuple(ids), " ".join(wrong) or None

    def _spend(self, text: str) -> Parsed:
        if not text:
            return None, None
        if _PLAIN_NUMBER.fullmatch(text):
            # The common case, read fast: digits, then at most two decimals.
            if self.decimal_mark is None and "." in text:
                self._settle(Number(Decimal(0), POINT))
            return Decimal(text).quantize(_CENT), None
        found = self._read(text)
        if isinstance(found, Ambiguous):
            return None, _ambiguous_reason(found, _("euros"))
        if found is None:
            return None, _('"%(value)s" is not an amount in euros.') % {
                "value": text[:60]
            }
        number = found.value
        if number < 0 or number > SPEND_MAX:
            return None, _("the spend must be between 0 and %(high)s euros.") % {
                "high": format_number(SPEND_MAX, 2)
            }
        return number.quantize(_CENT), None

    def _country(self, text: str) -> Parsed:
        if not text:
            if self.default_country:
                return self.default_country, None
            return None, _("the country of use is missing.")
        found = parse_country(text)
        if found is None:
            return None, _(
                'unknown country "%(value)s"; use the ISO code, such as NL or NLD.'
            ) % {"value": text[:60]}
        return found, None

    def _tender(self, text: str) -> Parsed:
        if text.startswith("'") and is_formula_like(text[1:]):
            # Our exports write such a reference with an apostrophe: read it back as is.
            text = text[1:]
        if len(text) > TENDER_REFERENCE_MAX_LENGTH:
            return None, _(
                "the tender reference is longer than %(limit)s characters."
            ) % {"limit": TENDER_REFERENCE_MAX_LENGTH}
        return text, None

    def _retired_to(self, text: str) -> Parsed:
        found = choice_words("retired_to").get(_word_key(text)) if text else ""
        if found is None:
            return None, _(
                'unknown destination "%(value)s"; use reuse, take_back, recycling, stored or unknown.'
            ) % {"value": text[:60]}
        return found, None

    def parse(self, row: int, cells: list[str]) -> ParsedLine | list[Problem]:
        """The row as a ParsedLine, or its problems.

        The common row (every value good) is read with one dictionary lookup per
        cell; a row with a problem, or one that settles the decimal mark, is read
        again by `_parse_checked`, which names every problem.
        """
        if len(cells) < len(self.padding):
            cells = cells + self.padding[len(cells) :]
        texts = self.pick(cells)
        try:
            values = list(map(dict.__getitem__, self.good, texts))
        except KeyError:
            # A text not read before in its column: read the row cell by cell.
            found = self._fill(texts)
            if found is None:
                return self._parse_checked(row, texts)
            values = found
        line = self._line(row, values)
        if line is None:
            return self._parse_checked(row, texts)
        return line

    def _fill(self, texts: Sequence[str]) -> list[Any] | None:
        """The row's values, reading and remembering new texts; None on a problem
        or when a cell settles the file's decimal mark."""
        mark = self.decimal_mark
        values: list[Any] = []
        for position, text in enumerate(texts):
            good = self.good[position]
            value = good.get(text, _MISSING)
            if value is _MISSING:
                value, reason = self.parsers[position](text.strip())
                if reason is not None or self.decimal_mark is not mark:
                    return None
                if len(good) < CACHE_LIMIT:
                    good[text] = value
            values.append(value)
        return values

    def _line(self, row: int, values: list[Any]) -> ParsedLine | None:
        """The ParsedLine of a row's good values; None if a criterion is not of its
        product group."""
        group = values[0]
        criterion_ids = values[6]
        base = False
        if criterion_ids:
            key = (group[0], criterion_ids)
            found = self.base_applied.get(key)
            if found is None:
                allowed = self.vocabulary.criteria_of_group.get(group[0], frozenset())
                if not allowed.issuperset(criterion_ids):
                    return None
                found = self.vocabulary.applies_base_criteria(group[0], criterion_ids)
                if len(self.base_applied) < CACHE_LIMIT:
                    self.base_applied[key] = found
            base = found
        self.undecided = False
        if values[10] and not values[11]:
            # Devices left, and nobody wrote where to: that is what "unknown" means.
            values[11] = "unknown"
        # In ParsedLine's order: the product group's (id, code), then the values;
        # tuple.__new__ skips the named tuple's constructor, a Python call per row.
        return tuple.__new__(
            ParsedLine, (row, *group, *values[1:], bool(values[5]), base)
        )

    def _parse_checked(
        self, row: int, texts: Sequence[str]
    ) -> ParsedLine | list[Problem]:
        """The row read cell by cell in column order, naming every problem."""
        values: list[Any] = []
        problems: list[Problem] = []
        undecided = False
        for position, text in enumerate(texts):
            good = self.good[position]
            value = good.get(text, _MISSING)
            reason: str | None = None
            if value is _MISSING:
                reason = self.wrong[position].get(text)
                if reason is None:
                    value, reason = self.parsers[position](text.strip())
                    wrong = self.wrong[position]
                    if reason is None:
                        if len(good) < CACHE_LIMIT:
                            good[text] = value
                    elif len(wrong) < CACHE_LIMIT:
                        wrong[text] = reason
            if reason is not None:
                value = None
                problems.append(
                    Problem(reason, row=row, column=self.labels[self.codes[position]])
                )
                if reason.__class__ is AmbiguousNumber:
                    undecided = True
            values.append(value)
        group, criterion_ids = values[0], values[6]
        if criterion_ids and group is not None:
            allowed = self.vocabulary.criteria_of_group.get(group[0], frozenset())
            for criterion_id in criterion_ids:
                if criterion_id not in allowed:
                    problems.append(
                        Problem(
                            _('criterion "%(code)s" is not a criterion for %(group)s.')
                            % {
                                "code": self.vocabulary.criterion_codes[criterion_id],
                                "group": group[1],
                            },
                            row=row,
                            column=self.labels["criteria"],
                        )
                    )
        self.undecided = undecided and self.decimal_mark is None
        if problems:
            return problems
        # Every cell good after all (the decimal mark settled on the way).
        line = self._line(row, values)
        assert line is not None  # its criteria were checked above
        return line


# The mark of a text not yet read in a column (None is a value: an empty lifetime).
_MISSING: Any = object()


class _Amounts(dict[str, Any]):
    """The spend column's good values. Amounts seldom repeat, so the common one
    ("1234.56") is read when looked up rather than remembered: as `_spend` reads
    it, once the file's decimal mark is known or when it has no decimals."""

    def __init__(self, parser: _RowParser) -> None:
        super().__init__()
        self.parser = parser

    def __missing__(self, text: str) -> Decimal:
        if _PLAIN_NUMBER.fullmatch(text) and (
            self.parser.decimal_mark is not None or "." not in text
        ):
            return Decimal(text).quantize(_CENT)
        raise KeyError(text)


RowResult = tuple[int, ParsedLine | list[Problem]]


@dataclass
class FileReading:
    """How a file was read, for the preview: its decimal mark ("." or ","), if any."""

    decimal_mark: str = ""


# Rows held back while the file's decimal mark is unknown; past this they are refused.
MAX_ROWS_WAITING = 10_000


def read_purchases(
    file: IO[bytes],
    *,
    vocabulary: Vocabulary,
    default_country: str | None = None,
    reading: FileReading | None = None,
) -> Iterator[RowResult]:
    """Yield (row number, ParsedLine or its problems) for every non-blank data row.

    A problem with the file as a whole (not CSV/XLSX, empty, no header, a required
    column missing, formulas...) is yielded once with the problems and ends the file.
    A row with an amount such as "1.234" waits until another amount of the file shows
    its decimal mark, and is refused naming both readings if none does. `reading`, if
    given, is told the decimal mark the file was read with. Never raises on bad content.
    """
    rows = raw_rows(file)
    parser: _RowParser | None = None
    waiting: list[tuple[int, list[str]]] = []
    try:
        for row, cells in rows:
            if parser is None:
                if not "".join(cells).strip():
                    continue
                parser = _RowParser(cells, row, vocabulary, default_country)
                if parser.header_problems:
                    yield row, parser.header_problems
                    return
                continue
            if not any(cells) or not "".join(cells).strip():
                continue
            result = parser.parse(row, cells)
            if parser.undecided and len(waiting) < MAX_ROWS_WAITING:
                waiting.append((row, cells))
                continue
            yield row, result
            if waiting and parser.decimal_mark is not None:
                yield from ((r, parser.parse(r, c)) for r, c in waiting)
                waiting = []
    except FileRefused as refused:
        yield 0, [Problem(str(refused))]
        return
    if parser is None:
        yield (
            0,
            [
                Problem(
                    _(
                        "The file has no header row. The first row must name the columns, as in the template."
                    )
                )
            ],
        )
        return
    yield from ((r, parser.parse(r, c)) for r, c in waiting)
    if reading is not None:
        reading.decimal_mark = parser.decimal_mark or ""


@dataclass
class GroupTotal:
    lines: int = 0
    devices: int = 0


@dataclass
class ImportCheck:
    """What a file holds: totals of its good lines and every problem (up to a limit)."""

    line_count: int = 0
    device_count: int = 0
    spend_eur: Decimal = Decimal("0")
    totals: dict[str, GroupTotal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    lines: list[ParsedLine] = field(default_factory=list)
    # How the file's amounts were read ("." or ","; "" when none showed it).
    reading: FileReading = field(default_factory=FileReading)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and self.line_count > 0

    def add(self, result: ParsedLine | list[Problem], *, keep: bool) -> None:
        if isinstance(result, ParsedLine):
            self.line_count += 1
            self.device_count += result.quantity
            if result.spend_eur is not None:
                self.spend_eur += result.spend_eur
            total = self.totals.get(result.product_group_code)
            if total is None:
                total = self.totals[result.product_group_code] = GroupTotal()
            total.lines += 1
            total.devices += result.quantity
            if keep:
                self.lines.append(result)
            return
        self.problem_count += len(result)
        room = MAX_PROBLEMS_KEPT - len(self.problems)
        if room > 0:
            self.problems.extend(result[:room])


def check_purchases(
    file: IO[bytes],
    *,
    vocabulary: Vocabulary | None = None,
    default_country: str | None = None,
    keep_lines: bool = False,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
) -> ImportCheck:
    """Read a whole file and collect its totals and problems (and its lines if asked).

    An empty file of data (a header and nothing else) is a problem too: there is
    nothing to import.
    """
    vocabulary = vocabulary or Vocabulary.load()
    check = ImportCheck()
    last_row = 0
    for row, result in read_purchases(
        file,
        vocabulary=vocabulary,
        default_country=default_country,
        reading=check.reading,
    ):
        check.add(result, keep=keep_lines)
        if progress is not None and row - last_row >= progress_every:
            progress(row)
            last_row = row
    if check.line_count == 0 and check.problem_count == 0:
        check.add(
            [Problem(_("The file has a header row but no purchase lines."))], keep=False
        )
    return check
