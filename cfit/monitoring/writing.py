"""Writing an import's lines in bulk, for monitoring.services.purchases_import only.

Plain SQL in batches (COPY on PostgreSQL): the services decide what is written and
keep the summaries, the version and the history; this module only writes fast.
"""

import operator
from collections.abc import Sequence
from itertools import chain
from typing import Any

from django.db import connection
from django.utils import timezone

from .importing import ParsedLine
from .models import LineQuery, PurchaseLine, PurchaseReport

# The line's columns in ParsedLine's order, so that one itemgetter takes them.
_LINE_COLUMNS = (
    "product_group_id",
    "quantity",
    "condition",
    "expected_lifetime_years",
    "warranty_years",
    "spend_eur",
    "country_of_use",
    "tender_reference",
    "devices_retired",
    "retired_to",
    "has_ecolabel",
    "applies_base_criteria",
)
_LINE_VALUES = operator.itemgetter(
    *(ParsedLine._fields.index(column) for column in _LINE_COLUMNS)
)
# The same for every line of an import: its report, version and times.
_FIXED_COLUMNS = ("report_id", "version", "created_at", "updated_at")
# Rows per statement on SQLite: one INSERT of many rows costs far less than as many
# single-row INSERTs (each updates the AUTOINCREMENT counter and runs the statement).
_SQLITE_ROWS_PER_INSERT = 500


class LineWriter:
    """Writes parsed lines in batches with plain SQL: a 100,000-line file in seconds.

    Lines get their ids here, so that ecolabels and criteria can be linked without
    reading ids back: from the PostgreSQL sequence, or on SQLite counting on from the
    highest id, which is safe because the import's transaction holds SQLite's only
    write lock from its first write.
    """

    def __init__(self, report_id: int | None) -> None:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.fixed = (report_id, 1, now, now)
        self.tables: tuple[tuple[str, tuple[str, ...]], ...] = (
            (
                PurchaseLine._meta.db_table,
                ("id", *_FIXED_COLUMNS, *_LINE_COLUMNS),
            ),
            (
                PurchaseLine.ecolabels.through._meta.db_table,
                ("purchaseline_id", "ecolabel_id"),
            ),
            (
                PurchaseLine.criteria.through._meta.db_table,
                ("purchaseline_id", "criterion_id"),
            ),
        )
        self.table = self.tables[0][0]
        self.highest_id: int | None = None

    def _reserve_ids(self, count: int) -> Sequence[int]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Sequences from one call are consecutive unless others interleave:
                # keep them as a list.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if self.highest_id is None:
                quote = connection.ops.quote_name
                cursor.execute(f"SELECT MAX(id) FROM {quote(self.table)}")
                highest = cursor.fetchone()[0] or 0
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table]
                )
                found = cursor.fetchone()
                self.highest_id = max(highest, found[0] if found else 0)
            start = self.highest_id + 1
            self.highest_id += count
            return range(start, start + count)

    def write(self, lines: Sequence[ParsedLine]) -> None:
        """Write a batch of lines (monitoring.importing.LINES_PER_BATCH at a time)."""
        if not lines:
            return
        ids = self._reserve_ids(len(lines))
        fixed = self.fixed
        rows = [
            (pk, *fixed, *values)
            for pk, values in zip(ids, map(_LINE_VALUES, lines), strict=True)
        ]
        ecolabel_rows = [
            (pk, ecolabel_id)
            for pk, line in zip(ids, lines, strict=True)
            if line.has_ecolabel
            for ecolabel_id in line.ecolabel_ids
        ]
        criteria_rows = [
            (pk, criterion_id)
            for pk, line in zip(ids, lines, strict=True)
            if line.criterion_ids
            for criterion_id in line.criterion_ids
        ]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for (table, columns), table_rows in zip(
                self.tables, (rows, ecolabel_rows, criteria_rows), strict=True
            ):
                if not table_rows:
                    continue
                into = f"{quote(table)} ({', '.join(quote(c) for c in columns)})"
                if connection.vendor == "postgresql":
                    # COPY is several times faster than executemany on PostgreSQL.
                    with cursor.cursor.copy(f"COPY {into} FROM STDIN") as copy:
                        for row in table_rows:
                            copy.write_row(row)
                else:
                    _sqlite_insert(cursor, into, len(columns), table_rows)


def _sqlite_insert(
    cursor: Any, into: str, width: int, rows: list[tuple[Any, ...]]
) -> None:
    """INSERT the rows, many per statement, within SQLite's limit of parameters."""
    # SQLite always has a limit (999 on old builds); the fallback is for the typing.
    limit = connection.features.max_query_params or 999
    per = max(1, min(_SQLITE_ROWS_PER_INSERT, limit // width))
    one = f"({', '.join(['%s'] * width)})"
    whole = len(rows) - len(rows) % per
    if whole:
        cursor.executemany(
            f"INSERT INTO {into} VALUES {', '.join([one] * per)}",
            [
                list(chain.from_iterable(rows[start : start + per]))
                for start in range(0, whole, per)
            ],
        )
    if whole < len(rows):
        rest = rows[whole:]
        # executemany even for one statement: under DEBUG, execute() would quote
        # every value back through SQLite to log the query.
        cursor.executemany(
            f"INSERT INTO {into} VALUES {', '.join([one] * len(rest))}",
            [list(chain.from_iterable(rest))],
        )


def delete_lines(report: PurchaseReport) -> None:
    """Delete every line of a report with set-based statements.

    The ORM's delete() would load every line to cascade by hand: a million of them
    would not fit in memory.
    """
    for through in (PurchaseLine.ecolabels.through, PurchaseLine.criteria.through):
        through.objects.filter(purchaseline__report=report).delete()
    LineQuery.objects.filter(line__report=report).delete()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(PurchaseLine._meta.db_table)} WHERE {quote('report_id')} = %s",
            [report.pk],
        )
