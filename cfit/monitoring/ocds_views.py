"""Pages of the OCDS import: upload a package, complete the proposed lines, store them.

The proposal waits in the person's session between the two steps: nothing is stored
until they confirm, and then all lines are stored or none.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import BaseFormSet, formset_factory
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cfit.lib.typing import AuthenticatedRequest

from . import ocds, ocds_fetch, rows
from .ocds_forms import CompletionForm, OcdsUploadForm
from .services import ReportLocked
from .views import _locked_redirect, _report_for_member, _started


class _CompletionFormSet(BaseFormSet):
    """One completion form per proposed line, each offering its group's criteria."""

    def __init__(self, *args: Any, product_groups: list[str], **kwargs: Any) -> None:
        self.product_groups = product_groups
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.product_groups):
            kwargs["product_group"] = self.product_groups[index]
        return kwargs


CompletionFormSet: type[_CompletionFormSet] = formset_factory(  # type: ignore[assignment]
    CompletionForm, formset=_CompletionFormSet, extra=0, max_num=2000
)


def _session_key(slug: str, year: int) -> str:
    return f"monitoring:ocds:{slug}:{year}"


@login_required
def ocds_upload(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    report = _report_for_member(request, slug, year)
    if not report.is_editable:
        return _locked_redirect(request, report)
    form = OcdsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content, name = upload.read(), upload.name
        try:
            # A small file may only give the package's address on the portal.
            link = ocds_fetch.link_in(content)
            if link is not None:
                content, name = ocds_fetch.fetch_package(link), link
            proposal = ocds.propose_from_file(
                content, organisation=report.organisation, year=year
            )
        except ocds.PackageRefused as refused:
            form.add_error("file", str(refused))
        else:
            request.session[_session_key(slug, year)] = {
                "file": name[:200],
                "lines": [line.as_dict() for line in proposal.lines],
                "already_stored": proposal.already_stored,
                "unrelated": proposal.unrelated,
                "other_years": proposal.other_years,
                "frameworks": proposal.frameworks,
            }
            return redirect("monitoring-ocds:complete", slug=slug, year=year)
    return render(
        request, "monitoring/ocds_upload.html", {"report": report, "form": form}
    )


def _formset(
    request: AuthenticatedRequest, lines: list[ocds.ProposedLine]
) -> "_CompletionFormSet":
    return CompletionFormSet(
        request.POST if request.method == "POST" else None,
        initial=[{"quantity": line.quantity} for line in lines],
        product_groups=[line.product_group for line in lines],
    )


@login_required
def ocds_complete(request: AuthenticatedRequest, slug: str, year: int) -> HttpResponse:
    report = _report_for_member(request, slug, year)
    if not report.is_editable:
        return _locked_redirect(request, report)
    pending = request.session.get(_session_key(slug, year))
    if pending is None:
        return redirect("monitoring-ocds:upload", slug=slug, year=year)
    lines = [ocds.ProposedLine(**line) for line in pending["lines"]]
    formset = _formset(request, lines)
    problems: list[rows.RowProblem] = []
    if request.method == "POST" and formset.is_valid():
        chosen = [
            ocds.as_row(line, **form.as_row())
            for line, form in zip(lines, formset.forms, strict=True)
            if form.cleaned_data.get("include")
        ]
        if not chosen:
            formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
                [_("Choose at least one line to add, or go back to the report.")]
            )
        else:
            try:
                with transaction.atomic():
                    result = rows.lines_import_rows(
                        report=_started(report),
                        rows=chosen,
                        by=request.user,
                        source=_("OCDS file %(name)s") % {"name": pending["file"]},
                    )
                    # Refused lines leave nothing behind, not even a started report.
                    transaction.set_rollback(not result.ok)
            except ReportLocked:
                return _locked_redirect(request, report)
            if result.ok:
                del request.session[_session_key(slug, year)]
                messages.success(
                    request,
                    _("%(count)s lines from the OCDS file are stored in the report.")
                    % {"count": result.check.line_count},
                )
                return redirect(report.get_absolute_url())
            problems = result.problems
    return render(
        request,
        "monitoring/ocds_complete.html",
        {
            "report": report,
            "pending": pending,
            "rows": list(zip(lines, formset.forms, strict=True)),
            "formset": formset,
            "problems": problems,
        },
    )
