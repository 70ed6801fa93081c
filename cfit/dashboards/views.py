from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cfit.groups.models import BuyerGroup
from cfit.lib.typing import AuthenticatedRequest, HtmxRequest
from cfit.monitoring.models import Condition, ReportStatus
from cfit.organisations import selectors as organisations
from cfit.organisations.selectors import (
    is_secretariat,
    organisation_for_user,
    require_secretariat,
)
from cfit.security.models import SecurityAction
from cfit.security.services import audit_record

from . import access, comparison, exports, panels, selectors
from .caching import cached, fingerprint_of
from .forms import DashboardFilterForm, Filters
from .panels import Dashboard
from .selectors import PACT, Scope


def _fingerprint(request: HtmxRequest, scope: Scope = PACT) -> str:
    """A scope's data fingerprint, read once per request (see caching.py)."""
    if not hasattr(request, "_dashboards_fingerprints"):
        request._dashboards_fingerprints = {}  # type: ignore[attr-defined]
    known: dict[str, str] = request._dashboards_fingerprints  # type: ignore[attr-defined]
    if scope.key not in known:
        known[scope.key] = fingerprint_of(scope)
    return known[scope.key]


def _options(request: HtmxRequest) -> tuple[list[int], list[str]]:
    """Years with counted reports and countries of use with lines, newest first
    (read from the cache once per request: the form and the page both ask)."""
    if not hasattr(request, "_dashboards_options"):
        request._dashboards_options = cached(  # type: ignore[attr-defined]
            "options",
            "all",
            lambda: (selectors.report_years(), selectors.countries_of_use()),
            fingerprint=_fingerprint(request),
        )
    options: tuple[list[int], list[str]] = request._dashboards_options  # type: ignore[attr-defined]
    return options


def _filters(request: HtmxRequest, *, with_buyer_group: bool = True):
    form = DashboardFilterForm(
        request.GET if _has_filters(request) else None,
        with_buyer_group=with_buyer_group,
        countries=_options(request)[1],
    )
    return form, form.filters()


def _has_filters(request: HtmxRequest) -> bool:
    return any(key in request.GET for key in DashboardFilterForm.base_fields)


def _dashboard(
    request: HtmxRequest,
    scope: Scope,
    filters: Filters,
    *,
    protect: bool,
    row_link: Callable[[object], str] | None = None,
) -> Dashboard:
    return cached(
        "dashboard",
        f"{scope.key}:{filters.key}:{protect}",
        lambda: panels.build(scope, filters, protect=protect, row_link=row_link),
        fingerprint=_fingerprint(request, _data_scope(scope, filters)),
    )


def _data_scope(scope: Scope, filters: Filters) -> Scope:
    """Whose data a dashboard reads: a buyer group filter reaches past the scope."""
    return PACT if filters.buyer_group else scope


def _respond(
    request: HtmxRequest,
    template: str,
    dashboard: Dashboard,
    context: dict,
    filename: str,
) -> HttpResponse:
    """The page, its htmx partial, or the same figures as CSV or XLSX.

    Public figures download with a plain link. Figures of members (an organisation's,
    a group's in full, the secretariat's) are member data: they download by POST from
    a button, and each download is kept in the security log; a GET never writes.
    """
    if dashboard.protected:
        download = request.GET.get("download", "")
    elif request.method == "POST":
        download = request.POST.get("download", "")
        if download in DOWNLOADS:
            _record_download(request, dashboard, download)
    elif "download" in request.GET:
        return HttpResponseNotAllowed(["POST"])
    else:
        download = ""
    if download == "csv":
        return exports.csv_response(dashboard, filename=f"{filename}.csv")
    if download == "xlsx":
        return exports.xlsx_response(dashboard, filename=f"{filename}.xlsx")
    query = request.GET.copy()
    query.pop("download", None)
    query_string = query.urlencode()
    # The figures' HTML is the same for everyone who may see this scope: render once.
    figures_html = cached(
        "html",
        f"{dashboard.scope.key}:{dashboard.protected}:{get_language()}:{query_string}",
        lambda: render_to_string(
            "dashboards/_dashboard.html",
            {"dashboard": dashboard, "query": query_string},
        ),
        fingerprint=_fingerprint(
            request, _data_scope(dashboard.scope, dashboard.filters)
        ),
    )
    # The filter form too: drawing its lists of choices costs more than the figures.
    form = context["form"]
    chosen = sorted((k, str(v)) for k, v in request.GET.items() if k in form.fields)
    form_html = cached(
        "form",
        f"{template}:{dashboard.scope.key}:{get_language()}:{urlencode(chosen)}",
        lambda: render_to_string("components/form.html", {"form": form}),
        # Its choices (countries of use, product groups, buyer groups) are the Pact's.
        fingerprint=_fingerprint(request),
    )
    context |= {
        "dashboard": dashboard,
        "figures_html": mark_safe(figures_html),  # our own template's output
        "form_html": mark_safe(form_html),  # our own template's output
        "query": query_string,
        "my_groups": _my_dashboards(request),
    }
    if request.htmx and request.htmx.target == "dashboard":
        template += "#dashboard"
    return render(request, template, context)


DOWNLOADS = {"csv": "CSV", "xlsx": "XLSX"}


def _record_download(request: HtmxRequest, dashboard: Dashboard, kind: str) -> None:
    """Members' figures left the platform: keep who took them."""
    scope = dashboard.scope
    audit_record(
        action=SecurityAction.MEMBER_DATA_EXPORTED,
        actor=request.user,  # type: ignore[arg-type]
        target=scope.organisation or scope.group or _("the whole Pact"),
        details=_("Dashboard figures, as %(kind)s") % {"kind": DOWNLOADS[kind]},
        request=request,
    )


def _my_dashboards(request: HtmxRequest) -> dict:
    from cfit.groups.selectors import groups_coordinated_by, groups_of

    organisation = organisation_for_user(request.user)
    groups: list[BuyerGroup] = []
    if organisation is not None:
        groups = list(groups_of(organisation))
        groups += [g for g in groups_coordinated_by(request.user) if g not in groups]
    return {
        "organisation": organisation,
        "groups": groups,
        "secretariat": is_secretariat(request.user),
    }


def pact(request: HtmxRequest) -> HttpResponse:
    """The public Pact dashboard: aggregates of at least three organisations only."""
    form, filters = _filters(request)
    dashboard = _dashboard(request, PACT, filters, protect=True)
    summary, country_counts = organisations.public_signatory_figures(
        fingerprint=_fingerprint(request)
    )
    context = {
        "form": form,
        "summary": summary,
        "country_counts": country_counts,
        "years": _options(request)[0],
    }
    return _respond(
        request, "dashboards/pact.html", dashboard, context, "pact-dashboard"
    )


@login_required
def organisation(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """An organisation's own figures, the lines behind them, and how it compares."""
    org = access.organisation_for_viewer(request, slug)
    form, filters = _filters(request, with_buyer_group=False)
    lines_url = reverse("dashboards:organisation-lines", kwargs={"slug": org.slug})
    extra = {
        k: v
        for k, v in {
            "product_group": filters.product_group,
            "country": filters.country,
        }.items()
        if v
    }

    def row_link(year: object) -> str:
        return f"{lines_url}?{urlencode({'year': year, **extra})}"

    scope = Scope(kind="organisation", organisation=org)
    dashboard = _dashboard(request, scope, filters, protect=False, row_link=row_link)
    # Each column is cached with its own scope's figures (comparison.measures_of).
    compared = comparison.compare(org, filters)
    context = {"form": form, "organisation": org, "comparison": compared}
    return _respond(
        request,
        "dashboards/organisation.html",
        dashboard,
        context,
        f"dashboard-{org.slug}",
    )


@login_required
def organisation_lines(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The purchase lines behind a figure of the organisation's dashboard."""
    org = access.organisation_for_viewer(request, slug)
    form, filters = _filters(request, with_buyer_group=False)
    lines = (
        selectors.counted_lines(Scope(kind="organisation", organisation=org), filters)
        .select_related("report", "product_group")
        .order_by("-report__year", "product_group__sort_order", "pk")
    )
    year = request.GET.get("year", "")
    if year.isdigit():
        lines = lines.filter(report__year=int(year))
    condition = request.GET.get("condition", "")
    if condition in Condition.values:
        lines = lines.filter(condition=condition)
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboards/organisation_lines.html",
        {
            "organisation": org,
            "page": page,
            "year": year,
            "filters": filters,
            "query": query,
        },
    )


@login_required
def group(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """A buyer group's figures; per member and report status for its coordinator."""
    buyer_group, in_full = access.group_for_viewer(request, slug)
    form, filters = _filters(request, with_buyer_group=False)
    scope = Scope(kind="group", group=buyer_group)
    dashboard = _dashboard(request, scope, filters, protect=not in_full)
    context: dict = {"form": form, "group": buyer_group, "in_full": in_full}
    if in_full:
        years = _status_years(filters)
        statuses = selectors.report_status_per_member(buyer_group, years)
        labels = dict(ReportStatus.choices) | {"due": _("Due")}
        context |= {
            "per_member": cached(
                "per-member",
                f"{buyer_group.pk}:{filters.key}",
                lambda: comparison.per_member(buyer_group, filters),
                fingerprint=_fingerprint(request, scope),
            ),
            "status_years": years,
            "statuses": statuses,
            # Each cell's label looked up here: a loop over the labels in every one of
            # a large group's cells was most of the page's time.
            "status_cells": [
                (row.organisation, [(s, labels[s]) for s in row.statuses.values()])
                for row in statuses
            ],
        }
    return _respond(
        request,
        "dashboards/group.html",
        dashboard,
        context,
        f"dashboard-{buyer_group.slug}",
    )


def _status_years(filters: Filters) -> list[int]:
    from cfit.monitoring.models import ReportingPeriod

    years = list(
        ReportingPeriod.objects.order_by("-year").values_list("year", flat=True)
    )
    if filters.year_from:
        years = [y for y in years if y >= filters.year_from]
    if filters.year_to:
        years = [y for y in years if y <= filters.year_to]
    return years[:5]


@login_required
def countries(request: AuthenticatedRequest) -> HttpResponse:
    """Every country of use, ranked, for the secretariat (cells of any size)."""
    require_secretariat(request.user)
    form, filters = _filters(request)
    dashboard = _dashboard(request, PACT, filters, protect=False)
    table = cached(
        "countries",
        filters.key,
        lambda: comparison.by_country(filters),
        fingerprint=_fingerprint(request),
    )
    return _respond(
        request,
        "dashboards/countries.html",
        dashboard,
        {"form": form, "table": table},
        "dashboard-countries",
    )


@login_required
def product_groups(request: AuthenticatedRequest) -> HttpResponse:
    """Every product group, year by year, for the secretariat."""
    require_secretariat(request.user)
    form, filters = _filters(request)
    dashboard = _dashboard(request, PACT, filters, protect=False)
    table = cached(
        "product-groups",
        filters.key,
        lambda: comparison.by_product_group(filters),
        fingerprint=_fingerprint(request),
    )
    return _respond(
        request,
        "dashboards/product_groups.html",
        dashboard,
        {"form": form, "table": table},
        "dashboard-product-groups",
    )


def pact_report(request: HtmxRequest, year: int) -> HttpResponse:
    """The yearly Pact report as PDF: public figures only, ready to publish."""
    if year not in _options(request)[0]:
        raise Http404
    filters = Filters(year_from=year, year_to=year)
    dashboard = _dashboard(request, PACT, filters, protect=True)
    history = _dashboard(request, PACT, Filters(year_to=year), protect=True)
    return exports.pdf_response(
        dashboard, history=history, year=year, filename=f"pact-report-{year}.pdf"
    )
