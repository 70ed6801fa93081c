from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cfit.dashboards.access import can_see_group_in_full
from cfit.dashboards.privacy import MINIMUM_ORGANISATIONS
from cfit.groups.models import BuyerGroup
from cfit.groups.selectors import can_see_members_area, coordinates_organisation
from cfit.lib.countries import country_name
from cfit.lib.spreadsheets import people_csv_writer
from cfit.lib.typing import AuthenticatedRequest, HtmxRequest
from cfit.organisations.models import Organisation
from cfit.organisations.selectors import (
    is_organisation_member,
    is_secretariat,
    organisation_for_user,
    require_secretariat,
)

from . import method, selectors, services
from .factorsets import equivalences_of, factors_of
from .forms import DEFAULT_LABELS, OPTION_PREFIXES, OptionForm, SaveScenarioForm
from .models import FactorSet, Recompute, Scenario
from .planner import ScenarioResult, chart, compared_with_first, scenario_result

INDICATORS = selectors.INDICATORS


def _factorset_or_404(version: str | None) -> FactorSet:
    if version:
        return get_object_or_404(FactorSet, version=version)
    current = FactorSet.objects.current()
    if current is None:
        raise Http404
    return current


def _chosen_factorset(request: HttpRequest) -> FactorSet | None:
    """The FactorSet asked for with ?factorset=VERSION, else the current one."""
    version = request.GET.get("factorset", "").strip()
    return _factorset_or_404(version) if version else None


# The methodology, public -------------------------------------------------------------


@dataclass(frozen=True)
class WorkedExample:
    text: str
    line: method.Line
    impact: method.Impact


def _worked_examples(factors: method.Factors) -> list[WorkedExample]:
    """docs/methodology.md's examples, computed live with the FactorSet's factors."""
    examples = [
        (_("1,000 new laptops kept 6 years"), "laptop", 1000, "new", 6.0),
        (
            _("500 refurbished smartphones kept 2.5 years"),
            "smartphone",
            500,
            "refurbished",
            2.5,
        ),
        (_("200 new laptops kept 5 years"), "laptop", 200, "new", 5.0),
    ]
    shown = []
    for text, group, quantity, condition, lifetime in examples:
        if group not in factors.products:
            continue
        line = method.Line(
            product_group=group,
            quantity=quantity,
            condition=condition,
            expected_lifetime_years=lifetime,
            country_of_use="NL",
        )
        shown.append(WorkedExample(text, line, method.line_impact(line, factors)))
    return shown


def methodology(request: HttpRequest) -> HttpResponse:
    factorset = _factorset_or_404(request.GET.get("factorset"))
    factors = factors_of(factorset)
    highlighted = ["EEE", "WOR", "NL", "BE", "DE", "FR", "ES"]
    return render(
        request,
        "impact/methodology.html",
        {
            "factorset": factorset,
            "products": factorset.products.select_related("product_group"),
            "conditions": factorset.conditions.all(),
            "electricity": factorset.electricity.filter(zone__in=highlighted),
            "equivalences": factorset.equivalences.all(),
            "history": selectors.factorset_history(),
            "examples": _worked_examples(factors),
            "indicators": INDICATORS,
            "methodology": mark_safe(  # sanitised by render_markdown
                selectors.methodology_html(get_language() or "en")
            ),
        },
    )


def factorset_detail(request: HttpRequest, version: str) -> HttpResponse:
    factorset = _factorset_or_404(version)
    reports, stored = selectors.stored_totals(
        factorset, public=not is_secretariat(request.user)
    )
    return render(
        request,
        "impact/factorset_detail.html",
        {
            "factorset": factorset,
            "products": factorset.products.select_related("product_group"),
            "conditions": factorset.conditions.all(),
            "electricity": [
                (e, country_name(e.zone) if len(e.zone) == 2 else e.zone)
                for e in factorset.electricity.all()
            ],
            "equivalences": factorset.equivalences.all(),
            "stored_reports": reports,
            "stored": stored,
            "indicators": INDICATORS,
            "is_secretariat": is_secretariat(request.user),
        },
    )


# The scenario planner ----------------------------------------------------------------


def _option_forms(data: Any) -> list[OptionForm]:
    forms = []
    for index, prefix in enumerate(OPTION_PREFIXES):
        initial = {"label": DEFAULT_LABELS[index], "country": "NL"}
        if index == 0:
            initial.update(
                product_group="laptop",
                quantity=1000,
                share_refurbished_percent=0,
                lifetime_years=4,
            )
        forms.append(
            OptionForm(data, prefix=prefix, initial=initial, optional=index > 0)
        )
    return forms


def _results(forms: list[OptionForm], factors: method.Factors) -> list[ScenarioResult]:
    return compared_with_first(
        [
            scenario_result(
                label=form.cleaned_data["label"],
                product_group=form.cleaned_data["product_group"].code,
                product_group_name=str(form.cleaned_data["product_group"]),
                quantity=form.cleaned_data["quantity"],
                share_refurbished_percent=form.cleaned_data[
                    "share_refurbished_percent"
                ],
                lifetime_years=float(form.cleaned_data["lifetime_years"]),
                country=form.cleaned_data["country"],
                factors=factors,
            )
            for form in forms
            if not form.is_blank()
        ]
    )


def _saved_results(scenario: Scenario, factors: method.Factors) -> list[ScenarioResult]:
    return compared_with_first(
        [
            scenario_result(
                label=option.label,
                product_group=option.product_group.code,
                product_group_name=str(option.product_group),
                quantity=option.quantity,
                share_refurbished_percent=option.share_refurbished_percent,
                lifetime_years=float(option.lifetime_years),
                country=option.country,
                factors=factors,
            )
            for option in scenario.options.select_related("product_group")
        ]
    )


def planner(request: HtmxRequest) -> HttpResponse:
    """Compare one to three scenarios before a tender; members may save them."""
    factorset = _factorset_or_404(None)
    factors = factors_of(factorset)
    posted = request.method == "POST"
    data = request.POST if posted else (request.GET or None)
    forms = _option_forms(data)
    save_form = SaveScenarioForm(request.POST if posted else None)
    results: list[ScenarioResult] = []
    valid = data is not None and all(form.is_valid() for form in forms)
    if valid:
        results = _results(forms, factors)
    organisation = organisation_for_user(request.user)
    if posted:
        if organisation is None:
            raise Http404
        if valid and save_form.is_valid():
            scenario = services.scenario_save(
                organisation=organisation,
                by=request.user,  # type: ignore[arg-type]
                title=save_form.cleaned_data["title"],
                options=[
                    services.OptionInput(**form.cleaned_data)
                    for form in forms
                    if not form.is_blank()
                ],
            )
            messages.success(request, _("The plan is saved."))
            return redirect("impact:scenario", pk=scenario.pk)
    context = {
        "forms": forms,
        "save_form": save_form,
        "results": results,
        "chart": chart(results),
        "factorset": factorset,
        "indicators": INDICATORS,
        "organisation": organisation,
        "saved": selectors.scenarios_of(organisation) if organisation else [],
        "query": request.GET.urlencode() if valid and not posted else "",
        "equivalences": equivalences_of(factorset),
    }
    template = "impact/planner.html"
    if request.htmx and not posted:
        template += "#results"
    return render(request, template, context)


def _scenario_csv(
    results: list[ScenarioResult], version: str, name: str
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = people_csv_writer(response)
    header = [
        "scenario",
        "product_group",
        "quantity",
        "share_refurbished_percent",
        "lifetime_years",
        "country",
        "factorset",
    ]
    for block in ("footprint", "baseline", "saving", "saving_against_first"):
        header += [f"{block}_{key}" for key, _label, _unit in INDICATORS]
    writer.writerow(header)
    for r in results:
        row: list[object] = [
            r.label,
            r.product_group,
            r.quantity,
            r.share_refurbished_percent,
            r.lifetime_years,
            r.country,
            version,
        ]
        for figures in (
            r.impact.footprint,
            r.impact.baseline,
            r.impact.saving,
            r.compared,
        ):
            row += [round(figures.get(key), 6) for key, _label, _unit in INDICATORS]
        writer.writerow(row)
    return response


def planner_export(request: HttpRequest) -> HttpResponse:
    factorset = _factorset_or_404(None)
    forms = _option_forms(request.GET or None)
    if not request.GET or not all(form.is_valid() for form in forms):
        messages.error(request, _("Fill in the scenarios before exporting them."))
        return redirect("impact:planner")
    results = _results(forms, factors_of(factorset))
    return _scenario_csv(results, factorset.version, "scenarios")


def _get_scenario(request: HttpRequest, pk: int) -> Scenario:
    scenario = get_object_or_404(Scenario.objects.select_related("organisation"), pk=pk)
    if not (
        is_organisation_member(request.user, scenario.organisation)
        or is_secretariat(request.user)
    ):
        raise Http404
    return scenario


@login_required
def scenario_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    scenario = _get_scenario(request, pk)
    factorset = _factorset_or_404(None)
    results = _saved_results(scenario, factors_of(factorset))
    return render(
        request,
        "impact/scenario_detail.html",
        {
            "scenario": scenario,
            "results": results,
            "chart": chart(results),
            "factorset": factorset,
            "indicators": INDICATORS,
        },
    )


@login_required
def scenario_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    scenario = _get_scenario(request, pk)
    factorset = _factorset_or_404(None)
    results = _saved_results(scenario, factors_of(factorset))
    return _scenario_csv(results, factorset.version, f"scenarios-{scenario.pk}")


@login_required
@require_POST
def scenario_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    scenario = _get_scenario(request, pk)
    services.scenario_delete(scenario=scenario)
    messages.success(request, _("The plan is deleted."))
    return redirect("impact:planner")


# Figures of an organisation, a group, a report, the Pact -----------------------------


def _scope_page(
    request: HttpRequest,
    *,
    title: str,
    result: selectors.ImpactResult | None,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "impact/scope.html",
        {
            "title": title,
            "impact": result,
            "indicators": INDICATORS,
            "history": selectors.factorset_history(),
            "minimum": MINIMUM_ORGANISATIONS,
            **extra,
        },
    )


@login_required
def organisation_figures(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not (
        is_organisation_member(request.user, organisation)
        or is_secretariat(request.user)
        or coordinates_organisation(request.user, organisation)
    ):
        raise Http404
    lines = selectors.organisation_summaries(organisation)
    result = selectors.impact_by(
        lines,
        keys=["product_group", "condition"],
        factorset=_chosen_factorset(request),
    )
    return _scope_page(
        request,
        title=_("Effects of %(name)s's purchases") % {"name": organisation.name},
        result=result,
        by_year=selectors.impact_by(
            lines, keys=["year"], factorset=_chosen_factorset(request)
        ),
    )


@login_required
def group_figures(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(BuyerGroup, slug=slug)
    if not can_see_members_area(request.user, group):
        raise Http404
    # Members see their group's figures under the publication rule; its coordinator
    # and the secretariat, who see every member's report, see them in full.
    select = (
        selectors.impact_by
        if can_see_group_in_full(request, group)
        else selectors.protected_impact_by
    )
    result = select(
        selectors.group_summaries(group),
        keys=["product_group", "condition"],
        factorset=_chosen_factorset(request),
    )
    return _scope_page(
        request,
        title=_("Effects of the purchases of %(name)s") % {"name": group.name},
        result=result,
    )


def pact_figures(request: HttpRequest) -> HttpResponse:
    """The Pact's figures: under the publication rule for all but the secretariat."""
    organisations = selectors.pact_organisation_count()
    select = (
        selectors.impact_by
        if is_secretariat(request.user)
        else selectors.protected_impact_by
    )
    result = select(
        selectors.pact_summaries(),
        keys=["product_group", "condition"],
        factorset=_chosen_factorset(request),
    )
    return _scope_page(
        request,
        title=_("Effects of the Pact"),
        result=result,
        organisations=organisations,
        is_pact=True,
    )


@login_required
def report_figures(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    from cfit.monitoring.models import PurchaseReport

    report = get_object_or_404(
        PurchaseReport.objects.select_related("organisation"), pk=pk
    )
    if not (
        is_organisation_member(request.user, report.organisation)
        or is_secretariat(request.user)
        or coordinates_organisation(request.user, report.organisation)
    ):
        raise Http404
    factorset = _chosen_factorset(request) or _factorset_or_404(None)
    factors = factors_of(factorset)
    lines = report.lines.select_related("product_group").order_by("pk")
    page = Paginator(lines, 100).get_page(request.GET.get("page"))
    per_line = [(line, selectors.line_figures(line, factors)) for line in page]
    return _scope_page(
        request,
        title=_("Effects of the %(year)s report of %(name)s")
        % {"year": report.year, "name": report.organisation.name},
        result=selectors.report_impact(report, factorset=factorset),
        report=report,
        page=page,
        per_line=per_line,
    )


# The secretariat: compare, make current, recompute ---------------------------------


@login_required
def factorset_compare(request: AuthenticatedRequest, version: str) -> HttpResponse:
    require_secretariat(request.user)
    candidate = _factorset_or_404(version)
    current = FactorSet.objects.current()
    lines = selectors.pact_summaries()
    keys = ["product_group", "condition"]
    results = [selectors.impact_by(lines, keys=keys, factorset=candidate)]
    if current and current.pk != candidate.pk:
        results.insert(0, selectors.impact_by(lines, keys=keys, factorset=current))
    return render(
        request,
        "impact/compare.html",
        {
            "candidate": candidate,
            "current": current,
            "results": results,
            "differences": selectors.factor_differences(current, candidate),
            "indicators": INDICATORS,
            "recompute": candidate.recomputes.first(),
        },
    )


@login_required
@require_POST
def factorset_make_current(request: AuthenticatedRequest, version: str) -> HttpResponse:
    require_secretariat(request.user)
    factorset = _factorset_or_404(version)
    try:
        services.factorset_make_current(factorset=factorset, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("FactorSet %(version)s is now current. Its figures are being computed.")
            % {"version": factorset.version},
        )
    return redirect("impact:compare", version=factorset.version)


@login_required
@require_POST
def recompute_start(request: AuthenticatedRequest, version: str) -> HttpResponse:
    require_secretariat(request.user)
    factorset = _factorset_or_404(version)
    try:
        services.recompute_start(factorset=factorset, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The figures are being recomputed."))
    return redirect("impact:compare", version=factorset.version)


@login_required
def recompute_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_secretariat(request.user)
    recompute = get_object_or_404(Recompute.objects.select_related("factorset"), pk=pk)
    if not request.htmx:
        return redirect("impact:compare", version=recompute.factorset.version)
    return render(request, "impact/recompute_progress.html", {"recompute": recompute})
