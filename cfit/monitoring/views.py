"""Pages of monitoring: reports and their lines, uploads, the review, forecasts, periods.

An organisation's reports are seen by its members, the coordinators of its buyer groups
and the secretariat; everyone else gets 404. Only members change lines.
"""

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.criteria.caching import criteria_generation
from cfit.criteria.models import ProductGroup, TenderSelection
from cfit.impact import selectors as impact_selectors
from cfit.lib.typing import AuthenticatedRequest
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import (
    is_secretariat,
    organisation_for_user,
    require_secretariat,
)
from cfit.security.models import SecurityAction
from cfit.security.services import audit_record

from . import exporting, notices, selectors, services
from .forms import (
    FILL_ACTIONS,
    AnswerForm,
    ConfirmImportForm,
    DeleteLineForm,
    DemandForecastForm,
    PurchaseLineForm,
    QueryForm,
    ReopenForm,
    ReportingPeriodForm,
    UploadForm,
    line_form_filled,
)
from .history import history_in_words
from .imports import import_confirm as confirm_checked_import
from .lines_table import lines_table, report_queries
from .models import (
    DemandForecast,
    ImportStatus,
    LineQuery,
    PurchaseImport,
    PurchaseLine,
    PurchaseReport,
    ReportingPeriod,
)
from .preview import import_preview
from .selectors import ReportAccess
from .tasks import (
    check_import,
    run_guarded,
    run_import_check,
    run_import_store,
    store_import,
)

# Files up to this size are checked and stored while the person waits; bigger ones
# run as a background task with a progress bar.
BACKGROUND_FROM_BYTES = 512 * 1024


def _access(
    request: AuthenticatedRequest, slug: str
) -> tuple[Organisation, ReportAccess]:
    """The organisation and what the person may do; 404 if they may not see its lines."""
    organisation = get_object_or_404(Organisation, slug=slug)
    access = selectors.report_access(request.user, organisation)
    if not access.can_see:
        raise Http404
    return organisation, access


def _report(organisation: Organisation, year: int) -> PurchaseReport:
    return get_object_or_404(
        PurchaseReport.objects.select_related("organisation"),
        organisation=organisation,
        year=year,
    )


def _report_for_member(
    request: AuthenticatedRequest, slug: str, year: int
) -> PurchaseReport:
    """The report a member works on, if the year is open for reporting.

    A report not started yet comes back unsaved: the view starts it only when it
    stores something, so that looking or a form with errors never creates anything.
    """
    organisation, access = _access(request, slug)
    if not access.can_edit:
        raise Http404
    report = PurchaseReport.objects.filter(organisation=organisation, year=year).first()
    if report is None:
        if not ReportingPeriod.objects.filter(year=year, open=True).exists():
            raise Http404
        return PurchaseReport(organisation=organisation, year=year)
    report.organisation = organisation
    return report


def _started(report: PurchaseReport) -> PurchaseReport:
    if report.pk is None:
        return services.report_get_or_start(
            organisation=report.organisation, year=report.year
        )
    return report


def _locked_redirect(
    request: AuthenticatedRequest, report: PurchaseReport
) -> HttpResponse:
    messages.error(
        request,
        _("This report has been submitted and is locked. Reopen it to change it."),
    )
    return redirect(report.get_absolute_url())


@login_required
def report_index(request: AuthenticatedRequest) -> HttpResponse:
    organisation = organisation_for_user(request.user)
    own_reports = (
        PurchaseReport.objects.filter(organisation=organisation).order_by("-year")
        if organisation
        else PurchaseReport.objects.none()
    )
    secretariat = is_secretariat(request.user)
    return render(
        request,
        "monitoring/report_index.html",
        {
            "organisation": organisation,
            "due": selectors.reports_due(organisation) if organisation else [],
            "own_reports": own_reports,
            "to_review": selectors.reports_to_review(request.user),
            "coordinated": selectors.reports_of_coordinated(request.user),
            "is_secretariat": secretariat,
        },
    )


@login_required
def report_detail(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    organisation, access = _access(request, slug)
    report = (
        PurchaseReport.objects.filter(organisation=organisation, year=year)
        .select_related("submitted_by", "accepted_by")
        .first()
    )
    period = ReportingPeriod.objects.filter(year=year).first()
    if report is None and not (access.can_edit and period and period.open):
        raise Http404
    lines = PurchaseLine.objects.none()
    if report is not None:
        # Read only when the page's rows are not kept yet (cfit/monitoring/lines_table.py).
        lines = (
            report.lines.select_related("product_group")
            .prefetch_related("ecolabels", "criteria")
            .order_by("pk")
        )
    totals = selectors.report_totals(report)
    paginator = Paginator(lines, 100)
    # Every line has a product group: the totals counted them, no second count needed.
    paginator.count = totals.lines
    page = paginator.get_page(request.GET.get("page"))
    can_submit = access.can_edit and (report is None or report.is_editable)
    queries = report_queries(report) if report and totals.lines else {}
    # Read once for the two things the page keeps by it: the rows and the effects.
    criteria_base = criteria_generation() if report else ""
    context = {
        "organisation": organisation,
        "year": year,
        "report": report,
        "period": period,
        "access": access,
        "page": page,
        "lines_table": lines_table(
            request,
            report=report,
            organisation=organisation,
            page=page,
            access=access,
            queries=queries,
            criteria_base=criteria_base,
        )
        if report and totals.lines
        else "",
        "totals": totals,
        "report_impact": impact_selectors.report_impact(
            report, criteria_base=criteria_base
        )
        if report
        else None,
        # Only members are told about open questions (the reviewers asked them).
        "open_queries": sum(
            query.is_open for asked in queries.values() for query in asked
        )
        if access.can_edit
        else 0,
        "reopen_form": ReopenForm(),
        "reviewed_by_secretariat": can_submit
        and selectors.reviewed_by_secretariat(organisation),
    }
    return render(request, "monitoring/report_detail.html", context)


@login_required
def line_add(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    report = _report_for_member(request, slug, year)
    if not report.is_editable:
        return _locked_redirect(request, report)
    selections = _tender_selections(report)
    if _filling(request):
        form = PurchaseLineForm(
            initial=line_form_filled(request.POST, tender_selections=selections),
            criteria_url=request.path,
        )
    else:
        form = PurchaseLineForm(
            request.POST or None,
            initial={"country_of_use": report.organisation.country},
            criteria_url=request.path,
        )
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                report = _started(report)
                services.line_create(
                    report=report,
                    by=request.user,
                    values=form.line_values(),
                    ecolabels=list(form.cleaned_data["ecolabels"]),
                    criteria=list(form.cleaned_data["criteria"]),
                )
        except services.ReportLocked:
            return _locked_redirect(request, report)
        messages.success(request, _("The line was added."))
        if "add_another" in request.POST:
            return redirect("monitoring:line-add", slug=slug, year=year)
        return redirect(report.get_absolute_url())
    return render(
        request,
        "monitoring/line_form.html",
        {"report": report, "form": form, "line": None, "selections": selections},
    )


def _filling(request: AuthenticatedRequest) -> bool:
    """A fill button of the line form was pressed: show the form filled, save nothing."""
    return request.method == "POST" and any(a in request.POST for a in FILL_ACTIONS)


def _tender_selections(report: PurchaseReport) -> Any:
    return TenderSelection.objects.filter(
        organisation=report.organisation
    ).select_related("product_group")


def _line_of(report: PurchaseReport, pk: int) -> PurchaseLine:
    return get_object_or_404(
        PurchaseLine.objects.select_related("product_group"), report=report, pk=pk
    )


@login_required
def line_edit(
    request: AuthenticatedRequest, slug: str, year: int, pk: int
) -> HttpResponse:
    organisation, access = _access(request, slug)
    if not access.can_edit:
        raise Http404
    report = _report(organisation, year)
    line = _line_of(report, pk)
    if not report.is_editable:
        return _locked_redirect(request, report)
    selections = _tender_selections(report)
    if _filling(request):
        form = PurchaseLineForm(
            instance=line,
            initial=line_form_filled(request.POST, tender_selections=selections),
            criteria_url=request.path,
        )
    else:
        form = PurchaseLineForm(
            request.POST or None, instance=line, criteria_url=request.path
        )
    clash = None
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            services.line_update(
                line=line,
                by=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                values=form.line_values(),
                ecolabels=list(form.cleaned_data["ecolabels"]),
                criteria=list(form.cleaned_data["criteria"]),
            )
        except services.ReportLocked:
            return _locked_redirect(request, report)
        except services.StaleEdit as stale:
            current = PurchaseLine.objects.filter(pk=line.pk).first()
            if current is None:
                messages.error(
                    request, _("Someone else deleted this line. Nothing was saved.")
                )
                return redirect(report.get_absolute_url())
            clash = {"message": str(stale), "current": services.line_snapshot(current)}
            # Keep what the person typed; saving again now knowingly replaces the other change.
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = PurchaseLineForm(data, instance=current)
            form.is_valid()
        else:
            messages.success(request, _("The line was saved."))
            return redirect(report.get_absolute_url())
    return render(
        request,
        "monitoring/line_form.html",
        {
            "report": report,
            "form": form,
            "line": line,
            "clash": clash,
            "selections": selections,
        },
        status=409 if clash else 200,
    )


@login_required
def line_delete(
    request: AuthenticatedRequest, slug: str, year: int, pk: int
) -> HttpResponse:
    organisation, access = _access(request, slug)
    if not access.can_edit:
        raise Http404
    report = _report(organisation, year)
    line = _line_of(report, pk)
    if not report.is_editable:
        return _locked_redirect(request, report)
    form = DeleteLineForm(request.POST or None, initial={"version": line.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.line_delete(
                line=line,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except services.ReportLocked:
            return _locked_redirect(request, report)
        except services.StaleEdit as stale:
            messages.error(request, str(stale))
            return redirect(report.get_absolute_url())
        messages.success(request, _("The line was deleted."))
        return redirect(report.get_absolute_url())
    return render(
        request,
        "monitoring/line_delete.html",
        {"report": report, "line": line, "form": form},
    )


# ---------------------------------------------------------------- upload


@login_required
def upload(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    report = _report_for_member(request, slug, year)
    if not report.is_editable:
        return _locked_redirect(request, report)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        purchase_import = PurchaseImport.objects.create(
            report=_started(report),
            file=uploaded,
            original_name=uploaded.name[:255],
            created_by=request.user,
        )
        if uploaded.size < BACKGROUND_FROM_BYTES:
            run_guarded(run_import_check, purchase_import)
        else:
            pk = purchase_import.pk
            transaction.on_commit(lambda: check_import.enqueue(import_id=pk))
        return redirect(
            "monitoring:import", slug=slug, year=year, pk=purchase_import.pk
        )
    return render(request, "monitoring/upload.html", {"report": report, "form": form})


def _import_of(
    request: AuthenticatedRequest, slug: str, year: int, pk: int
) -> PurchaseImport:
    organisation, access = _access(request, slug)
    if not access.can_edit:
        raise Http404
    report = _report(organisation, year)
    purchase_import = get_object_or_404(PurchaseImport, report=report, pk=pk)
    purchase_import.report = report
    return purchase_import


@login_required
def import_detail(
    request: AuthenticatedRequest, slug: str, year: int, pk: int
) -> HttpResponse:
    purchase_import = _import_of(request, slug, year, pk)
    names = dict(ProductGroup.objects.values_list("code", "name"))
    totals = [
        {"name": names.get(code, code), **values}
        for code, values in purchase_import.totals.items()
    ]
    context = {
        "report": purchase_import.report,
        "purchase_import": purchase_import,
        "totals": totals,
        "confirm_form": ConfirmImportForm(),
        "upload_form": UploadForm(),
        "existing_lines": purchase_import.report.lines.count(),
        "preview": import_preview(purchase_import)
        if purchase_import.status == ImportStatus.CHECKED
        else [],
    }
    template = "monitoring/import_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(
    request: AuthenticatedRequest, slug: str, year: int, pk: int
) -> HttpResponse:
    purchase_import = _import_of(request, slug, year, pk)
    report = purchase_import.report
    form = ConfirmImportForm(request.POST)
    if not report.is_editable:
        return _locked_redirect(request, report)
    # One click stores: a second click, or a replay, finds the import no longer checked.
    if not form.is_valid() or not confirm_checked_import(
        purchase_import=purchase_import, mode=form.cleaned_data["mode"]
    ):
        purchase_import.refresh_from_db(fields=["status"])
        if purchase_import.status in (ImportStatus.STORING, ImportStatus.DONE):
            messages.info(request, _("This file is already being stored."))
        else:
            messages.error(request, _("This file cannot be stored. Upload it again."))
        return redirect("monitoring:import", slug=slug, year=year, pk=pk)
    if purchase_import.file.size >= BACKGROUND_FROM_BYTES:
        pk = purchase_import.pk
        transaction.on_commit(lambda: store_import.enqueue(import_id=pk))
        return redirect("monitoring:import", slug=slug, year=year, pk=pk)
    run_guarded(run_import_store, purchase_import)
    if purchase_import.status == ImportStatus.DONE:
        messages.success(
            request,
            _("%(lines)s lines with %(devices)s devices were stored.")
            % {
                "lines": purchase_import.line_count,
                "devices": purchase_import.device_count,
            },
        )
        return redirect(report.get_absolute_url())
    return redirect("monitoring:import", slug=slug, year=year, pk=pk)


# ---------------------------------------------------------------- export


def _export_name(report: PurchaseReport, extension: str) -> str:
    return f"purchases-{slugify(report.organisation.slug)}-{report.year}.{extension}"


def _record_export(
    request: AuthenticatedRequest, report: PurchaseReport, kind: str
) -> None:
    """An organisation's purchase lines left the platform: keep who took them."""
    audit_record(
        action=SecurityAction.MEMBER_DATA_EXPORTED,
        actor=request.user,
        target=report.organisation,
        details=_("Purchases of %(year)s, as %(kind)s")
        % {"year": report.year, "kind": kind},
        request=request,
    )


@login_required
@require_POST
def export_csv(
    request: AuthenticatedRequest, slug: str, year: int
) -> StreamingHttpResponse:
    organisation, _access_ = _access(request, slug)
    report = _report(organisation, year)
    _record_export(request, report, "CSV")
    response = StreamingHttpResponse(
        exporting.csv_chunks(exporting.line_rows(report.lines.all())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_export_name(report, "csv")}"'
    )
    return response


@login_required
@require_POST
def export_xlsx(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    organisation, _access_ = _access(request, slug)
    report = _report(organisation, year)
    _record_export(request, report, "XLSX")
    response = HttpResponse(
        exporting.xlsx_bytes(exporting.line_rows(report.lines.all())),
        content_type=exporting.XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_export_name(report, "xlsx")}"'
    )
    return response


@login_required
def template_download(request: AuthenticatedRequest) -> FileResponse:
    import io

    return FileResponse(
        io.BytesIO(exporting.template_bytes()),
        as_attachment=True,
        filename="cfit-purchases-template.xlsx",
        content_type=exporting.XLSX_CONTENT_TYPE,
    )


# ---------------------------------------------------------------- review


def _step(
    request: AuthenticatedRequest,
    report: PurchaseReport,
    action: Callable[..., PurchaseReport],
    success: str,
) -> HttpResponse:
    try:
        action(report=report, by=request.user)
    except services.WrongState as wrong:
        messages.error(request, str(wrong))
    else:
        messages.success(request, success)
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_submit(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    organisation, access = _access(request, slug)
    if not access.can_edit:
        raise Http404
    report = _report(organisation, year)
    if selectors.reviewed_by_secretariat(organisation):
        sent = _(
            "Your %(year)s report was sent to the secretariat of the Pact, which reviews "
            "the reports of organisations in no buyer group with a coordinator."
        )
    else:
        sent = _("Your %(year)s report was sent to your coordinator.")
    return _step(request, report, services.report_submit, sent % {"year": year})


@login_required
@require_POST
def report_accept(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    organisation, access = _access(request, slug)
    if not access.can_review:
        raise Http404
    report = _report(organisation, year)
    return _step(
        request,
        report,
        services.report_accept,
        _("The %(year)s report of %(organisation)s is accepted.")
        % {"year": year, "organisation": organisation.name},
    )


@login_required
@require_POST
def report_reopen(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    organisation, access = _access(request, slug)
    report = _report(organisation, year)
    # Members may take back a submitted report; an accepted one only its reviewers reopen,
    # and they say why (the members are told).
    as_member = access.can_edit and report.status == "submitted"
    if not (access.can_review or as_member):
        raise Http404
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"].strip() if form.is_valid() else ""
    if not reason and not as_member:
        messages.error(
            request, _("Say why the report must change before you reopen it.")
        )
        return redirect(report.get_absolute_url())
    return _step(
        request,
        report,
        partial(services.report_reopen, reason=reason),
        _("The report is open for changes again.")
        if as_member
        else _("The report is open for changes again; its organisation was told why."),
    )


@login_required
@require_POST
def report_remind(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    """A coordinator (or the secretariat) reminds a member that its report is due."""
    organisation, access = _access(request, slug)
    if not access.can_review:
        raise Http404
    period = get_object_or_404(ReportingPeriod, year=year, open=True)
    try:
        notices.report_reminder(
            organisation=organisation, period=period, by=request.user
        )
    except notices.AlreadyReminded as already:
        messages.error(request, str(already))
    else:
        messages.success(
            request,
            _("%(organisation)s was reminded that its %(year)s report is due.")
            % {"organisation": organisation.name, "year": year},
        )
    return redirect("accounts:home")


@login_required
def line_query(
    request: AuthenticatedRequest, slug: str, year: int, pk: int
) -> HttpResponse:
    organisation, access = _access(request, slug)
    if not access.can_review:
        raise Http404
    report = _report(organisation, year)
    line = _line_of(report, pk)
    form = QueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_query_ask(
                line=line, by=request.user, question=form.cleaned_data["question"]
            )
        except services.WrongState as wrong:
            messages.error(request, str(wrong))
        else:
            messages.success(
                request,
                _("Your question was sent; the report is back with the procurer."),
            )
        return redirect(report.get_absolute_url())
    return render(
        request,
        "monitoring/line_query.html",
        {"report": report, "line": line, "form": form},
    )


@login_required
@require_POST
def query_answer(
    request: AuthenticatedRequest, slug: str, year: int, pk: int
) -> HttpResponse:
    organisation, access = _access(request, slug)
    if not access.can_edit:
        raise Http404
    report = _report(organisation, year)
    query = get_object_or_404(
        LineQuery.objects.select_related("line"), line__report=report, pk=pk
    )
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write an answer before you send it."))
        return redirect(report.get_absolute_url())
    try:
        services.line_query_answer(
            query=query, by=request.user, answer=form.cleaned_data["answer"]
        )
    except services.WrongState as wrong:
        messages.error(request, str(wrong))
    else:
        messages.success(
            request,
            _("Your answer was saved. Submit the report again when you are ready."),
        )
    return redirect(report.get_absolute_url())


@login_required
def report_history(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    organisation, _access_ = _access(request, slug)
    report = _report(organisation, year)
    page = Paginator(selectors.report_history(report), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "monitoring/report_history.html",
        {
            "report": report,
            "page": page,
            "entries": history_in_words(page.object_list),
        },
    )


# ---------------------------------------------------------------- reporting periods


@login_required
def period_list(request: AuthenticatedRequest) -> HttpResponse:
    require_secretariat(request.user)
    form = ReportingPeriodForm(
        request.POST or None,
        initial={
            "year": date.today().year - 1,
            "deadline": date(date.today().year, 3, 31),
        },
    )
    if request.method == "POST" and form.is_valid():
        period = form.save()
        messages.success(
            request, _("Reporting year %(year)s is set.") % {"year": period.year}
        )
        return redirect("monitoring:periods")
    return render(
        request,
        "monitoring/period_list.html",
        {"periods": ReportingPeriod.objects.all(), "form": form},
    )


@login_required
def period_edit(request: AuthenticatedRequest, year: int) -> HttpResponse:
    require_secretariat(request.user)
    period = get_object_or_404(ReportingPeriod, year=year)
    form = ReportingPeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Reporting year %(year)s is saved.") % {"year": period.year}
        )
        return redirect("monitoring:periods")
    return render(
        request, "monitoring/period_form.html", {"period": period, "form": form}
    )


# ---------------------------------------------------------------- demand forecasts


def _own_organisation(request: AuthenticatedRequest) -> Organisation:
    organisation = organisation_for_user(request.user)
    if organisation is None:
        raise Http404
    return organisation


@login_required
def forecast_list(request: AuthenticatedRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    forecasts = (
        DemandForecast.objects.filter(organisation=organisation)
        .select_related("product_group")
        .prefetch_related("criteria")
    )
    return render(
        request,
        "monitoring/forecast_list.html",
        {"organisation": organisation, "forecasts": forecasts},
    )


@login_required
def forecast_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    organisation = _own_organisation(request)
    forecast = (
        get_object_or_404(DemandForecast, organisation=organisation, pk=pk)
        if pk is not None
        else DemandForecast(organisation=organisation)
    )
    form = DemandForecastForm(request.POST or None, instance=forecast)
    if request.method == "POST" and form.is_valid():
        services.forecast_save(
            forecast=form.save(commit=False),
            by=request.user,
            criteria=list(form.cleaned_data["criteria"]),
        )
        messages.success(request, _("The planned tender was saved."))
        return redirect("monitoring:forecasts")
    return render(
        request, "monitoring/forecast_form.html", {"form": form, "forecast": forecast}
    )


@login_required
def forecast_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = _own_organisation(request)
    forecast = get_object_or_404(DemandForecast, organisation=organisation, pk=pk)
    if request.method == "POST":
        services.forecast_delete(forecast=forecast)
        messages.success(request, _("The planned tender was deleted."))
        return redirect("monitoring:forecasts")
    return render(request, "monitoring/forecast_delete.html", {"forecast": forecast})
