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
from cfit.lib.formatting import rounded

from . import partials
from .forms import Filters
from .privacy import is_publishable
from .selectors import Scope, counted_summaries, kept_sums_of


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
_BY_KEY = {indicator.key: indicator for indicator in SHOWN_INDICATORS}


def in_unit(kilograms: float, indicator: str) -> float:
    """The one rounding rule for an effect shown anywhere: kilograms summed first, then
    scaled to the unit shown and rounded once, half up. Rounding parts and adding them
    (per year, per member) would make one organisation's 292.55 t read 292.6 on its own
    page and 292.5 on its group's.
    """
    shown = _BY_KEY[indicator]
    return float(rounded(kilograms * shown.scale, shown.decimals) or 0)


@dataclass
class YearlyEffects:
    factorset: str  # version of the FactorSet used, shown with every figure
    years: list[int]
    # year -> block ("footprint", "baseline", "saving", "enabled") -> indicator -> kg
    values: dict[int, dict[str, dict[str, float]]] = field(default_factory=dict)

    def kilograms(self, year: int, block: str, indicator: str) -> float:
        """Unrounded, in the method's kilograms: what sums are made of."""
        return self.values.get(year, {}).get(block, {}).get(indicator, 0.0)

    def _get(self, year: int, block: str, indicator: str) -> float:
        return in_unit(self.kilograms(year, block, indicator), indicator)

    def saved_until(self, years: list[int], indicator: str) -> float:
        """What the years saved together, in the unit shown, rounded once."""
        return in_unit(
            sum(self.kilograms(y, "saving", indicator) for y in years), indicator
        )

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

    kept = kept_sums_of(scope, filters)
    if kept is not None:
        # The scope's sums, kept up to date by difference (see partials).
        result = impact.impact_of_sums(partials.impact_rows(*kept), keys=["year"])
    else:
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
            impact.saved_until(years, indicator.key),
            str(indicator.unit),
            indicator.decimals,
        )
        for indicator in SHOWN_INDICATORS
    ]
