"""Every URL pattern of the project, filled with hostile values and with real objects.

Used by the tests that must hold on every page: nothing the database cannot store gives
a 500, and the secretariat reaches no page without a second factor.
"""

import itertools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

HUGE = "99999999999999999999"  # beyond a 64-bit integer: no database column holds it
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# Every query parameter a view of the project reads (grep request.GET), plus the filters.
QUERY_NAMES = [
    "q",
    "factorset",
    "year",
    "page",
    "kind",
    "download",
    "condition",
    "country",
    "role",
    "status",
    "product_group",
    "level",
    "category",
    "next",
]


@dataclass(frozen=True)
class Route:
    template: str  # "/reports/{slug}/{year}/", parameters by name
    parameters: tuple[tuple[str, str], ...]  # (name, converter or "regex")
    namespace: str
    model_label: str  # the admin's model for its object_id, else ""


def _regex_template(regex: str) -> tuple[str, list[tuple[str, str]]]:
    """Turn ^(?P<key>[-:\\w]+)/$ into {key}/, keeping the names of the groups."""
    text = regex.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    names: list[tuple[str, str]] = []
    out, i = [], 0
    while i < len(text):
        if text.startswith("(?P<", i):
            end = text.index(">", i)
            name = text[i + 4 : end]
            depth, j = 1, end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            out.append("{" + name + "}")
            names.append((name, "regex"))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out), names


def _piece(pattern: RoutePattern | RegexPattern) -> tuple[str, list[tuple[str, str]]]:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        names = [
            (m["name"], m["converter"] or "str")
            for m in ROUTE_PARAMETER.finditer(route)
        ]
        return ROUTE_PARAMETER.sub(lambda m: "{" + m["name"] + "}", route), names
    return _regex_template(pattern.regex.pattern)


def all_routes() -> list[Route]:
    """Every pattern reachable from the root URLconf, admin included."""
    routes: list[Route] = []

    def walk(patterns, prefix, names, namespace):  # type: ignore[no-untyped-def]
        for entry in patterns:
            text, found = _piece(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(
                    entry.url_patterns,
                    prefix + text,
                    names + found,
                    entry.namespace or namespace,
                )
            elif isinstance(entry, URLPattern):
                model_admin = getattr(entry.callback, "model_admin", None)
                routes.append(
                    Route(
                        template="/" + prefix + text,
                        parameters=tuple(names + found),
                        namespace=namespace,
                        model_label=model_admin.model._meta.label
                        if model_admin
                        else "",
                    )
                )

    walk(get_resolver().url_patterns, "", [], "")
    return routes


def hostile_path(route: Route) -> str:
    """The route with a NUL in every text parameter and a huge number in every number."""
    values = {
        name: HUGE if converter == "int" else "%00"
        for name, converter in route.parameters
    }
    return route.template.format(**values)


def _first_pk(model_label: str) -> list[str]:
    model = apps.get_model(model_label)
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return [str(pk)] if pk is not None else []


def real_paths(route: Route, samples: dict[str, dict[str, list[str]]]) -> list[str]:
    """The route filled with existing objects (every combination, a few per name)."""
    if not route.parameters:
        return [route.template]
    choices = []
    for name, _converter in route.parameters:
        if name == "object_id" and route.model_label:
            values = _first_pk(route.model_label)
        else:
            values = samples.get(route.namespace, {}).get(name) or samples[""].get(
                name, []
            )
        if not values:
            return []
        choices.append([(name, value) for value in values])
    return [
        route.template.format(**dict(combination))
        for combination in itertools.product(*choices)
    ]


def samples_from_database(user=None) -> dict[str, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Values for path parameters, per URL namespace, taken from the demo data: the
    person's own organisation and its report where they have one."""
    from cfit.criteria.models import Criterion, ProductGroup, TenderSelection
    from cfit.groups.models import (
        BuyerGroup,
        BuyerGroupMembership,
        ComplexIssue,
        WorkingGroup,
        WorkingGroupDocument,
    )
    from cfit.impact.models import FactorSet
    from cfit.monitoring.models import PurchaseReport
    from cfit.organisations.models import Membership, Signature

    def pks(*models) -> list[str]:  # type: ignore[no-untyped-def]
        found = [
            m.objects.order_by("pk").values_list("pk", flat=True).first()
            for m in models
        ]
        return sorted({str(pk) for pk in found if pk is not None})

    reports = PurchaseReport.objects.order_by("pk").select_related("organisation")
    own = (
        Membership.objects.filter(user=user, status="active").first() if user else None
    )
    report = (
        reports.filter(organisation=own.organisation).first() if own else None
    ) or reports.first()
    organisation = report.organisation.slug if report else "demo-02"
    buyer_group = (
        BuyerGroup.objects.order_by("pk").values_list("slug", flat=True).first()
    )
    working_group = (
        WorkingGroup.objects.order_by("pk").values_list("slug", flat=True).first()
    )
    group_slugs = [s for s in [buyer_group, working_group] if s]
    monitoring_models = [
        apps.get_model("monitoring", name)
        for name in ("PurchaseLine", "DemandForecast", "PurchaseImport", "LineQuery")
    ]
    impact_models = [apps.get_model("impact", n) for n in ("Scenario", "Recompute")]
    return {
        "": {
            "slug": [organisation],
            "year": [str(report.year) if report else "2025", HUGE],
            "pk": pks(Membership),
            "app_label": ["organisations"],
            "content_type_id": pks(apps.get_model("contenttypes", "ContentType")),
            "key": ["not-a-key"],
            "uidb36": ["1"],
        },
        "organisations": {"pk": pks(Membership, Signature)},
        "groups": {
            "slug": group_slugs,
            "pk": pks(ComplexIssue, BuyerGroupMembership, WorkingGroupDocument),
        },
        "criteria": {
            "pk": pks(TenderSelection),
            "code": [
                Criterion.objects.order_by("pk").values_list("code", flat=True).first()
                or "LIFE-01"
            ],
            "number": ["1", HUGE],
            "group": [
                ProductGroup.objects.order_by("pk")
                .values_list("code", flat=True)
                .first()
                or "laptop"
            ],
            "export_format": ["md", "docx", "pdf", "%00"],
        },
        "monitoring": {"pk": pks(*monitoring_models)},
        "impact": {
            "version": list(FactorSet.objects.values_list("version", flat=True)[:1]),
            "pk": pks(PurchaseReport, *impact_models),
            "slug": [organisation, *group_slugs[:1]],
        },
        "dashboards": {"slug": [organisation, *group_slugs[:1]]},
    }


class FormFinder(HTMLParser):
    """The forms of a page: where they go, how, and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []  # type: ignore[type-arg]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (values.get("method") or "get").lower(),
                    "action": values.get("action") or "",
                    "fields": [],
                }
            )
        elif tag in {"input", "select", "textarea"} and self.forms:
            name = values.get("name")
            if name and values.get("type") != "file" and name != "csrfmiddlewaretoken":
                self.forms[-1]["fields"].append(name)


def forms_of(html: str) -> list[dict]:  # type: ignore[type-arg]
    finder = FormFinder()
    finder.feed(html)
    return finder.forms
