"""Reading purchase lines from the CSV and XLSX files procurers keep.

Plain Python with one database read (the `Vocabulary` of codes), so that the web upload,
`manage.py import_purchases` and `manage.py impact_of` share it. Files are streamed:
`read_purchases` yields one result per data row and never holds the whole file.

    vocabulary = Vocabulary.load()
    for row, result in read_purchases(file, vocabulary=vocabulary, default_country="NL"):
        if isinstance(result, ParsedLine): ...
        else: ...  # a list of Problem, each printed as "row N, column NAME: reason"

Row numbers are the ones a spreadsheet shows: the header is row 1, blank rows count.

By sub-area: `columns` (the template's columns and words, Vocabulary, ParsedLine,
Problem), `files` (rows of a CSV or XLSX file, and refusing a whole file), `parser`
(checking one row and naming its problems; the fast path for common rows) and
`reading` (the file row by row, and whole for its totals). The names below are the
importer's public face: the web upload, the tasks, the API, the exports, the commands
and the benchmarks all import them from here.
"""

from .columns import COLUMNS, Column, ParsedLine, Problem, Vocabulary
from .files import MAX_FILE_BYTES, FileRefused, estimate_rows, raw_rows
from .reading import (
    LINES_PER_BATCH,
    MAX_PROBLEMS_KEPT,
    FileReading,
    GroupTotal,
    ImportCheck,
    RowResult,
    check_purchases,
    read_purchases,
)

__all__ = [
    "LINES_PER_BATCH",
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_PROBLEMS_KEPT",
    "Column",
    "FileReading",
    "FileRefused",
    "GroupTotal",
    "ImportCheck",
    "ParsedLine",
    "Problem",
    "RowResult",
    "Vocabulary",
    "check_purchases",
    "estimate_rows",
    "raw_rows",
    "read_purchases",
]
