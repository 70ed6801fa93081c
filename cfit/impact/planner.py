"""The scenario planner's figures: each scenario against one common baseline, and a
chart with labelled axes and values.

The first scenario is the common baseline ("what we would buy anyway"): every other
scenario is compared with it, scaled to the same years of use, so that a scenario that
only keeps devices longer shows what it saves (method.saving_against).
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import method


@dataclass(frozen=True)
class ScenarioResult:
    label: str
    product_group: str
    quantity: int
    share_refurbished_percent: int
    lifetime_years: float
    country: str
    impact: method.Impact
    # Against the first scenario, the common baseline: zero for the first itself.
    compared: method.Figures = method.Figures()

    @property
    def device_years(self) -> float:
        return self.quantity * self.lifetime_years


def scenario_result(
    *,
    label: str,
    product_group: str,
    product_group_name: str,
    quantity: int,
    share_refurbished_percent: int,
    lifetime_years: float,
    country: str,
    factors: method.Factors,
) -> ScenarioResult:
    lines = method.scenario_lines(
        product_group=product_group,
        quantity=quantity,
        share_refurbished_percent=share_refurbished_percent,
        lifetime_years=lifetime_years,
        country_of_use=country,
    )
    return ScenarioResult(
        label=label,
        product_group=product_group_name,
        quantity=quantity,
        share_refurbished_percent=share_refurbished_percent,
        lifetime_years=lifetime_years,
        country=country,
        impact=method.total_impact(lines, factors),
    )


def compared_with_first(results: list[ScenarioResult]) -> list[ScenarioResult]:
    """The results, each with its saving against the first scenario."""
    if not results:
        return []
    first = results[0]
    return [
        ScenarioResult(
            **{
                **result.__dict__,
                "compared": method.saving_against(
                    baseline=first.impact,
                    baseline_device_years=first.device_years,
                    scenario=result.impact,
                    device_years=result.device_years,
                ),
            }
        )
        for result in results
    ]


# The chart ---------------------------------------------------------------------------

LEFT = 90.0  # room for the values of the vertical axis and its title
TOP = 30.0
PLOT_HEIGHT = 220.0
GROUP_WIDTH = 170.0
BAR_WIDTH = 56.0


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    height: float
    kind: str

    @property
    def centre(self) -> float:
        return self.x + BAR_WIDTH / 2

    @property
    def value_y(self) -> float:
        """Where the value is written: above a bar going up, below one going down."""
        return self.y - 6 if self.value >= 0 else self.y + self.height + 16


@dataclass(frozen=True)
class Tick:
    value: float
    y: float


@dataclass(frozen=True)
class ScenarioBars:
    label: str
    centre: float
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    left: float
    zero_y: float
    bottom: float
    ticks: list[Tick]
    groups: list[ScenarioBars]
    y_title: str
    x_title: str


def _step(span: float) -> float:
    """A round step giving four to eight ticks over `span`."""
    raw = span / 5 or 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def chart(results: list[ScenarioResult]) -> Chart:
    """Footprint and saving against the first scenario (kg CO2e) of every scenario."""
    values = [
        v for r in results for v in (r.impact.footprint.gwp_kg, r.compared.gwp_kg)
    ]
    low, high = min([0.0, *values]), max([0.0, *values])
    step = _step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    high = high if high > low else low + step

    def y_of(value: float) -> float:
        return TOP + (high - value) / (high - low) * PLOT_HEIGHT

    ticks = [
        Tick(low + i * step, y_of(low + i * step))
        for i in range(1 + round((high - low) / step))
    ]
    zero_y = y_of(0.0)
    groups = []
    for index, result in enumerate(results):
        x = LEFT + 20 + index * GROUP_WIDTH
        bars = []
        for offset, (label, value, kind) in enumerate(
            [
                (_("Footprint"), result.impact.footprint.gwp_kg, "footprint"),
                (_("Saving against the first"), result.compared.gwp_kg, "saving"),
            ]
        ):
            top = y_of(max(value, 0.0))
            bars.append(
                Bar(
                    label=label,
                    value=value,
                    x=x + offset * (BAR_WIDTH + 8),
                    y=top,
                    height=abs(y_of(value) - zero_y),
                    kind=kind,
                )
            )
        groups.append(ScenarioBars(result.label, x + BAR_WIDTH + 4, bars))
    return Chart(
        width=LEFT + 40 + GROUP_WIDTH * max(1, len(results)),
        height=TOP + PLOT_HEIGHT + 60,
        left=LEFT,
        zero_y=zero_y,
        bottom=TOP + PLOT_HEIGHT,
        ticks=ticks,
        groups=groups,
        y_title=_("Greenhouse gases (kg CO2e)"),
        x_title=_("Scenario"),
    )
