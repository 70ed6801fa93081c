"""Reads of the impact app: FactorSets, and the figures of any set of purchase lines.

The totals never loop over lines in Python: the database sums N, N × L, the devices
without a stated lifetime and the devices retired to reuse, grouped by what else the
formulas depend on (product group, condition, country of use), and the method is
applied once per group (method.group_impact). This is exact because the formulas are
linear in N, N × L and n_reuse.

The scopes (a report, an organisation, a group, the Pact) add up the report summaries
(monitoring.ReportSummary: the same sums per report, product group, condition and
country, kept by monitoring in the transaction of every write to lines), a few rows per
report instead of every line; `impact_by` takes lines or summaries alike.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cfit.criteria.caching import criteria_generation
from cfit.criteria.models import ProductGroup
from cfit.dashboards.privacy import is_publishable, protect_table
from cfit.lib.countries import country_name
from cfit.lib.markdown import render_markdown
from cfit.organisations.models import Organisation

from . import method
from .factorsets import equivalences_of, factors_of
from .indicators import NAMES
from .models import FactorSet, Scenario, StoredReportImpact

# What `impact_by` can group by, and the PurchaseLine field behind each key.
KEYS: dict[str, str] = {
    "product_group": "product_group_id",  # given back as the product group's code
    "condition": "condition",
    "year": "report__year",
    "organisation": "report__organisation_id",
    "country": "country_of_use",
    "report": "report_id",
}
# What the formulas depend on besides sums: the lines are always grouped by these.
# The lifetime is not among them: the formulas are linear in N × L, so the database
# sums N × L instead (one sort key less, which matters on SQLite).
# Country first: SQLite then scans the table rather than walking the lines' index on
# product group in order with a lookup per line (about twice as slow).
_FORMULA_FIELDS = ("country_of_use", "condition", "product_group_id")
REUSE = "reuse"  # monitoring.RetiredTo.REUSE
# The indicators as shown: (key, label, unit), from the one vocabulary.
INDICATORS = [(i.key, i.name, i.unit) for i in NAMES]


# A report's figures are kept this long after they were last computed.
REPORT_IMPACT_SECONDS = 24 * 60 * 60

# The methodology's text: a page of the project, versioned with the calculation.
METHODOLOGY_FILE = Path(settings.BASE_DIR) / "docs" / "methodology.md"


@functools.cache
def methodology_html(language: str) -> str:
    """docs/methodology.md as HTML; docs/methodology.<language>.md where it exists."""
    translated = METHODOLOGY_FILE.with_suffix(f".{language}.md")
    path = translated if translated.exists() else METHODOLOGY_FILE
    return render_markdown(path.read_text(encoding="utf-8"))


def current_factorset() -> FactorSet | None:
    return FactorSet.objects.current()


def factorset_history() -> QuerySet[FactorSet]:
    return FactorSet.objects.select_related("made_current_by").order_by(
        "-created_at", "-pk"
    )


@dataclass(frozen=True)
class ImpactGroup:
    """The figures of the lines that share one value of each key asked for.

    `key` maps each key name to its value: product_group -> code, condition -> code,
    year -> int, organisation -> organisation pk, country -> alpha-2 code.
    """

    key: dict[str, Any]
    impact: method.Impact
    label: str = ""


@dataclass(frozen=True)
class ShownEquivalence:
    label: str
    unit: str
    value: float
    source: str


@dataclass(frozen=True)
class ImpactResult:
    """Totals and groups of a set of lines, and the FactorSet that made them."""

    factorset: str  # the FactorSet's version, shown beside every figure
    factorset_id: int | None
    total: method.Impact
    groups: list[ImpactGroup] = field(default_factory=list)
    # Devices of product groups the FactorSet has no factors for: counted, not computed.
    devices_without_factors: int = 0
    equivalences: list[ShownEquivalence] = field(default_factory=list)

    @property
    def indicators(self) -> list[tuple[str, Any, str]]:
        return INDICATORS

    @property
    def is_empty(self) -> bool:
        return self.total.devices == 0 and self.devices_without_factors == 0


def _labels(
    keys: Sequence[str], groups: Iterable[dict[str, Any]]
) -> dict[str, dict[Any, str]]:
    """Human names of key values, fetched once per key."""
    rows = list(groups)
    names: dict[str, dict[Any, str]] = {}
    if "product_group" in keys:
        names["product_group"] = dict(ProductGroup.objects.values_list("code", "name"))
    if "organisation" in keys:
        names["organisation"] = dict(
            Organisation.objects.filter(
                pk__in={row["organisation"] for row in rows}
            ).values_list("pk", "name")
        )
    if "condition" in keys:
        from cfit.monitoring.models import Condition

        names["condition"] = {c.value: str(c.label) for c in Condition}
    if "country" in keys:
        names["country"] = {
            row["country"]: country_name(row["country"]) for row in rows
        }
    return names


def _sums_of(model: type[Any]) -> dict[str, Any]:
    """The sums the formulas need, from lines or from report summaries."""
    from cfit.monitoring.models import ReportSummary

    # Prefixed: a summary has fields named like the sums.
    if issubclass(model, ReportSummary):
        return {
            "sum_devices": Sum("devices"),
            "sum_device_years": Sum("device_years", output_field=FloatField()),
            "sum_lifetime_unknown": Sum("devices_lifetime_unknown"),
            "sum_reused": Sum("devices_reused"),
        }
    return {
        "sum_devices": Sum("quantity"),
        "sum_device_years": Sum(
            F("quantity") * F("expected_lifetime_years"), output_field=FloatField()
        ),
        "sum_lifetime_unknown": Sum(
            "quantity", filter=Q(expected_lifetime_years__isnull=True)
        ),
        "sum_reused": Sum("devices_retired", filter=Q(retired_to=REUSE)),
    }


def impact_by(
    lines: QuerySet[Any],
    *,
    keys: Sequence[str] = (),
    factorset: FactorSet | None = None,
) -> ImpactResult:
    """Footprint, baseline, saving and enabled saving per indicator of PurchaseLines.

    `lines` is any PurchaseLine or ReportSummary queryset (already filtered for who
    may see what; the summaries give the same figures, much faster, and have the
    same field names for every key);
    `keys` any of "product_group", "condition", "year", "organisation", "country",
    "report" (report pk):
    the result has one ImpactGroup per combination found (sorted by key), and the total.
    `factorset` defaults to the current one; figures say which version made them.
    One SQL query for the lines, a few small ones for the factors; never boaviztapi.
    """
    unknown = [k for k in keys if k not in KEYS]
    if unknown:
        raise ValueError(f"Cannot group impact by {', '.join(unknown)}.")
    factorset = factorset or current_factorset()
    if factorset is None:
        return ImpactResult(factorset="", factorset_id=None, total=method.Impact())
    key_fields = [KEYS[k] for k in keys]
    fields = list(dict.fromkeys([*_FORMULA_FIELDS, *key_fields]))
    rows = lines.order_by().values(*fields).annotate(**_sums_of(lines.model))
    return _impact_of_rows(rows, keys=keys, factorset=factorset)


def impact_of_sums(
    rows: Iterable[dict[str, Any]], *, keys: Sequence[str] = ()
) -> ImpactResult:
    """`impact_by` for sums already made, with the current FactorSet: one dict per group
    of the formula fields and the `keys`' fields (see KEYS), with sum_devices,
    sum_device_years, sum_lifetime_unknown and sum_reused (the dashboards keep the
    Pact's sums so, up to date by difference)."""
    factorset = current_factorset()
    if factorset is None:
        return ImpactResult(factorset="", factorset_id=None, total=method.Impact())
    return _impact_of_rows(rows, keys=keys, factorset=factorset)


def _impact_of_rows(
    rows: Iterable[dict[str, Any]], *, keys: Sequence[str], factorset: FactorSet
) -> ImpactResult:
    factors = factors_of(factorset)
    key_fields = [KEYS[k] for k in keys]
    codes = dict(ProductGroup.objects.values_list("pk", "code"))
    total = method.Impact()
    grouped: dict[tuple[Any, ...], method.Impact] = {}
    without_factors = 0
    for row in rows:
        code = codes[row["product_group_id"]]
        if code not in factors.products:
            without_factors += row["sum_devices"] or 0
            continue
        impact = method.group_impact(
            method.LineGroup(
                product_group=code,
                condition=row["condition"],
                country_of_use=row["country_of_use"],
                devices=row["sum_devices"] or 0,
                device_years=float(row["sum_device_years"] or 0),
                devices_lifetime_unknown=row["sum_lifetime_unknown"] or 0,
                devices_to_reuse=row["sum_reused"] or 0,
            ),
            factors,
        )
        total = total + impact
        if keys:
            key = tuple(
                codes[row[f]] if f == "product_group_id" else row[f] for f in key_fields
            )
            grouped[key] = grouped.get(key, method.Impact()) + impact
    group_keys = [dict(zip(keys, key, strict=True)) for key in sorted(grouped, key=str)]
    labels = _labels(keys, group_keys)
    groups = [
        ImpactGroup(
            key=key,
            impact=grouped[tuple(key.values())],
            label=" · ".join(
                str(labels.get(k, {}).get(value, value)) for k, value in key.items()
            ),
        )
        for key in group_keys
    ]
    return ImpactResult(
        factorset=factorset.version,
        factorset_id=factorset.pk,
        total=total,
        groups=groups,
        devices_without_factors=without_factors,
        equivalences=_equivalences(factorset, total),
    )


def organisations_by(
    lines: QuerySet[Any], *, keys: Sequence[str]
) -> tuple[dict[tuple[Any, ...], int], int]:
    """How many distinct organisations each group of `impact_by` covers, and in all."""
    key_fields = [KEYS[k] for k in keys]
    codes = dict(ProductGroup.objects.values_list("pk", "code"))
    per_group = {
        tuple(
            codes[row[f]] if f == "product_group_id" else row[f] for f in key_fields
        ): row["organisations"]
        for row in lines.order_by()
        .values(*key_fields)
        .annotate(organisations=Count("report__organisation", distinct=True))
    }
    total = lines.order_by().values("report__organisation").distinct().count()
    return per_group, total


def protected_impact_by(
    lines: QuerySet[Any],
    *,
    keys: Sequence[str],
    factorset: FactorSet | None = None,
) -> ImpactResult | None:
    """`impact_by` under the publication rule (cfit.dashboards.privacy), or None.

    For anyone outside the organisations: a group covering fewer than three
    organisations is left out, with its companion where the total would give it back;
    the left-out groups are shown added up when that sum covers three. None when the
    lines as a whole cover fewer than three organisations.
    """
    result = impact_by(lines, keys=keys, factorset=factorset)
    per_group, total = organisations_by(lines, keys=keys)
    impacts = {tuple(g.key.values()): g for g in result.groups}
    table = protect_table(
        {key: per_group.get(key, 0) for key in impacts},
        total_organisations=total,
        sizes={key: g.impact.saving.gwp_kg for key, g in impacts.items()},
    )
    if not table.total:
        return None
    shown = set(table.shown)
    groups = [g for key, g in impacts.items() if key in shown]
    if table.hidden and table.merged:
        merged = method.Impact()
        for hidden in table.hidden:
            merged = merged + impacts[hidden].impact  # type: ignore[index]
        groups.append(
            ImpactGroup(
                key={},
                impact=merged,
                label=_("Other (each under three organisations, added up)"),
            )
        )
    return ImpactResult(
        factorset=result.factorset,
        factorset_id=result.factorset_id,
        total=result.total,
        groups=groups,
        # Devices without factors could be one organisation's: not told publicly.
        devices_without_factors=0,
        equivalences=result.equivalences,
    )


def _equivalences(factorset: FactorSet, total: method.Impact) -> list[ShownEquivalence]:
    return [
        ShownEquivalence(
            label=e.label,
            unit=e.unit,
            value=method.equivalent(total.saving.get(e.indicator), e),
            source=e.source,
        )
        for e in equivalences_of(factorset)
    ]


# The scopes where figures are shown --------------------------------------------------


def _lines() -> Any:
    from cfit.monitoring.models import PurchaseLine

    return PurchaseLine.objects.all()


def organisation_lines(organisation: Organisation) -> QuerySet[Any]:
    """All lines of an organisation's reports (drafts too: it is its own view)."""
    return _lines().filter(report__organisation=organisation)


def group_lines(group: Any) -> QuerySet[Any]:
    """A buyer group's lines: its active members' submitted and accepted reports."""
    from cfit.groups.selectors import member_organisations_of

    return (
        _lines()
        .counted()
        .filter(report__organisation__in=member_organisations_of(group))
    )


def pact_lines() -> QuerySet[Any]:
    """The whole Pact's lines: every submitted and accepted report."""
    return _lines().counted()


def _summaries() -> Any:
    from cfit.monitoring.models import ReportSummary

    return ReportSummary.objects.all()


def organisation_summaries(organisation: Organisation) -> QuerySet[Any]:
    """The report summaries of `organisation_lines`: what its figures add up."""
    return _summaries().filter(report__organisation=organisation)


def group_summaries(group: Any) -> QuerySet[Any]:
    """The report summaries of `group_lines`."""
    from cfit.groups.selectors import member_organisations_of

    return (
        _summaries()
        .counted()
        .filter(report__organisation__in=member_organisations_of(group))
    )


def pact_summaries() -> QuerySet[Any]:
    """The report summaries of `pact_lines`: every submitted and accepted report."""
    return _summaries().counted()


def pact_organisation_count() -> int:
    from cfit.monitoring.models import PurchaseReport

    return (
        PurchaseReport.objects.counted()
        .filter(summaries__isnull=False)
        .values("organisation")
        .distinct()
        .count()
    )


def report_impact(
    report: Any,
    *,
    factorset: FactorSet | None = None,
    criteria_base: str | None = None,
) -> ImpactResult:
    """A purchase report's figures per product group and condition (for its panel).

    Cached by the report's `version` (monitoring's services raise it with every change
    to the report or its lines) and the FactorSet: a locked FactorSet never changes.
    The labels are names of product groups and conditions: the language and the
    criteria base's generation are in the key too (`criteria_base`: when the page has
    read it already).
    """
    factorset = factorset or current_factorset()

    def build() -> ImpactResult:
        return impact_by(
            _summaries().filter(report=report),
            keys=["product_group", "condition"],
            factorset=factorset,
        )

    if factorset is None or not factorset.is_locked:
        return build()
    key = (
        f"impact:report:{report.pk}:{report.version}:{factorset.pk}:"
        f"{get_language()}:{criteria_base or criteria_generation()}"
    )
    result = cache.get(key)
    if result is None:
        result = build()
        cache.set(key, result, REPORT_IMPACT_SECONDS)
    return result


def organisation_impact(
    organisation: Organisation, *, year: int | None = None
) -> ImpactResult:
    """An organisation's figures per product group and condition (for its panel)."""
    summaries = organisation_summaries(organisation)
    if year is not None:
        summaries = summaries.filter(report__year=year)
    return impact_by(summaries, keys=["product_group", "condition"])


def group_impact(group: Any) -> ImpactResult:
    """A buyer group's figures per product group and condition (for its panel)."""
    return impact_by(group_summaries(group), keys=["product_group", "condition"])


def pact_impact() -> ImpactResult | None:
    """The Pact's public figures per product group and condition (for its panel).

    Under the publication rule: None while fewer than three organisations report.
    """
    return protected_impact_by(pact_summaries(), keys=["product_group", "condition"])


def line_figures(line: Any, factors: method.Factors) -> method.Impact | None:
    """One line's figures, to show beside it; None if its group has no factors."""
    if line.product_group.code not in factors.products:
        return None
    lifetime = line.expected_lifetime_years
    return method.line_impact(
        method.Line(
            product_group=line.product_group.code,
            quantity=line.quantity,
            condition=line.condition,
            expected_lifetime_years=None if lifetime is None else float(lifetime),
            country_of_use=line.country_of_use,
            devices_to_reuse=line.devices_retired if line.retired_to == REUSE else 0,
            warranty_years=None
            if line.warranty_years is None
            else float(line.warranty_years),
        ),
        factors,
    )


@dataclass(frozen=True)
class FactorDifference:
    what: str
    current: str
    candidate: str


def factor_differences(
    current: FactorSet | None, candidate: FactorSet
) -> list[FactorDifference]:
    """Every factor whose value differs between two FactorSets, for the secretariat."""
    from .factorsets import factorset_data

    new = factorset_data(candidate)
    old = factorset_data(current) if current else {}

    def flat(data: dict[str, Any]) -> dict[str, str]:
        values: dict[str, str] = {}
        for p in data.get("products", []):
            for name, value in p.items():
                if name not in ("product_group", "sources"):
                    values[f"{p['product_group']}: {name}"] = str(value)
        for c in data.get("conditions", []):
            values[f"r({c['condition']})"] = c["burden"]
        for e in data.get("electricity", []):
            values[f"electricity {e['zone']}"] = e["kg_co2e_per_kwh"]
        for q in data.get("equivalences", []):
            values[f"equivalence {q['code']}"] = q["amount_per_unit"]
        values["countries using the European average"] = ", ".join(
            data.get("eu_average_countries", [])
        )
        return values

    before, after = flat(old), flat(new)
    return [
        FactorDifference(what, before.get(what, "–"), after.get(what, "–"))
        for what in sorted(set(before) | set(after))
        if before.get(what) != after.get(what)
    ]


# Stored figures, per FactorSet version ----------------------------------------------


def stored_totals(
    factorset: FactorSet, *, public: bool = True
) -> tuple[int, method.Impact]:
    """(reports, summed figures) stored for a FactorSet by its last recomputation.

    Counted reports only. When `public`, under the publication rule: (0, nothing)
    while they cover fewer than three organisations.
    """
    from cfit.monitoring.models import PurchaseReport

    stored_reports = StoredReportImpact.objects.filter(
        factorset=factorset, report__in=PurchaseReport.objects.counted()
    )
    organisations = stored_reports.values("report__organisation").distinct().count()
    if public and not is_publishable(organisations):
        return 0, method.Impact()
    total = method.Impact()
    count = 0
    for stored in stored_reports.only(
        "devices", "figures", "devices_lifetime_assumed", "devices_country_fallback"
    ):
        count += 1
        total = total + method.Impact(
            devices=stored.devices,
            footprint=method.Figures.from_dict(stored.figures["footprint"]),
            baseline=method.Figures.from_dict(stored.figures["baseline"]),
            saving=method.Figures.from_dict(stored.figures["saving"]),
            enabled=method.Figures.from_dict(stored.figures["enabled"]),
            devices_lifetime_assumed=stored.devices_lifetime_assumed,
            devices_country_fallback=stored.devices_country_fallback,
        )
    return count, total


def scenarios_of(organisation: Organisation) -> QuerySet[Scenario]:
    return Scenario.objects.filter(organisation=organisation).prefetch_related(
        "options__product_group"
    )
