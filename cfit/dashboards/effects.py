"""The effects (carbon, raw materials) for the dashboards, asked of the impact app.

There is one calculation: the impact app's selector sums the lines in SQL by the keys
its formulas need and applies the current FactorSet. This module only groups its
answer by year and picks the indicators the dashboards show.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cfit.impact import method
from cfit.impact.indicators import name_of

from .forms import Filters
from .privacy import is_publishable
from .selectors import Scope, counted_summaries


@dataclass(frozen=True)
class Indicator:
    key: str  # the impact method's indicator name
    label: "str | Promise"
    unit: "str | Promise"
    scale: float  # from the method's kilograms to the unit shown
    decimals: int


SHOWN_INDICATORS = [
    Indicator(method.GWP, name_of(method.GWP), _("tonnes CO2e"), 0.001, 1),
    Indicator(method.ADPE, name_of(method.ADPE), _("kg Sb eq"), 1.0, 3),
]


@dataclass
class YearlyEffects:
    factorset: str  # version of the FactorSet used, shown with every figure
    years: list[int]
    # year -> block ("footprint", "baseline", "saving", "enabled") -> indicator -> kg
    values: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)

    def _get(self, year: int, block: str, indicator: str) -> float:
        scale = next(i.scale for i in SHOWN_INDICATORS if i.key == indicator)
        decimals = next(i.decimals for i in SHOWN_INDICATORS if i.key == indicator)
        raw = self.values.get(year, {}).get(block, {}).get(indicator, 0.0)
        return round(raw * scale, decimals)

    def footprint(self, year: int, indicator: str) -> float:
        return self._get(year, "footprint", indicator)

    def baseline(self, year: int, indicator: str) -> float:
        return self._get(year, "baseline", indicator)

    def saving(self, year: int, indicator: str) -> float:
        return self._get(year, "saving", indicator)

    def enabled(self, year: int, indicator: str) -> float:
        return self._get(year, "enabled", indicator)


def by_year(scope: Scope, filters: Filters) -> YearlyEffects:
    from cfit.impact import selectors as impact

    result = impact.impact_by(counted_summaries(scope, filters), keys=["year"])
    effects = YearlyEffects(factorset=result.factorset, years=[])
    for group in result.groups:
        year = int(group.key["year"])
        effects.years.append(year)
        effects.values[year] = {
            "footprint": group.impact.footprint.as_dict(),
            "baseline": group.impact.baseline.as_dict(),
            "saving": group.impact.saving.as_dict(),
            "enabled": group.impact.enabled.as_dict(),
        }
    effects.years.sort()
    return effects


def headlines(
    impact: YearlyEffects, year_organisations: Mapping[object, int], *, protect: bool
) -> list:
    from .panels import Headline

    years = [
        y
        for y in impact.years
        if not protect or is_publishable(year_organisations.get(y, 0))
    ]
    return [
        Headline(
            _("%(what)s saved") % {"what": indicator.label},
            round(
                sum(impact.saving(y, indicator.key) for y in years), indicator.decimals
            ),
            str(indicator.unit),
            indicator.decimals,
        )
        for indicator in SHOWN_INDICATORS
    ]
