from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.knowledge.selectors import criterion_examples
from cfit.lib.translations import other_languages
from cfit.lib.typing import AuthenticatedRequest, HtmxRequest
from cfit.market.selectors import MINIMUM_READINESS_ANSWERS, criterion_readiness
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import is_organisation_member, organisation_for_user

from . import exports, selectors, services
from .caching import cached_with_base
from .forms import (
    BuilderSetupForm,
    CriteriaFilterForm,
    CriterionVersionForm,
    ImportForm,
    NewCriterionForm,
    ParameterFormSet,
    ReturnForm,
    TenderBuilderForm,
    parameter_specs,
)
from .models import (
    Criterion,
    CriterionLevel,
    CriterionVersion,
    ProductGroup,
    TenderSelection,
    VersionStatus,
)

EXPORT_TYPES = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        exports.to_docx,
    ),
    "pdf": ("application/pdf", exports.to_pdf),
    "md": ("text/markdown; charset=utf-8", exports.to_markdown),
}


# Browsing the base --------------------------------------------------------------------


def criterion_list(request: HtmxRequest) -> HttpResponse:
    # The form and the results are the same for everyone who sends the same filters:
    # rendered once per generation of the base and language (cfit.criteria.caching).
    # Neither holds a CSRF token or a nonce; the buttons above them are per person.
    asked = [(name, request.GET.get(name, "")) for name in SEARCH_PARAMETERS]
    form_html, results_html = cached_with_base(
        "search", asked, lambda: _search_pieces(asked)
    )
    if request.htmx:
        return HttpResponse(results_html)
    context = {
        "form_html": form_html,
        "results_html": results_html,
        "can_draft": selectors.can_see_drafts(request.user),
        "can_see_usage": selectors.can_see_usage(request.user),
    }
    return render(request, "criteria/criterion_list.html", context)


SEARCH_PARAMETERS = [*CriteriaFilterForm.base_fields, "page"]


def _search_pieces(asked: list[tuple[str, str]]) -> tuple[str, str]:
    """The filter form and the page of results for these filters, as HTML.

    Only the parameters of the cache key are read, so that nothing else a visitor
    adds to the address can end up in what others are shown.
    """
    query = QueryDict(mutable=True)
    query.update({name: value for name, value in asked if value and name != "page"})
    form = CriteriaFilterForm(query or None)
    filters = form.cleaned_data if form.is_valid() else {}
    versions = selectors.search_versions(**filters)
    page = Paginator(versions, 50).get_page(dict(asked).get("page"))
    template = "criteria/criterion_list.html"
    return (
        render_to_string(f"{template}#filters", {"form": form}),
        render_to_string(
            f"{template}#results",
            {"page": page, "total": page.paginator.count, "query": query},
        ),
    )


def product_group_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "criteria/product_group_list.html",
        {"product_groups": ProductGroup.objects.prefetch_related("translations")},
    )


def ecolabel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "criteria/ecolabel_list.html",
        {"proofs": selectors.ecolabels_with_criteria()},
    )


def base_level(request: HttpRequest, group: str) -> HttpResponse:
    product_group = get_object_or_404(ProductGroup, code=group)
    versions = selectors.base_versions(product_group.code)
    return render(
        request,
        "criteria/base_level.html",
        {
            "product_group": product_group,
            "groups": selectors.grouped_by_kind(
                v for v in versions if not v.refurbished_lots_only
            ),
            "refurbished": [v for v in versions if v.refurbished_lots_only],
            "total": len(versions),
        },
    )


def _version_page(
    request: HttpRequest, criterion: Criterion, version: CriterionVersion
) -> HttpResponse:
    may_see_drafts = selectors.can_see_drafts(request.user)
    if not (version.is_public or may_see_drafts):
        raise Http404
    current = criterion.current_version
    return render(
        request,
        "criteria/version_detail.html",
        {
            "criterion": criterion,
            "version": version,
            "current": current,
            "is_current": current is not None and current.pk == version.pk,
            "history": selectors.version_history(
                criterion, include_pending=may_see_drafts
            ),
            "can_draft": selectors.can_draft(request.user),
            "can_approve": selectors.can_approve(request.user),
            "translate_languages": other_languages(version),
            "has_pending": criterion.versions.pending().exists(),
            "return_form": ReturnForm(),
            "good_examples": criterion_examples(request.user, criterion)[:6],
            "readiness": criterion_readiness(criterion),
            "readiness_minimum": MINIMUM_READINESS_ANSWERS,
        },
    )


def criterion_detail(request: HttpRequest, code: str) -> HttpResponse:
    criterion = get_object_or_404(Criterion, code=code)
    version = criterion.current_version
    if version is None:
        # Retired or not yet approved: the latest readable version stands for it.
        visible = selectors.version_history(
            criterion, include_pending=selectors.can_see_drafts(request.user)
        )
        version = visible.first()
        if version is None:
            raise Http404
    return _version_page(request, criterion, version)


def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    criterion = get_object_or_404(Criterion, code=code)
    version = get_object_or_404(CriterionVersion, criterion=criterion, number=number)
    return _version_page(request, criterion, version)


# Drafting and review ------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


@login_required
def draft_list(request: AuthenticatedRequest) -> HttpResponse:
    _require(selectors.can_see_drafts(request.user))
    return render(
        request,
        "criteria/draft_list.html",
        {
            "versions": selectors.pending_versions(),
            "can_draft": selectors.can_draft(request.user),
        },
    )


def _version_form_page(
    request: AuthenticatedRequest,
    form: CriterionVersionForm,
    formset: BaseFormSet,
    save: object,
    context: dict[str, object],
) -> HttpResponse:
    """Shared by new criterion, new version and edit draft: validate, save, or show errors."""
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            version = save(form.content(parameter_specs(formset)))  # type: ignore[operator]
        except ValidationError as error:
            for field, errors in (
                error.message_dict.items()
                if hasattr(error, "error_dict")
                else [(None, error.messages)]
            ):
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Draft %(version)s is saved. Send it for review when it is ready.")
                % {"version": version},
            )
            return redirect(version.get_absolute_url())
    return render(
        request,
        "criteria/version_form.html",
        {"form": form, "formset": formset, **context},
    )


@login_required
def criterion_new(request: AuthenticatedRequest) -> HttpResponse:
    _require(selectors.can_draft(request.user))
    form = NewCriterionForm(request.POST or None)
    formset = ParameterFormSet(request.POST or None, prefix="parameters")

    def save(content: services.VersionContent) -> CriterionVersion:
        return services.criterion_draft(
            by=request.user, code=form.cleaned_data["code"], content=content
        )

    return _version_form_page(
        request, form, formset, save, {"heading": _("Draft a new criterion")}
    )


def _parameter_initial(version: CriterionVersion) -> list[dict[str, object]]:
    return [
        {
            "name": p.name,
            "label": p.label,
            "unit": p.unit,
            "value_type": p.value_type,
            "default": p.default,
            "minimum": p.minimum,
            "maximum": p.maximum,
            "choices": p.choices,
        }
        for p in version.parameters.all()
    ]


@login_required
def version_new(request: AuthenticatedRequest, code: str) -> HttpResponse:
    _require(selectors.can_draft(request.user))
    criterion = get_object_or_404(Criterion, code=code)
    pending = criterion.versions.pending().first()
    if pending:
        messages.info(
            request,
            _("Version %(n)s is already being drafted. Change that draft instead.")
            % {"n": pending.number},
        )
        return redirect(pending.get_absolute_url())
    latest = criterion.versions.order_by("-number").first()
    if latest is None:
        raise Http404
    form = CriterionVersionForm(request.POST or None, initial=_form_initial(latest))
    formset = ParameterFormSet(
        request.POST or None, prefix="parameters", initial=_parameter_initial(latest)
    )

    def save(content: services.VersionContent) -> CriterionVersion:
        return services.version_draft(
            criterion=criterion, by=request.user, content=content
        )

    return _version_form_page(
        request,
        form,
        formset,
        save,
        {
            "heading": _("Draft a new version of %(code)s") % {"code": criterion.code},
            "criterion": criterion,
        },
    )


def _form_initial(version: CriterionVersion) -> dict[str, object]:
    return {
        "title": version.title,
        "level": version.level,
        "refurbished_lots_only": version.refurbished_lots_only,
        "category": version.category,
        "kind": version.kind,
        "product_groups": list(version.product_groups.all()),
        "tender_text": version.tender_text,
        "rationale": version.rationale,
        "verification": version.verification,
        "ecolabels": list(version.ecolabels.all()),
        "source": version.source,
        "source_reference": version.source_reference,
        "change_note": "",
    }


@login_required
def version_edit(request: AuthenticatedRequest, code: str, number: int) -> HttpResponse:
    _require(selectors.can_draft(request.user))
    version = get_object_or_404(
        CriterionVersion.objects.select_related("criterion"),
        criterion__code=code,
        number=number,
        status=VersionStatus.DRAFT,
    )
    form = CriterionVersionForm(request.POST or None, instance=version)
    formset = ParameterFormSet(
        request.POST or None,
        prefix="parameters",
        initial=_parameter_initial(version),
    )

    def save(content: services.VersionContent) -> CriterionVersion:
        return services.version_update(
            version=version, by=request.user, content=content
        )

    return _version_form_page(
        request,
        form,
        formset,
        save,
        {
            "heading": _("Change draft %(version)s") % {"version": version},
            "criterion": version.criterion,
            "version": version,
        },
    )


@login_required
@require_POST
def version_decide(
    request: AuthenticatedRequest, code: str, number: int
) -> HttpResponse:
    _require(selectors.can_see_drafts(request.user))
    version = get_object_or_404(
        CriterionVersion.objects.select_related("criterion"),
        criterion__code=code,
        number=number,
    )
    decision = request.POST.get("decision", "")
    done = {
        "submit": _("%(version)s is sent for review."),
        "approve": _("%(version)s is approved and now public."),
        "return": _("%(version)s is sent back to its drafter."),
        "retire": _("%(version)s is retired: it is no longer part of the base."),
    }
    try:
        if decision == "submit":
            services.version_submit(version=version, by=request.user)
        elif decision == "approve":
            services.version_approve(version=version, by=request.user)
        elif decision == "return":
            services.version_return(
                version=version, by=request.user, note=request.POST.get("note", "")
            )
        elif decision == "retire":
            services.version_retire(version=version, by=request.user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done[decision] % {"version": version})
    return redirect(version.get_absolute_url())


@login_required
def criteria_import(request: AuthenticatedRequest) -> HttpResponse:
    _require(selectors.can_draft(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            versions = services.criteria_import(
                by=request.user, data=form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _(
                    "%(n)s drafts are made from the file. Check them and send them for review."
                )
                % {"n": len(versions)},
            )
            return redirect("criteria:drafts")
    return render(request, "criteria/import.html", {"form": form, "problems": problems})


@login_required
def usage(request: AuthenticatedRequest) -> HttpResponse:
    _require(selectors.can_see_usage(request.user))
    return render(request, "criteria/usage.html", {"rows": selectors.criteria_usage()})


# The tender builder -------------------------------------------------------------------


def _own_selection(request: HttpRequest, pk: int | str) -> TenderSelection:
    """A saved selection, for members of its organisation only; 404 for anyone else."""
    if not str(pk).isdigit():
        raise Http404
    selection = get_object_or_404(
        TenderSelection.objects.select_related("organisation", "product_group"), pk=pk
    )
    if not is_organisation_member(request.user, selection.organisation):
        raise Http404
    return selection


def _download(
    request: HttpRequest,
    *,
    export_format: str,
    title: str,
    organisation: Organisation | None,
    scope: "BuilderScope",
    picks: list[services.Pick],
) -> HttpResponse:
    content_type, make = EXPORT_TYPES[export_format]
    document = exports.build_document(
        language=scope.language,
        title=title,
        organisation=organisation.name if organisation else "",
        product_group=scope.product_group,
        level=scope.level,
        refurbished_lot=scope.refurbished_lot,
        picks=picks,
        site_url=request.build_absolute_uri("/").rstrip("/"),
        builder_url=request.build_absolute_uri(reverse("criteria:builder")),
    )
    body = make(document)
    services.tender_export_record(
        picks=picks, organisation=organisation, export_format=export_format
    )
    response = HttpResponse(body, content_type=content_type)
    filename = f"{slugify(title) or 'tender'}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _reopen(
    selection: TenderSelection, versions: list[CriterionVersion]
) -> tuple[dict[str, object], list[str]]:
    """The builder's starting values from a saved selection, and what changed since."""
    current = {v.criterion.code: v for v in versions}
    initial: dict[str, object] = {"title": selection.title, "criteria": []}
    notes = []
    for item in selection.items.select_related("version__criterion"):
        code = item.version.criterion.code
        now = current.get(code)
        if now is None:
            notes.append(
                _("%(code)s is no longer in the base and is left out.") % {"code": code}
            )
            continue
        initial["criteria"].append(code)  # type: ignore[attr-defined]
        if now.number != item.version.number:
            notes.append(
                _(
                    "%(code)s has a new version: %(old)s was saved, the builder uses %(new)s."
                )
                % {"code": code, "old": item.version.number, "new": now.number}
            )
        for name, value in item.parameter_values.items():
            initial[f"param-{code}-{name}"] = value
    return initial, notes


@dataclass(frozen=True)
class BuilderScope:
    """What a tender buys and how ambitious it is: step one of the builder."""

    product_group: ProductGroup
    level: str
    refurbished_lot: bool
    language: str = "en"


def _builder_setup(
    data: QueryDict, selection: TenderSelection | None
) -> BuilderSetupForm:
    """Step one from the request, or from a saved selection that is being reopened."""
    if "product_group" in data:
        return BuilderSetupForm(data)
    if selection:
        return BuilderSetupForm(
            {
                "product_group": selection.product_group.code,
                "level": selection.level,
                "refurbished_lot": selection.refurbished_lot or "",
                "language": selection.language,
            }
        )
    return BuilderSetupForm()


def _builder_form(
    request: HttpRequest,
    scope: BuilderScope,
    versions: list[CriterionVersion],
    reopened: TenderSelection | None,
) -> tuple[TenderBuilderForm, list[str]]:
    """Step two: as posted, as saved in a reopened selection, or preselected by level."""
    if request.method == "POST":
        return TenderBuilderForm(request.POST, versions=versions), []
    if reopened:
        initial, notes = _reopen(reopened, versions)
        return TenderBuilderForm(initial=initial, versions=versions), notes
    preselected = selectors.preselected_codes(
        versions, level=scope.level, refurbished_lot=scope.refurbished_lot
    )
    initial = {
        "title": _("Tender for %(group)s") % {"group": scope.product_group.name},
        "criteria": sorted(preselected),
    }
    return TenderBuilderForm(initial=initial, versions=versions), []


def _builder_act(
    request: HttpRequest,
    form: TenderBuilderForm,
    scope: BuilderScope,
    selection: TenderSelection | None,
) -> HttpResponse | None:
    """Download or save a valid selection; None when the page is shown again."""
    action = request.POST.get("action", "")
    organisation = organisation_for_user(request.user)
    title = form.cleaned_data["title"]
    if action in EXPORT_TYPES:
        return _download(
            request,
            export_format=action,
            title=title,
            organisation=organisation,
            scope=scope,
            picks=form.picks(),
        )
    if action != "save":
        return None
    if organisation is None:
        messages.error(
            request,
            _(
                "Only members of an organisation can save a selection. Download it instead."
            ),
        )
        return None
    saved = services.tender_selection_save(
        by=request.user,  # type: ignore[arg-type]
        organisation=organisation,
        title=title,
        product_group=scope.product_group,
        level=scope.level,
        refurbished_lot=scope.refurbished_lot,
        picks=form.picks(),
        selection=selection,
        language=scope.language,
    )
    messages.success(
        request,
        _("“%(title)s” is saved for %(organisation)s.")
        % {"title": saved.title, "organisation": organisation.name},
    )
    return redirect(saved.get_absolute_url())


def tender_builder(request: HtmxRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    selection = (
        _own_selection(request, data["selection"]) if data.get("selection") else None
    )
    setup = _builder_setup(data, selection)
    context: dict[str, object] = {
        "setup": setup,
        "selection": selection,
        "organisation": organisation_for_user(request.user),
    }
    if setup.is_bound and setup.is_valid():
        scope = BuilderScope(**setup.cleaned_data)
        versions = selectors.builder_candidates(scope.product_group.code)
        reopened = selection if "product_group" not in data else None
        form, notes = _builder_form(request, scope, versions, reopened)
        if request.method == "POST" and form.is_valid():
            response = _builder_act(request, form, scope, selection)
            if response:
                return response
        context.update(_builder_context(form, scope, versions, notes))
    template = "criteria/builder.html"
    if request.htmx and request.method == "GET":
        template += "#criteria"
    return render(request, template, context)


def _builder_context(
    form: TenderBuilderForm,
    scope: BuilderScope,
    versions: list[CriterionVersion],
    notes: list[str],
) -> dict[str, object]:
    chosen: set[str] = (
        set(form.data.getlist("criteria"))  # type: ignore[attr-defined]
        if form.is_bound
        else set(form.initial.get("criteria", []))
    )
    for version in versions:
        # The template shows each criterion's value fields beside it.
        version.builder_fields = form.parameter_fields(version.criterion.code)
    base_codes = selectors.preselected_codes(
        versions, level=CriterionLevel.BASE, refurbished_lot=scope.refurbished_lot
    )
    return {
        "form": form,
        "product_group": scope.product_group,
        "level": scope.level,
        "refurbished_lot": scope.refurbished_lot,
        "document_language": scope.language,
        "groups": selectors.grouped_by_kind(versions),
        "chosen": chosen,
        "missing_base": sorted(base_codes - chosen),
        "notes": notes,
    }


@login_required
def selection_list(request: AuthenticatedRequest) -> HttpResponse:
    organisation = organisation_for_user(request.user)
    if organisation is None:
        raise Http404
    return render(
        request,
        "criteria/selection_list.html",
        {
            "organisation": organisation,
            "selections": selectors.selections_for(organisation),
        },
    )


def _selection_picks(selection: TenderSelection) -> list[services.Pick]:
    items = selection.items.select_related("version__criterion").prefetch_related(
        "version__parameters", "version__ecolabels"
    )
    return [services.Pick(version=i.version, values=i.parameter_values) for i in items]


@login_required
def selection_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    selection = _own_selection(request, pk)
    picks = _selection_picks(selection)
    current = {
        v.criterion_id: v.number
        for v in CriterionVersion.objects.approved().filter(
            criterion__in=[p.version.criterion_id for p in picks]
        )
    }
    rows = [
        {
            "pick": pick,
            "text": pick.version.filled_text(pick.values),
            "current_number": current.get(pick.version.criterion_id),
        }
        for pick in picks
    ]
    return render(
        request,
        "criteria/selection_detail.html",
        {"selection": selection, "rows": rows},
    )


@login_required
@require_POST
def selection_export(
    request: AuthenticatedRequest, pk: int, export_format: str
) -> HttpResponse:
    selection = _own_selection(request, pk)
    if export_format not in EXPORT_TYPES:
        raise Http404
    return _download(
        request,
        export_format=export_format,
        title=selection.title,
        organisation=selection.organisation,
        scope=BuilderScope(
            product_group=selection.product_group,
            level=selection.level,
            refurbished_lot=selection.refurbished_lot,
            language=selection.language,
        ),
        picks=_selection_picks(selection),
    )


@login_required
@require_POST
def selection_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    selection = _own_selection(request, pk)
    services.tender_selection_delete(selection=selection, by=request.user)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": selection.title})
    return redirect("criteria:selections")
