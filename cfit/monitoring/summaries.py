"""Keeps ReportSummary equal to a GROUP BY over each report's purchase lines.

Every write to a report's lines calls `refresh_report` in the same transaction
(services, the importer, demo data, the admin); `refresh_all` rebuilds every report's
rows (the `refresh_report_summaries` command, the generated benchmark data). Both are
one DELETE and one INSERT … SELECT … GROUP BY, in SQL that runs on SQLite and
PostgreSQL.
"""

from collections.abc import Iterable

from django.db import connection

from .models import PurchaseLine, ReportSummary, RetiredTo

_SUMMARY_COLUMNS = (
    "report_id",
    "product_group_id",
    "condition",
    "country_of_use",
    "devices",
    "device_years",
    "devices_lifetime_unknown",
    "devices_reused",
    "devices_retired",
    "devices_with_ecolabel",
    "devices_with_base_criteria",
    "spend_eur",
    "lines",
)


def _insert_select(where: str) -> str:
    quote = connection.ops.quote_name
    keys = "report_id, product_group_id, condition, country_of_use"
    return (
        f"INSERT INTO {quote(ReportSummary._meta.db_table)} "
        f"({', '.join(quote(c) for c in _SUMMARY_COLUMNS)}) "
        f"SELECT {keys}, "
        "SUM(quantity), "
        "COALESCE(SUM(CASE WHEN expected_lifetime_years IS NOT NULL "
        "THEN quantity * expected_lifetime_years ELSE 0 END), 0), "
        "SUM(CASE WHEN expected_lifetime_years IS NULL THEN quantity ELSE 0 END), "
        "SUM(CASE WHEN retired_to = %s THEN devices_retired ELSE 0 END), "
        "SUM(devices_retired), "
        "SUM(CASE WHEN has_ecolabel THEN quantity ELSE 0 END), "
        "SUM(CASE WHEN applies_base_criteria THEN quantity ELSE 0 END), "
        "COALESCE(SUM(spend_eur), 0), "
        "COUNT(*) "
        f"FROM {quote(PurchaseLine._meta.db_table)} {where} GROUP BY {keys}"
    )


def refresh_report(report_id: int) -> None:
    """Recompute one report's summary rows from its lines (call inside the write)."""
    refresh_reports([report_id])


def refresh_reports(report_ids: Iterable[int]) -> None:
    ids = sorted(set(report_ids))
    if not ids:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"DELETE FROM {quote(ReportSummary._meta.db_table)} "
                f"WHERE report_id IN ({marks})",
                batch,
            )
            cursor.execute(
                _insert_select(f"WHERE report_id IN ({marks})"),
                [RetiredTo.REUSE.value, *batch],
            )


def refresh_all() -> int:
    """Rebuild every report's summary rows; returns how many rows there are now."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(ReportSummary._meta.db_table)}")
        cursor.execute(_insert_select(""), [RetiredTo.REUSE.value])
    return ReportSummary.objects.count()
