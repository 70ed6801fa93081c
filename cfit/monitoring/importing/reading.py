"""A file read row by row (`read_purchases`), and whole (`check_purchases`) for its
totals and problems."""

import operator
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _

from .columns import ParsedLine, Problem, Vocabulary
from .files import FileRefused, raw_rows
from .parser import RowParser

# Enough to fix a file; a file with more problems is the wrong file.
MAX_PROBLEMS_KEPT = 2000

RowResult = tuple[int, ParsedLine | list[Problem]]
# Good lines are counted (and written) in batches of this many: big batches make few
# statements, and hold a few megabytes.
LINES_PER_BATCH = 20_000
_QUANTITY = operator.itemgetter(ParsedLine._fields.index("quantity"))
_GROUP_CODE = operator.itemgetter(ParsedLine._fields.index("product_group_code"))
_SPEND = operator.itemgetter(ParsedLine._fields.index("spend_eur"))


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
    parser: RowParser | None = None
    waiting: list[tuple[int, list[str]]] = []
    try:
        for row, cells in rows:
            if parser is None:
                if not "".join(cells).strip():
                    continue
                parser = RowParser(cells, row, vocabulary, default_country)
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
            self.add_lines([result], keep=keep)
            return
        self.problem_count += len(result)
        room = MAX_PROBLEMS_KEPT - len(self.problems)
        if room > 0:
            self.problems.extend(result[:room])

    def add_lines(self, lines: Sequence[ParsedLine], *, keep: bool) -> None:
        """Count good lines in one go: a file's lines come in batches (LINES_PER_BATCH),
        and a Python call per line costs a twentieth of a 100,000-line import."""
        if not lines:
            return
        quantities = list(map(_QUANTITY, lines))
        codes = list(map(_GROUP_CODE, lines))
        self.line_count += len(lines)
        self.device_count += sum(quantities)
        self.spend_eur = sum(
            (spend for spend in map(_SPEND, lines) if spend is not None),
            self.spend_eur,
        )
        devices: dict[str, int] = {}
        for code, quantity in zip(codes, quantities, strict=True):
            devices[code] = devices.get(code, 0) + quantity
        # Counter keeps the order in which the groups first appear, as the totals do.
        for code, count in Counter(codes).items():
            total = self.totals.get(code)
            if total is None:
                total = self.totals[code] = GroupTotal()
            total.lines += count
            total.devices += devices[code]
        if keep:
            self.lines.extend(lines)


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
    lines: list[ParsedLine] = []
    for row, result in read_purchases(
        file,
        vocabulary=vocabulary,
        default_country=default_country,
        reading=check.reading,
    ):
        if isinstance(result, ParsedLine):
            lines.append(result)
            if len(lines) >= LINES_PER_BATCH:
                check.add_lines(lines, keep=keep_lines)
                lines = []
        else:
            check.add(result, keep=keep_lines)
        if progress is not None and row - last_row >= progress_every:
            progress(row)
            last_row = row
    check.add_lines(lines, keep=keep_lines)
    if check.line_count == 0 and check.problem_count == 0:
        check.add(
            [Problem(_("The file has a header row but no purchase lines."))], keep=False
        )
    return check
