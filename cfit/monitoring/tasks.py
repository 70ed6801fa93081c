"""Background work of monitoring: checking and storing uploaded files, reminders.

A file is read in a child process under a memory and time ceiling (cfit.lib.ceiling):
a file that slips past the upload door fails its own import and nothing else. Any
other way a check or a store ends abnormally also marks the import failed, tells its
owner and removes its file, so the queue goes on with the next task.
"""

import logging
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils.translation import gettext as _

from cfit.lib.ceiling import CeilingExceeded, Send, run_with_ceiling
from cfit.lib.stored_files import opened_locally

from .importing import (
    MAX_PROBLEMS_KEPT,
    ImportCheck,
    Vocabulary,
    check_purchases,
    estimate_rows,
)
from .imports import import_fail, import_heartbeat, import_step
from .models import ImportMode, ImportStatus, PurchaseImport, PurchaseReport
from .services import ReportLocked, purchases_import

logger = logging.getLogger(__name__)


def _on_progress(import_id: int) -> Callable[[Any], None]:
    def record(message: tuple[str, int]) -> None:
        kind, value = message
        field = "rows_total" if kind == "total" else "rows_done"
        import_heartbeat(import_id=import_id, **{field: value})

    return record


def _check_in_child(
    file: IO[bytes], vocabulary: Vocabulary, default_country: str, send: Send
) -> ImportCheck:
    """Runs in the child process: no database here, only the file and the vocabulary."""
    send(("total", estimate_rows(file)))
    return check_purchases(
        file,
        vocabulary=vocabulary,
        default_country=default_country,
        progress=lambda row: send(("row", row)),
    )


def _ceiling_message(exceeded: CeilingExceeded) -> str:
    if exceeded.reason == "time":
        return _(
            "reading it took longer than %(minutes)s minutes. Check that it holds only the purchases table, or split it into smaller files."
        ) % {"minutes": max(1, settings.IMPORT_TIME_LIMIT_SECONDS // 60)}
    return _(
        "reading it needed more memory than a purchases file of its size can need. Check that it holds only the purchases table (no far-away cells, images or other sheets), or save it as CSV."
    )


def run_import_check(purchase_import: PurchaseImport) -> PurchaseImport:
    """Read the uploaded file and keep its totals and problems for the preview."""
    if not import_step(
        purchase_import=purchase_import,
        from_status=ImportStatus.PENDING,
        to_status=ImportStatus.CHECKING,
    ):
        return purchase_import  # already checked by another worker
    report = purchase_import.report
    vocabulary = Vocabulary.load()
    try:
        with opened_locally(purchase_import.file) as file:
            outcome = run_with_ceiling(
                lambda send: _check_in_child(
                    file, vocabulary, report.organisation.country, send
                ),
                memory_bytes=settings.IMPORT_MEMORY_LIMIT_MB * 1024 * 1024,
                seconds=settings.IMPORT_TIME_LIMIT_SECONDS,
                on_message=_on_progress(purchase_import.pk),
            )
    except CeilingExceeded as exceeded:
        logger.warning("Import %s stopped: %s", purchase_import.pk, exceeded)
        import_fail(purchase_import=purchase_import, reason=_ceiling_message(exceeded))
        purchase_import.refresh_from_db()
        return purchase_import
    check = outcome.result
    purchase_import.refresh_from_db(fields=["rows_total"])
    purchase_import.status = ImportStatus.CHECKED
    purchase_import.line_count = check.line_count
    purchase_import.device_count = check.device_count
    purchase_import.spend_total = check.spend_eur
    purchase_import.decimal_mark = check.reading.decimal_mark
    purchase_import.totals = {
        code: {"lines": t.lines, "devices": t.devices}
        for code, t in check.totals.items()
    }
    purchase_import.problems = [
        str(problem) for problem in check.problems[:MAX_PROBLEMS_KEPT]
    ]
    purchase_import.problem_count = check.problem_count
    purchase_import.report_version = PurchaseReport.objects.values_list(
        "version", flat=True
    ).get(pk=report.pk)
    fields = [
        "line_count",
        "device_count",
        "spend_total",
        "decimal_mark",
        "totals",
        "problems",
        "problem_count",
        "report_version",
    ]
    if not import_step(
        purchase_import=purchase_import,
        from_status=ImportStatus.CHECKING,
        to_status=ImportStatus.CHECKED,
        **{name: getattr(purchase_import, name) for name in fields},
    ):
        return purchase_import  # failed meanwhile (stuck past the timeout)
    if check.problem_count:
        # A file with problems is never stored: do not keep it.
        purchase_import.file.delete(save=True)
    return purchase_import


def run_import_store(purchase_import: PurchaseImport) -> PurchaseImport:
    """Store a confirmed file in its report, all lines or none, once."""
    report = purchase_import.report
    with transaction.atomic():
        # Held until the lines are stored: a replayed task waits, then finds it done.
        locked = (
            PurchaseImport.objects.select_for_update()
            .filter(pk=purchase_import.pk, status=ImportStatus.STORING)
            .first()
        )
        if locked is None:
            purchase_import.refresh_from_db()
            return purchase_import
        try:
            with opened_locally(purchase_import.file) as file:
                check = purchases_import(
                    report=report,
                    file=file,
                    by=purchase_import.created_by,
                    replace=purchase_import.mode == ImportMode.REPLACE,
                    file_name=purchase_import.original_name,
                )
        except ReportLocked as locked_report:
            purchase_import.status = ImportStatus.FAILED
            purchase_import.problems = [str(locked_report)]
            purchase_import.problem_count = 1
            purchase_import.save()
            return purchase_import
        if check.ok:
            purchase_import.status = ImportStatus.DONE
            purchase_import.rows_done = purchase_import.rows_total
        else:
            purchase_import.status = ImportStatus.FAILED
            purchase_import.problems = [str(p) for p in check.problems]
            purchase_import.problem_count = check.problem_count
        purchase_import.save()
    purchase_import.file.delete(save=True)
    return purchase_import


def run_guarded(
    step: Callable[[PurchaseImport], PurchaseImport], purchase_import: PurchaseImport
) -> PurchaseImport:
    """Run a step; if it ends abnormally, the import fails cleanly instead of hanging."""
    try:
        return step(purchase_import)
    except Exception:
        logger.exception("Import %s ended abnormally", purchase_import.pk)
        import_fail(
            purchase_import=purchase_import,
            reason=_(
                "something went wrong on our side while reading it. Nothing was stored; upload it again, and tell us if this happens again."
            ),
        )
        purchase_import.refresh_from_db()
        return purchase_import


def _import(import_id: int) -> PurchaseImport | None:
    return (
        PurchaseImport.objects.select_related("report__organisation", "created_by")
        .filter(pk=import_id)
        .first()
    )


@task()
def check_import(*, import_id: int) -> None:
    purchase_import = _import(import_id)
    if purchase_import is not None:
        run_guarded(run_import_check, purchase_import)


@task()
def store_import(*, import_id: int) -> None:
    purchase_import = _import(import_id)
    if purchase_import is not None:
        run_guarded(run_import_store, purchase_import)
