"""Writing an import's lines in bulk, for monitoring.services.purchases_import only.

Plain SQL in batches (COPY on PostgreSQL): the services decide what is written and
keep the summaries, the version and the history; this module only writes fast.
"""

from typing import Any

from django.db import connection
from django.utils import timezone

from .importing import ParsedLine
from .models import LineQuery, PurchaseLine, PurchaseReport

_LINE_COLUMNS = (
    "report_id",
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
    "version",
    "created_at",
    "updated_at",
)


class LineWriter:
    """Writes parsed lines in batches with plain SQL: a 100,000-line file in seconds.

    Lines get their ids here, so that ecolabels and criteria can be linked without
    reading ids back: from the PostgreSQL sequence, or on SQLite counting on from the
    highest id, which is safe because the import's transaction holds SQLite's only
    write lock from its first write.
    """

    def __init__(self, report_id: int | None) -> None:
        self.report_id = report_id
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        quote = connection.ops.quote_name
        self.table = PurchaseLine._meta.db_table
        columns = ("id", *_LINE_COLUMNS)
        self.insert_sql = (
            f"INSERT INTO {quote(self.table)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        ecolabels = PurchaseLine.ecolabels.through._meta.db_table
        criteria = PurchaseLine.criteria.through._meta.db_table
        self.ecolabel_sql = (
            f"INSERT INTO {quote(ecolabels)} "
            f"({quote('purchaseline_id')}, {quote('ecolabel_id')}) VALUES (%s, %s)"
        )
        self.criteria_sql = (
            f"INSERT INTO {quote(criteria)} "
            f"({quote('purchaseline_id')}, {quote('criterion_id')}) VALUES (%s, %s)"
        )
        # SQLite stores decimals as text through an adapter; give it the text at once.
        self.decimal = str if connection.vendor == "sqlite" else (lambda d: d)
        self.rows: list[tuple[Any, ...]] = []
        self.ecolabel_rows: list[tuple[int, int]] = []
        self.criteria_rows: list[tuple[int, int]] = []
        self.batch = 5000
        self.next_id = 0
        self.last_id = -1

    def _reserve_ids(self, count: int) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s)",
                    [self.table, count],
                )
                ids = [row[0] for row in cursor.fetchall()]
                # Sequences from one call are consecutive unless others interleave:
                # keep them as a list then.
                self.id_pool = ids
                self.next_id = 0
                self.last_id = len(ids) - 1
                return
            if self.last_id < 0:
                cursor.execute(
                    f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}"
                )
                highest = cursor.fetchone()[0] or 0
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table]
                )
                found = cursor.fetchone()
                self.sqlite_next = max(highest, found[0] if found else 0) + 1
            self.id_pool = list(range(self.sqlite_next, self.sqlite_next + count))
            self.sqlite_next += count
            self.next_id = 0
            self.last_id = count - 1

    def add(self, line: ParsedLine) -> None:
        if self.next_id > self.last_id:
            self._reserve_ids(self.batch)
        pk = self.id_pool[self.next_id]
        self.next_id += 1
        # Unpacked once: attribute reads by name cost more than the row itself.
        (
            _row,
            product_group_id,
            _code,
            quantity,
            condition,
            lifetime,
            warranty,
            ecolabel_ids,
            criterion_ids,
            spend,
            country,
            tender,
            retired,
            retired_to,
            has_ecolabel,
            base,
        ) = line
        # SQLite stores decimals as text: the text at once (PostgreSQL takes them as is).
        decimals: tuple[Any, Any, Any] = (lifetime, warranty, spend)
        if self.decimal is str:
            decimals = tuple(None if d is None else str(d) for d in decimals)  # type: ignore[assignment]
        self.rows.append(
            (
                pk,
                self.report_id,
                product_group_id,
                quantity,
                condition,
                *decimals,
                country,
                tender,
                retired,
                retired_to,
                has_ecolabel,
                base,
                1,
                self.now,
                self.now,
            )
        )
        if ecolabel_ids:
            self.ecolabel_rows.extend((pk, e) for e in ecolabel_ids)
        if criterion_ids:
            self.criteria_rows.extend((pk, c) for c in criterion_ids)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        batches = (
            (self.table, ("id", *_LINE_COLUMNS), self.insert_sql, self.rows),
            (
                PurchaseLine.ecolabels.through._meta.db_table,
                ("purchaseline_id", "ecolabel_id"),
                self.ecolabel_sql,
                self.ecolabel_rows,
            ),
            (
                PurchaseLine.criteria.through._meta.db_table,
                ("purchaseline_id", "criterion_id"),
                self.criteria_sql,
                self.criteria_rows,
            ),
        )
        with connection.cursor() as cursor:
            for table, columns, sql, rows in batches:
                if not rows:
                    continue
                if connection.vendor == "postgresql":
                    # COPY is several times faster than executemany on PostgreSQL.
                    quote = connection.ops.quote_name
                    names = ", ".join(quote(c) for c in columns)
                    with cursor.cursor.copy(
                        f"COPY {quote(table)} ({names}) FROM STDIN"
                    ) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(sql, rows)
        self.rows, self.ecolabel_rows, self.criteria_rows = [], [], []


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
