"""Background work of monitoring: checking and storing uploaded files, reminders."""

from collections.abc import Callable

from django.tasks import task

from .importing import MAX_PROBLEMS_KEPT, check_purchases, estimate_rows
from .models import ImportMode, ImportStatus, PurchaseImport, PurchaseReport
from .services import ReportLocked, purchases_import


def _progress(purchase_import: PurchaseImport) -> Callable[[int], None]:
    def report(row: int) -> None:
        PurchaseImport.objects.filter(pk=purchase_import.pk).update(rows_done=row)

    return report


def run_import_check(purchase_import: PurchaseImport) -> PurchaseImport:
    """Read the uploaded file and keep its totals and problems for the preview."""
    PurchaseImport.objects.filter(pk=purchase_import.pk).update(
        status=ImportStatus.CHECKING
    )
    report = purchase_import.report
    with purchase_import.file.open("rb") as file:
        rows_total = estimate_rows(file)
        PurchaseImport.objects.filter(pk=purchase_import.pk).update(
            rows_total=rows_total
        )
        check = check_purchases(
            file,
            default_country=report.organisation.country,
            progress=_progress(purchase_import),
        )
    purchase_import.status = ImportStatus.CHECKED
    purchase_import.rows_total = rows_total
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
    purchase_import.save()
    if check.problem_count:
        # A file with problems is never stored: do not keep it.
        purchase_import.file.delete(save=True)
    return purchase_import


def run_import_store(purchase_import: PurchaseImport) -> PurchaseImport:
    """Store a checked file in its report, all lines or none."""
    report = purchase_import.report
    try:
        with purchase_import.file.open("rb") as file:
            check = purchases_import(
                report=report,
                file=file,
                by=purchase_import.created_by,
                replace=purchase_import.mode == ImportMode.REPLACE,
                file_name=purchase_import.original_name,
            )
    except ReportLocked as locked:
        purchase_import.status = ImportStatus.FAILED
        purchase_import.problems = [str(locked)]
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


@task()
def check_import(*, import_id: int) -> None:
    run_import_check(
        PurchaseImport.objects.select_related("report__organisation").get(pk=import_id)
    )


@task()
def store_import(*, import_id: int) -> None:
    run_import_store(
        PurchaseImport.objects.select_related("report__organisation").get(pk=import_id)
    )
