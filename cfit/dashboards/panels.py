"""A dashboard's content for one scope: headline numbers, figures and their tables.

The same builder serves the public (cells of fewer than three organisations hidden),
an organisation (its own figures in full), a buyer group and the secretariat.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cfit.criteria.models import CriterionLevel
from cfit.lib.countries import country_name
from cfit.monitoring.models import Condition

from . import effects, selectors
from .figures import Figure, Series, figure_from_groups
from .forms import Filters
from .privacy import (
    MINIMUM_ORGANISATIONS,
    Cell,
    ProtectedGroup,
    is_publishable,
    protect_cells,
)
from .selectors import Scope, Totals


@dataclass(frozen=True)
class Headline:
    label: str
    value: float | None
    unit: str
    decimals: int = 0
    # One sentence saying how the figure is counted, shown beside it.
    explanation: str = ""


@dataclass
class Dashboard:
    scope: Scope
    filters: Filters
    protected: bool
    totals: Totals | None  # None: too few organisations to show even the total
    headlines: list[Headline]
    figures: list[Figure]
    factorset: str
    notes: list[str] = field(default_factory=list)

    def figure(self, slug: str) -> Figure:
        return next(f for f in self.figures if f.slug == slug)


def _groups(
    rows: list[tuple[tuple, Totals]],
    *,
    protect: bool,
    group_organisations: Mapping[object, int] | None = None,
) -> list[ProtectedGroup]:
    cells = [
        Cell(
            group=key[0],
            key=key[1] if len(key) > 1 else "all",
            organisations=t.organisations,
            values=t.as_values()
            | {"lifetime_device_years": float(t.lifetime_device_years)},
        )
        for key, t in rows
    ]
    minimum = MINIMUM_ORGANISATIONS if protect else 0
    return protect_cells(
        cells, minimum=minimum, group_organisations=group_organisations
    )


def _ratio(
    part: str, whole: str, scale: float = 1.0
) -> Callable[[Mapping[str, float]], float | None]:
    def read(values: Mapping[str, float]) -> float | None:
        if not values.get(whole):
            return None
        return round(scale * values[part] / values[whole], 2)

    return read


# The cells of a dashboard's figures: the total, per year, per year and product group,
# per year and condition, per country of use.
GROUPINGS = [
    (),
    ("report__year",),
    ("report__year", "product_group__code"),
    ("report__year", "condition"),
    ("country_of_use",),
]


def build(
    scope: Scope,
    filters: Filters,
    *,
    protect: bool,
    row_link: Callable[[object], str] | None = None,
) -> Dashboard:
    """Every figure of a dashboard, from a handful of grouped queries."""
    product_groups = selectors.product_group_names()
    conditions = [(c.value, str(c.label)) for c in Condition]
    [[(_all, total)], by_year, by_year_and_group, by_year_and_condition, by_country] = (
        selectors.totals_by_many(scope, filters, GROUPINGS)
    )
    year_organisations = {key[0]: t.organisations for key, t in by_year}
    notes: list[str] = []
    show_total = not protect or is_publishable(total.organisations)
    if not show_total and total.organisations:
        notes.append(
            _(
                "These filters leave fewer than three organisations: their figures are "
                "not shown publicly. Widen the filters to see more."
            )
        )

    year_groups = _groups(by_year, protect=protect)
    by_year_group = _groups(
        by_year_and_group,
        protect=protect,
        group_organisations=year_organisations,
    )
    by_year_condition = _groups(
        by_year_and_condition,
        protect=protect,
        group_organisations=year_organisations,
    )
    impact = effects.by_year(scope, filters)
    devices_unit = _("devices")
    figures = [
        figure_from_groups(
            slug="devices-by-product-group",
            title=_("Devices bought per year, by product group (number of devices)"),
            unit=devices_unit,
            label_heading=_("Year"),
            groups=by_year_group,
            keys=product_groups,
            value="devices",
            row_link=row_link,
        ),
        figure_from_groups(
            slug="devices-by-condition",
            title=_(
                "Devices bought per year: new, refurbished or reused (number of devices)"
            ),
            unit=devices_unit,
            label_heading=_("Year"),
            groups=by_year_condition,
            keys=conditions,
            value="devices",
            row_link=row_link,
        ),
        _shares_figure(year_groups, row_link=row_link),
        figure_from_groups(
            slug="average-lifetime",
            title=_("Average expected lifetime per product group (years)"),
            unit=_("years"),
            label_heading=_("Year"),
            groups=by_year_group,
            keys=product_groups,
            value=_ratio("lifetime_device_years", "lifetime_devices"),
            kind="line",
            decimals=1,
            row_link=row_link,
        ),
        *_effects_figures(impact, year_organisations, protect=protect),
        _forecast_figure(scope, filters, product_groups, protect=protect),
        _country_figure(by_country, total.organisations, protect=protect),
    ]
    figures = [
        replace(
            f,
            factorset=impact.factorset,
            computed=f.slug.startswith("saving-"),
            source=_source(f.slug),
        )
        for f in figures
    ]
    headlines = []
    if show_total:
        headlines = [
            Headline(
                _("Devices bought"),
                total.devices,
                ngettext("device", "devices", total.devices or 0),
            ),
            Headline(
                _("Organisations reporting"),
                total.organisations,
                ngettext("organisation", "organisations", total.organisations or 0),
            ),
            Headline(
                _("Refurbished, remanufactured or reused"), total.share_not_new, "%", 1
            ),
            Headline(
                _("Bought with the BASE criteria"),
                total.share_base,
                "%",
                1,
                explanation=_(
                    "A device counts when its purchase line ticks every approved BASE criterion of its product group."
                ),
            ),
            Headline(_("Bought with an ecolabel"), total.share_ecolabel, "%", 1),
            Headline(
                _("Average expected lifetime"), total.average_lifetime, _("years"), 1
            ),
            *effects.headlines(impact, year_organisations, protect=protect),
        ]
    return Dashboard(
        scope=scope,
        filters=filters,
        protected=protect,
        totals=total if show_total else None,
        headlines=headlines,
        figures=figures,
        factorset=impact.factorset,
        notes=notes,
    )


def _shares_figure(
    year_groups: list[ProtectedGroup], *, row_link: Callable[[object], str] | None
) -> Figure:
    labels, rows, links = [], [], []
    for g in year_groups:
        labels.append(str(g.group))
        cell = g.shown[0] if g.shown else None
        rows.append(cell.values if cell else None)
        links.append(row_link(g.group) if row_link else "")
    names = [
        ("share_base", _("With the BASE criteria")),
        ("share_ecolabel", _("With an ecolabel")),
        ("share_not_new", _("Refurbished, remanufactured or reused")),
    ]
    notes = []
    if any(r is None for r in rows):
        notes.append(
            _("Years with fewer than three organisations reporting are not shown.")
        )
    return Figure(
        slug="shares",
        title=_(
            # xgettext:no-python-format ("% of" is words, not a placeholder)
            "Share of devices bought with the BASE criteria, with an ecolabel, or not new (% of devices)"
        ),
        unit="%",
        label_heading=_("Year"),
        labels=labels,
        series=[
            Series(name=name, values=[r[key] if r else None for r in rows])
            for key, name in names
        ],
        kind="line",
        decimals=1,
        notes=notes,
        row_links=links if row_link else [],
    )


def _effects_figures(
    impact: "effects.YearlyEffects",
    year_organisations: Mapping[object, int],
    *,
    protect: bool,
) -> list[Figure]:
    years = [
        y
        for y in impact.years
        if not protect or is_publishable(year_organisations.get(y, 0))
    ]
    hidden = len(years) < len(impact.years)
    figures = []
    for indicator in effects.SHOWN_INDICATORS:
        saving = [impact.saving(y, indicator.key) for y in years]
        cumulative = [
            impact.saved_until(years[: n + 1], indicator.key) for n in range(len(years))
        ]
        figures.append(
            Figure(
                slug=f"saving-{indicator.key}",
                title=_(
                    "%(what)s saved against the baseline, per year and cumulative (%(unit)s)"
                )
                % {"what": indicator.label, "unit": indicator.unit},
                unit=str(indicator.unit),
                label_heading=_("Year"),
                labels=[str(y) for y in years],
                series=[
                    Series(
                        _("Footprint of what was bought"),
                        [impact.footprint(y, indicator.key) for y in years],
                    ),
                    Series(
                        _("Baseline: new devices, baseline lifetime"),
                        [impact.baseline(y, indicator.key) for y in years],
                    ),
                    Series(_("Saved in the year"), saving),
                    Series(_("Saved, cumulative"), cumulative),
                ],
                kind="bar",
                decimals=indicator.decimals,
                notes=[
                    _(
                        "Years with fewer than three organisations reporting are not shown."
                    )
                ]
                if hidden
                else [],
                factorset=impact.factorset,
            )
        )
    return figures


def _forecast_figure(
    scope: Scope,
    filters: Filters,
    product_groups: list[tuple[str, str]],
    *,
    protect: bool,
) -> Figure:
    cells = selectors.forecast_cells(scope, filters)
    levels = {c.value: str(c.label) for c in CriterionLevel}
    names = dict(product_groups)
    groups = protect_cells(
        [
            Cell(
                group=c.year,
                key=(c.product_group, c.level),
                organisations=c.organisations,
                values={"quantity": c.quantity},
            )
            for c in cells
        ],
        minimum=MINIMUM_ORGANISATIONS if protect else 0,
        group_organisations=selectors.forecast_organisations_by_year(scope, filters),
    )
    keys = [
        (
            (code, level),
            _("%(group)s, %(level)s criteria") % {"group": name, "level": label},
        )
        for code, name in names.items()
        for level, label in levels.items()
    ]
    return figure_from_groups(
        slug="demand-forecast",
        title=_(
            "Planned purchases: devices per planned year, product group and intended criteria level (number of devices)"
        ),
        unit=_("devices"),
        label_heading=_("Planned year"),
        groups=groups,
        keys=keys,
        value="quantity",
    )


def _country_figure(
    rows: list[tuple[tuple, Totals]],
    organisations: int,
    *,
    protect: bool,
) -> Figure:
    """Countries ranked by devices bought; small countries merged into one row."""
    [group] = protect_cells(
        [
            Cell(
                group="all",
                key=key[0],
                organisations=t.organisations,
                values={"devices": t.devices, "share_not_new": t.share_not_new or 0.0},
            )
            for key, t in rows
        ]
        or [Cell(group="all", key="", organisations=0, values={})],
        minimum=MINIMUM_ORGANISATIONS if protect else 0,
        group_organisations={"all": organisations},
    )
    shown = sorted(
        (c for c in group.shown if c.key),
        key=lambda c: -c.values["devices"],
    )
    labels = [country_name(str(c.key)) for c in shown]
    devices = [float(c.values["devices"]) for c in shown]
    notes = []
    if group.hidden_keys and any(group.hidden_keys):
        labels.append(_("Other countries (merged)"))
        devices.append(float(group.merged["devices"]) if group.merged else None)  # type: ignore[arg-type]
        notes.append(
            _(
                "Countries where fewer than three organisations bought are added up under “Other countries”, or left out where that sum covers fewer than three."
            )
        )
    return Figure(
        slug="countries",
        title=_("Devices bought per country of use, most first (number of devices)"),
        unit=_("devices"),
        label_heading=_("Country of use"),
        labels=labels,
        series=[Series(_("Devices bought"), devices)] if labels else [],
        kind="hbar",
        notes=notes,
    )


def _source(slug: str) -> str:
    if slug == "demand-forecast":
        return _("Source: the tenders that organisations plan, as they declared them.")
    if slug.startswith("saving-"):
        return _(
            "Source: the submitted and accepted purchase reports, computed with the "
            "method and factors below."
        )
    return _("Source: the submitted and accepted yearly purchase reports.")
