"""Endpoints behind a personal access token: the token's organisation's own data.

Every object is looked up through the token's organisation, so that another
organisation's report or line is a 404, whatever its id. Writes go through
cfit.monitoring.services with the file import's row checks (cfit.monitoring.rows).
"""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from cfit.dashboards.forms import Filters
from cfit.dashboards.selectors import Scope
from cfit.monitoring import rows, services
from cfit.monitoring.models import (
    DemandForecast,
    PurchaseLine,
    PurchaseReport,
    ReportChange,
    ReportingPeriod,
)
from cfit.monitoring.services import ReportLocked, StaleEdit

from . import figures
from .auth import TokenAuth, token_of, writer_token
from .models import ApiToken
from .pagination import DEFAULT_LIMIT, PageMeta, paginate
from .problems import MAX_BULK_LINES, Problem
from .schemas import (
    BulkIn,
    BulkOut,
    ChangeOut,
    FiguresOut,
    ForecastOut,
    LineIn,
    LineOut,
    LinePatch,
    MeOut,
    ProblemOut,
    ReportOut,
)
from .services import changes_made_with

router = Router(tags=["Your organisation (token)"], auth=TokenAuth())

READ_ERRORS = {401: ProblemOut, 404: ProblemOut, 429: ProblemOut}
WRITE_ERRORS = READ_ERRORS | {
    400: ProblemOut,
    403: ProblemOut,
    409: ProblemOut,
    413: ProblemOut,
    415: ProblemOut,
}


def _report(token: ApiToken, year: int) -> PurchaseReport:
    return get_object_or_404(
        PurchaseReport.objects.select_related("organisation"),
        organisation=token.organisation,
        year=year,
    )


def _report_to_write(token: ApiToken, year: int) -> PurchaseReport:
    """The year's report, started if the year is open for reporting; else 404."""
    report = PurchaseReport.objects.filter(
        organisation=token.organisation, year=year
    ).first()
    if report is None:
        if not ReportingPeriod.objects.filter(year=year, open=True).exists():
            raise Problem(
                404, _("%(year)s is not open for reporting.") % {"year": year}
            )
        report = services.report_get_or_start(
            organisation=token.organisation, year=year
        )
    report.organisation = token.organisation
    return report


def _line(token: ApiToken, pk: int) -> PurchaseLine:
    return get_object_or_404(
        _lines().select_related("report__organisation"),
        pk=pk,
        report__organisation=token.organisation,
    )


def _lines() -> Any:
    return PurchaseLine.objects.select_related(
        "product_group", "report"
    ).prefetch_related("ecolabels", "criteria")


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _line_out(line: PurchaseLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "year": line.report.year,
        "version": line.version,
        "product_group": line.product_group.code,
        "quantity": line.quantity,
        "condition": line.condition,
        "expected_lifetime_years": _number(line.expected_lifetime_years),
        "warranty_years": _number(line.warranty_years),
        "ecolabels": sorted(e.code for e in line.ecolabels.all()),
        "criteria": sorted(c.code for c in line.criteria.all()),
        "spend_eur": _number(line.spend_eur),
        "country_of_use": line.country_of_use,
        "tender_reference": line.tender_reference,
        "devices_retired": line.devices_retired,
        "retired_to": line.retired_to,
        "updated_at": line.updated_at,
    }


def _report_out(report: PurchaseReport) -> dict[str, Any]:
    totals = report.lines.aggregate(devices=Sum("quantity"))
    return {
        "year": report.year,
        "status": report.status,
        "status_label": report.get_status_display(),
        "version": report.version,
        "lines": report.lines.count(),
        "devices": totals["devices"] or 0,
        "submitted_at": report.submitted_at,
        "accepted_at": report.accepted_at,
    }


def _row_errors(problems: list[rows.RowProblem]) -> list[dict[str, Any]]:
    return [
        {
            "row": p.row,
            "column": p.column,
            "label": p.label,
            "detail": p.reason,
            "message": str(p),
        }
        for p in problems
    ]


def _parsed_one(row: dict[str, Any], report: PurchaseReport) -> Any:
    [result] = rows.parse_rows([row], default_country=report.organisation.country)
    if isinstance(result, list):
        raise Problem(
            400,
            _("The line has problems: see errors."),
            errors=_row_errors(result),
        )
    return result


@router.get("/me", response={200: MeOut} | READ_ERRORS)
def me(request: HttpRequest) -> dict[str, Any]:
    """The token in use, its access and the organisation it acts for."""
    token = token_of(request)
    return {
        "token": token.name,
        "scope": token.scope,
        "expires_at": token.expires_at,
        "person": token.user.display_name,
        "organisation": token.organisation.name,
        "organisation_slug": token.organisation.slug,
    }


@router.get("/reports", response={200: list[ReportOut]} | READ_ERRORS)
def reports(request: HttpRequest) -> list[dict[str, Any]]:
    """The organisation's yearly purchase reports, newest first."""
    found = PurchaseReport.objects.filter(organisation=token_of(request).organisation)
    return [_report_out(r) for r in found.order_by("-year")]


@router.get("/reports/{int:year}", response={200: ReportOut} | READ_ERRORS)
def report(request: HttpRequest, year: int) -> dict[str, Any]:
    return _report_out(_report(token_of(request), year))


class LinePage(PageMeta):
    items: list[LineOut]


class LineFilters(Schema):
    product_group: str = ""
    condition: str = ""
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@router.get(
    "/reports/{int:year}/lines", response={200: LinePage, 400: ProblemOut} | READ_ERRORS
)
def lines(
    request: HttpRequest, year: int, filters: Query[LineFilters]
) -> dict[str, Any]:
    """The report's lines, a page at a time."""
    found = _lines().filter(report=_report(token_of(request), year))
    if filters.product_group:
        found = found.filter(product_group__code=filters.product_group)
    if filters.condition:
        found = found.filter(condition=filters.condition)
    return paginate(found, cursor=filters.cursor, limit=filters.limit, item=_line_out)


@router.post("/reports/{int:year}/lines", response={201: LineOut} | WRITE_ERRORS)
def line_create(request: HttpRequest, year: int, line: LineIn) -> Status:
    """Add one line, checked as a row of the file import is."""
    token = writer_token(request)
    try:
        # One transaction: a report started for a refused line is not kept.
        with transaction.atomic():
            report = _report_to_write(token, year)
            parsed = _parsed_one(line.model_dump(), report)
            values, ecolabels, criteria = rows.line_values(parsed)
            with changes_made_with(token, report):
                created = services.line_create(
                    report=report,
                    by=token.user,
                    values=values,
                    ecolabels=ecolabels,
                    criteria=criteria,
                )
    except ReportLocked as locked:
        raise Problem(409, str(locked)) from locked
    return Status(201, _line_out(_line(token, created.pk)))


@router.post("/reports/{int:year}/lines/bulk", response={201: BulkOut} | WRITE_ERRORS)
def lines_bulk_create(request: HttpRequest, year: int, body: BulkIn) -> Status:
    """Add many lines at once, all or nothing, with the file import's row errors."""
    token = writer_token(request)
    if len(body.lines) > MAX_BULK_LINES:
        raise Problem(
            413,
            _("Send at most %(count)s lines at a time.") % {"count": MAX_BULK_LINES},
        )
    try:
        # One transaction: a report started for refused lines is not kept.
        with transaction.atomic():
            report = _report_to_write(token, year)
            with changes_made_with(token, report):
                result = rows.lines_import_rows(
                    report=report,
                    rows=[line.model_dump() for line in body.lines],
                    by=token.user,
                    source=_("API token “%(name)s”") % {"name": token.name},
                )
            if not result.ok:
                raise Problem(
                    400,
                    _(
                        "%(count)s problems: nothing was stored. Fix them and send again."
                    )
                    % {"count": result.check.problem_count},
                    errors=_row_errors(result.problems),
                )
    except ReportLocked as locked:
        raise Problem(409, str(locked)) from locked
    report.refresh_from_db(fields=["version"])
    return Status(
        201,
        {
            "lines": result.check.line_count,
            "devices": result.check.device_count,
            "report_version": report.version,
        },
    )


@router.get("/lines/{int:line_id}", response={200: LineOut} | READ_ERRORS)
def line_detail(request: HttpRequest, line_id: int) -> dict[str, Any]:
    return _line_out(_line(token_of(request), line_id))


def _stale(line_id: int, token: ApiToken, error: StaleEdit) -> Problem:
    current = PurchaseLine.objects.filter(
        pk=line_id, report__organisation=token.organisation
    ).first()
    return Problem(
        409,
        str(error),
        extra={"current": _line_out(_line(token, line_id)) if current else None},
    )


@router.patch("/lines/{int:line_id}", response={200: LineOut} | WRITE_ERRORS)
def line_update(request: HttpRequest, line_id: int, change: LinePatch) -> Any:
    """Change some values of a line; send the version you read (409 if it is stale)."""
    token = writer_token(request)
    line = _line(token, line_id)
    row = rows.line_as_row(line) | change.model_dump(exclude_unset=True)
    row.pop("version", None)
    parsed = _parsed_one(row, line.report)
    values, ecolabels, criteria = rows.line_values(parsed)
    try:
        with changes_made_with(token, line.report):
            services.line_update(
                line=line,
                by=token.user,
                expected_version=change.version,
                values=values,
                ecolabels=ecolabels,
                criteria=criteria,
            )
    except ReportLocked as locked:
        raise Problem(409, str(locked)) from locked
    except StaleEdit as stale:
        raise _stale(line_id, token, stale) from stale
    return _line_out(_line(token, line_id))


class DeleteQuery(Schema):
    version: int


@router.delete("/lines/{int:line_id}", response={204: None} | WRITE_ERRORS)
def line_delete(
    request: HttpRequest, line_id: int, query: Query[DeleteQuery]
) -> HttpResponse:
    """Delete a line; send the version you read (409 if it is stale)."""
    token = writer_token(request)
    line = _line(token, line_id)
    try:
        with changes_made_with(token, line.report):
            services.line_delete(
                line=line, by=token.user, expected_version=query.version
            )
    except ReportLocked as locked:
        raise Problem(409, str(locked)) from locked
    except StaleEdit as stale:
        raise _stale(line_id, token, stale) from stale
    return HttpResponse(status=204)


class ChangePage(PageMeta):
    items: list[ChangeOut]


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _change_out(change: ReportChange) -> dict[str, Any]:
    use = getattr(change, "token_use", None)
    return {
        "id": change.pk,
        "at": change.at,
        "action": change.action,
        "action_label": change.get_action_display(),
        "by": change.by.display_name if change.by else None,
        "token": use.token_name if use else None,
        "line_id": change.line_id,
        "before": change.before,
        "after": change.after,
    }


@router.get(
    "/reports/{int:year}/history",
    response={200: ChangePage, 400: ProblemOut} | READ_ERRORS,
)
def history(request: HttpRequest, year: int, page: Query[PageQuery]) -> dict[str, Any]:
    """Every change to the report, oldest first, with the token that made it if any."""
    changes = ReportChange.objects.filter(
        report=_report(token_of(request), year)
    ).select_related("by", "token_use")
    return paginate(changes, cursor=page.cursor, limit=page.limit, item=_change_out)


@router.get("/planned-tenders", response={200: list[ForecastOut]} | READ_ERRORS)
def planned_tenders(request: HttpRequest) -> list[dict[str, Any]]:
    """The tenders the organisation plans (its demand forecasts)."""
    found = (
        DemandForecast.objects.filter(organisation=token_of(request).organisation)
        .select_related("product_group")
        .prefetch_related(Prefetch("criteria"))
    )
    return [
        {
            "id": f.pk,
            "title": f.title,
            "product_group": f.product_group.code,
            "quantity": f.quantity,
            "year": f.year,
            "quarter": f.quarter,
            "level": f.level,
            "criteria": sorted(c.code for c in f.criteria.all()),
        }
        for f in found
    ]


@router.get("/effects", response={200: FiguresOut} | READ_ERRORS)
def own_effects(request: HttpRequest) -> dict[str, Any]:
    """The organisation's own figures and effects, in full (its dashboard)."""
    scope = Scope(kind="organisation", organisation=token_of(request).organisation)
    return figures.dashboard_figures(scope, Filters(), protect=False)
