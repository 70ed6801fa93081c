"""Writes of monitoring: reports, their lines, the review, imports and forecasts.

Every change to a report or its lines leaves a ReportChange. Lines carry a version:
an edit based on an old version is refused (StaleEdit), never silently applied.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import IO, Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.criteria.models import Criterion, Ecolabel
from cfit.dashboards.caching import figures_changed
from cfit.organisations.models import Organisation

from . import notices, summaries
from .importing import (
    LINES_PER_BATCH,
    ImportCheck,
    ParsedLine,
    Problem,
    Vocabulary,
    read_purchases,
)
from .models import (
    ChangeAction,
    DemandForecast,
    LineQuery,
    PurchaseLine,
    PurchaseReport,
    ReportChange,
    ReportStatus,
)
from .rules import applies_base_criteria
from .writing import LineWriter, delete_lines

LINE_FIELDS = (
    "product_group",
    "quantity",
    "condition",
    "expected_lifetime_years",
    "warranty_years",
    "spend_eur",
    "country_of_use",
    "tender_reference",
    "devices_retired",
    "retired_to",
)


class ReportLocked(Exception):
    """The report is submitted or accepted: reopen it before changing it."""


class StaleEdit(Exception):
    """Someone else changed the line since it was opened; nothing was saved."""


class WrongState(Exception):
    """The report is not in a state that allows this step."""


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def line_snapshot(line: PurchaseLine) -> dict[str, Any]:
    """The line as the history keeps it: codes, not ids, so it reads years later."""
    return {
        "product_group": line.product_group.code,
        "quantity": line.quantity,
        "condition": line.condition,
        "expected_lifetime_years": _json(line.expected_lifetime_years),
        "warranty_years": _json(line.warranty_years),
        "ecolabels": sorted(e.code for e in line.ecolabels.all()),
        "criteria": sorted(c.code for c in line.criteria.all()),
        "spend_eur": _json(line.spend_eur),
        "country_of_use": line.country_of_use,
        "tender_reference": line.tender_reference,
        "devices_retired": line.devices_retired,
        "retired_to": line.retired_to,
        "version": line.version,
    }


def _record(
    *,
    report: PurchaseReport,
    by: User | None,
    action: str,
    line_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    ReportChange.objects.create(
        report=report,
        by=by,
        action=action,
        line_id=line_id,
        before=before,
        after=after,
        at=at or timezone.now(),
    )


def _figures_changed(organisation_id: int) -> None:
    """Once committed, this organisation's figures (and the Pact's) move; no others."""
    transaction.on_commit(partial(figures_changed, organisation_id=organisation_id))


def _touch(report: PurchaseReport) -> None:
    """Raise the report's version and, once committed, make the dashboards move."""
    PurchaseReport.objects.filter(pk=report.pk).update(version=F("version") + 1)
    _figures_changed(report.organisation_id)


def _require_editable(report: PurchaseReport, *, allow_locked: bool = False) -> None:
    # The secretariat corrects a submitted report in the admin: still recorded.
    if allow_locked:
        return
    # Read the status from the database: the page may be older than a submission.
    status = PurchaseReport.objects.values_list("status", flat=True).get(pk=report.pk)
    if status not in (ReportStatus.DRAFT, ReportStatus.QUERIED):
        raise ReportLocked(
            _("This report has been submitted and is locked. Reopen it to change it.")
        )


def base_criteria_of(product_group_id: int) -> set[int]:
    """The approved BASE criteria of a product group: what "bought with the BASE
    criteria" asks of a line (the same set as importing.Vocabulary's)."""
    return set(
        Criterion.objects.published()
        .base()
        .filter(product_groups=product_group_id)
        .values_list("pk", flat=True)
    )


def _base_criteria_applied(line: PurchaseLine, criteria: Iterable[Criterion]) -> bool:
    return applies_base_criteria(
        base_criteria_of(line.product_group_id), (c.pk for c in criteria)
    )


def report_get_or_start(*, organisation: Organisation, year: int) -> PurchaseReport:
    """The organisation's report for the year, started empty if there is none yet."""
    report, _created = PurchaseReport.objects.get_or_create(
        organisation=organisation, year=year
    )
    return report


@transaction.atomic
def line_create(
    *,
    report: PurchaseReport,
    by: User | None,
    values: dict[str, Any],
    ecolabels: Sequence[Ecolabel],
    criteria: Sequence[Criterion],
    allow_locked: bool = False,
    at: datetime | None = None,
) -> PurchaseLine:
    """Add a line to an editable report (`allow_locked`: the secretariat's admin).

    `at` dates the line and its history entry (the demo data's past years).
    """
    _require_editable(report, allow_locked=allow_locked)
    line = PurchaseLine(report=report, **values)
    if at is not None:
        line.created_at = line.updated_at = at
    if not line.devices_retired:
        line.retired_to = line.retired_to or ""
    line.has_ecolabel = bool(ecolabels)
    line.applies_base_criteria = _base_criteria_applied(line, criteria)
    line.save()
    line.ecolabels.set(ecolabels)
    line.criteria.set(criteria)
    _record(
        report=report,
        by=by,
        action=ChangeAction.LINE_ADDED,
        line_id=line.pk,
        after=line_snapshot(line),
        at=at,
    )
    _touch(report)
    summaries.refresh_report(report.pk)
    return line


@transaction.atomic
def line_update(
    *,
    line: PurchaseLine,
    by: User,
    expected_version: int,
    values: dict[str, Any],
    ecolabels: Sequence[Ecolabel],
    criteria: Sequence[Criterion],
    allow_locked: bool = False,
) -> PurchaseLine:
    """Change a line, unless someone else changed it since `expected_version`."""
    _require_editable(line.report, allow_locked=allow_locked)
    current = (
        PurchaseLine.objects.select_for_update()
        .select_related("product_group")
        .filter(pk=line.pk)
        .first()
    )
    if current is None or current.version != expected_version:
        raise StaleEdit(
            _(
                "Someone else changed or deleted this line while you were editing it. Nothing was saved: here is the line as it is now."
            )
        )
    before = line_snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    current.has_ecolabel = bool(ecolabels)
    current.applies_base_criteria = _base_criteria_applied(current, criteria)
    current.version = expected_version + 1
    current.updated_at = timezone.now()
    # The version in the WHERE clause makes the check and the write one step.
    updated = PurchaseLine.objects.filter(
        pk=current.pk, version=expected_version
    ).update(
        **{name: getattr(current, name) for name in values},
        has_ecolabel=current.has_ecolabel,
        applies_base_criteria=current.applies_base_criteria,
        version=current.version,
        updated_at=current.updated_at,
    )
    if updated != 1:
        raise StaleEdit(
            _(
                "Someone else changed or deleted this line while you were editing it. Nothing was saved: here is the line as it is now."
            )
        )
    current.ecolabels.set(ecolabels)
    current.criteria.set(criteria)
    after = line_snapshot(current)
    _record(
        report=current.report,
        by=by,
        action=ChangeAction.LINE_CHANGED,
        line_id=current.pk,
        before=before,
        after=after,
    )
    _touch(current.report)
    summaries.refresh_report(current.report_id)
    return current


@transaction.atomic
def line_delete(
    *,
    line: PurchaseLine,
    by: User,
    expected_version: int,
    allow_locked: bool = False,
) -> None:
    """Delete a line, unless someone else changed it since `expected_version`."""
    _require_editable(line.report, allow_locked=allow_locked)
    before = line_snapshot(line)
    deleted, _rows = PurchaseLine.objects.filter(
        pk=line.pk, version=expected_version
    ).delete()
    if not deleted:
        raise StaleEdit(
            _(
                "Someone else changed or deleted this line since you opened it. Nothing was deleted."
            )
        )
    _record(
        report=line.report,
        by=by,
        action=ChangeAction.LINE_DELETED,
        line_id=line.pk,
        before=before,
    )
    _touch(line.report)
    summaries.refresh_report(line.report_id)


# ---------------------------------------------------------------- the review


def _report_summary(report: PurchaseReport) -> dict[str, Any]:
    totals = report.lines.aggregate(devices=Sum("quantity"))
    return {
        "status": report.status,
        "lines": report.lines.count(),
        "devices": totals["devices"] or 0,
    }


@transaction.atomic
def report_submit(*, report: PurchaseReport, by: User) -> PurchaseReport:
    """Send a draft (or a queried report, once answered) to the coordinator."""
    report = PurchaseReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.QUERIED):
        raise WrongState(_("This report has already been submitted."))
    if not report.lines.exists():
        raise WrongState(_("Add at least one purchase line before you submit."))
    if LineQuery.objects.filter(line__report=report, answered_at=None).exists():
        raise WrongState(
            _("Answer every question of your coordinator before you submit again.")
        )
    before = {"status": report.status}
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.version += 1
    report.save()
    _figures_changed(report.organisation_id)
    _record(
        report=report,
        by=by,
        action=ChangeAction.SUBMITTED,
        before=before,
        after=_report_summary(report),
    )
    notices.report_submitted(
        report=report, by=by, again=before["status"] == ReportStatus.QUERIED
    )
    return report


@transaction.atomic
def line_query_ask(*, line: PurchaseLine, by: User, question: str) -> LineQuery:
    """The coordinator asks about a line; the report goes back to the procurer."""
    report = PurchaseReport.objects.select_for_update().get(pk=line.report_id)
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.QUERIED):
        raise WrongState(_("Questions can be asked only on a submitted report."))
    query = LineQuery.objects.create(line=line, question=question, asked_by=by)
    before = {"status": report.status}
    report.status = ReportStatus.QUERIED
    report.version += 1
    report.save(update_fields=["status", "version"])
    _figures_changed(report.organisation_id)
    _record(
        report=report,
        by=by,
        action=ChangeAction.QUERIED,
        line_id=line.pk,
        before=before,
        after={"status": report.status, "question": question},
    )
    notices.report_queried(query=query, by=by)
    return query


@transaction.atomic
def line_query_answer(*, query: LineQuery, by: User, answer: str) -> LineQuery:
    """The procurer answers a question (and may have corrected the line)."""
    if not query.is_open:
        raise WrongState(_("This question has already been answered."))
    query.answer = answer
    query.answered_by = by
    query.answered_at = timezone.now()
    query.save(update_fields=["answer", "answered_by", "answered_at"])
    _record(
        report=query.line.report,
        by=by,
        action=ChangeAction.ANSWERED,
        line_id=query.line_id,
        before={"question": query.question},
        after={"answer": answer},
    )
    notices.report_answered(query=query, by=by)
    return query


@transaction.atomic
def report_accept(*, report: PurchaseReport, by: User) -> PurchaseReport:
    """The coordinator (or the secretariat) accepts a submitted report."""
    report = PurchaseReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise WrongState(
            _("Only a submitted report with no open question can be accepted.")
        )
    report.status = ReportStatus.ACCEPTED
    report.accepted_at = timezone.now()
    report.accepted_by = by
    report.version += 1
    report.save()
    _figures_changed(report.organisation_id)
    _record(
        report=report,
        by=by,
        action=ChangeAction.ACCEPTED,
        before={"status": ReportStatus.SUBMITTED},
        after=_report_summary(report),
    )
    notices.report_accepted(report=report, by=by)
    return report


@transaction.atomic
def report_reopen(
    *, report: PurchaseReport, by: User, reason: str = ""
) -> PurchaseReport:
    """Unlock a submitted or accepted report for changes; it must be submitted again.

    A reviewer gives the reason, and the organisation's people are told it.
    """
    report = PurchaseReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        raise WrongState(_("This report is already open for changes."))
    before = {"status": report.status}
    report.status = ReportStatus.DRAFT
    report.accepted_at = None
    report.accepted_by = None
    report.version += 1
    report.save()
    _figures_changed(report.organisation_id)
    _record(
        report=report,
        by=by,
        action=ChangeAction.REOPENED,
        before=before,
        after={"status": report.status, "reason": reason}
        if reason
        else {"status": report.status},
    )
    if reason:
        notices.report_reopened(report=report, by=by, reason=reason)
    return report


# ---------------------------------------------------------------- imports


class _Rollback(Exception):
    pass


def purchases_import(
    *,
    report: PurchaseReport,
    file: IO[bytes],
    by: User | None,
    replace: bool = False,
    dry_run: bool = False,
    file_name: str = "",
    vocabulary: Vocabulary | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportCheck:
    """Read a file into the report in one pass: all lines stored, or none.

    Lines are written as they are read inside one transaction; at the first problem
    writing stops, the rest of the file is still read to report every problem, and the
    transaction is rolled back. With `dry_run` nothing is written at all.
    """
    vocabulary = vocabulary or Vocabulary.load()
    check = ImportCheck()
    default_country = report.organisation.country
    try:
        with transaction.atomic():
            if not dry_run:
                _require_editable(report)
                before = _report_summary(report)
                # The first write: from here the transaction holds the write lock.
                _touch(report)
                if replace:
                    delete_lines(report)
            writer = LineWriter(report.pk)
            writing = not dry_run
            # Good lines are counted and written a batch at a time; after the first
            # problem nothing more is written (the rest is rolled back anyway).
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
                        check.add_lines(lines, keep=False)
                        if writing:
                            writer.write(lines)
                        lines = []
                else:
                    check.add(result, keep=False)
                    writing = False
                if progress is not None and row % 5000 == 0:
                    progress(row)
            check.add_lines(lines, keep=False)
            if writing:
                writer.write(lines)
            if check.line_count == 0 and check.problem_count == 0:
                check.add(
                    [Problem(_("The file has a header row but no purchase lines."))],
                    keep=False,
                )
            if dry_run or not check.ok:
                raise _Rollback
            summaries.refresh_report(report.pk)
            _record(
                report=report,
                by=by,
                action=ChangeAction.REPLACED if replace else ChangeAction.IMPORTED,
                before=before,
                after={
                    "file": file_name,
                    "lines": check.line_count,
                    "devices": check.device_count,
                },
            )
    except _Rollback:
        pass
    return check


# ---------------------------------------------------------------- forecasts


@transaction.atomic
def forecast_save(
    *,
    forecast: DemandForecast,
    by: User,
    criteria: Sequence[Criterion],
) -> DemandForecast:
    """Store a new or changed demand forecast with its intended criteria."""
    if forecast.pk is None:
        forecast.created_by = by
    forecast.updated_at = timezone.now()
    forecast.save()
    forecast.criteria.set(criteria)
    _figures_changed(forecast.organisation_id)
    return forecast


@transaction.atomic
def forecast_delete(*, forecast: DemandForecast) -> None:
    """Withdraw a planned tender from the demand signal."""
    organisation_id = forecast.organisation_id
    forecast.delete()
    _figures_changed(organisation_id)
