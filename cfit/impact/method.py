"""The calculation of effects, version 1: plain Python, no ORM, no request.

For a purchase line of N devices of product group p, condition c, expected lifetime L
years, used in country k, and for each indicator i:

- embodied footprint  = N × F_i(p) × r(c)
- use footprint       = N × U(p, k) × L                      (greenhouse gases only)
- baseline footprint  = N × F_i(p) × L / L0(p) + use footprint
- saving              = baseline − footprint = N × F_i(p) × (L / L0(p) − r(c))
- enabled (by reuse)  = n_reuse × F_i(p) × (L2(p) / L0(p) − r(refurbished))

U(p, k) = yearly energy of p × electricity factor of k. Every factor comes from a
`Factors` value (built from a stored FactorSet): nothing here is a hard-coded number of
the method. The formulas are linear in N and in n_reuse, so a group of identical lines
can be computed at once from the sums of N, N × L and n_reuse (see LineGroup).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GWP = "gwp_kg"
ADPE = "adpe_kg_sb"
MIPS = "mips_kg"
MASS = "mass_kg"
INDICATORS: tuple[str, ...] = (GWP, ADPE, MIPS, MASS)

NEW = "new"
REFURBISHED = "refurbished"
REMANUFACTURED = "remanufactured"
REUSED = "reused"
CONDITIONS: tuple[str, ...] = (NEW, REFURBISHED, REMANUFACTURED, REUSED)

EU_AVERAGE = "EEE"
WORLD_AVERAGE = "WOR"

# Why a figure is less certain than it looks: shown beside the figure.
FLAG_LIFETIME_ASSUMED = "lifetime_assumed"
FLAG_COUNTRY_FALLBACK = "country_factor_fallback"
FLAG_NEGATIVE_SAVING = "negative_saving"


class MethodError(ValueError):
    """A line that the method cannot compute with the given factors."""


@dataclass(frozen=True)
class Figures:
    """One value per indicator: kg CO2e, kg Sb eq, kg of material input, kg of device."""

    gwp_kg: float = 0.0
    adpe_kg_sb: float = 0.0
    mips_kg: float = 0.0
    mass_kg: float = 0.0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            gwp_kg=self.gwp_kg + other.gwp_kg,
            adpe_kg_sb=self.adpe_kg_sb + other.adpe_kg_sb,
            mips_kg=self.mips_kg + other.mips_kg,
            mass_kg=self.mass_kg + other.mass_kg,
        )

    def __sub__(self, other: Figures) -> Figures:
        return Figures(
            gwp_kg=self.gwp_kg - other.gwp_kg,
            adpe_kg_sb=self.adpe_kg_sb - other.adpe_kg_sb,
            mips_kg=self.mips_kg - other.mips_kg,
            mass_kg=self.mass_kg - other.mass_kg,
        )

    def scaled(self, factor: float) -> Figures:
        return Figures(
            gwp_kg=self.gwp_kg * factor,
            adpe_kg_sb=self.adpe_kg_sb * factor,
            mips_kg=self.mips_kg * factor,
            mass_kg=self.mass_kg * factor,
        )

    def get(self, indicator: str) -> float:
        if indicator not in INDICATORS:
            raise KeyError(indicator)
        value: float = getattr(self, indicator)
        return value

    def as_dict(self) -> dict[str, float]:
        return {indicator: self.get(indicator) for indicator in INDICATORS}

    @classmethod
    def from_dict(cls, values: Mapping[str, float]) -> Figures:
        return cls(**{indicator: float(values[indicator]) for indicator in INDICATORS})


@dataclass(frozen=True)
class ProductFactors:
    """The factors of one product group in a FactorSet."""

    product_group: str
    embodied: Figures  # F_i(p): one new device's embodied impact, and its mass
    yearly_energy_kwh: float  # to turn an electricity factor into U(p, k)
    baseline_lifetime_years: float  # L0(p)
    second_life_years: float  # L2(p): how long a device that leaves for reuse serves


@dataclass(frozen=True)
class Factors:
    """Everything the method needs, from one FactorSet version."""

    version: str
    products: Mapping[str, ProductFactors]
    burden: Mapping[str, float]  # r(c): share of a new device's embodied impact
    electricity: Mapping[str, float]  # kg CO2e per kWh, by alpha-2 code, EEE and WOR
    # The countries that fall back on the European average (EEE) when they have no
    # factor of their own; any other country falls back on the world average (WOR).
    # Part of the FactorSet's data, so that editing it never changes old figures.
    eu_average_countries: frozenset[str] = frozenset()

    def product(self, product_group: str) -> ProductFactors:
        try:
            return self.products[product_group]
        except KeyError:
            raise MethodError(
                f"FactorSet {self.version} has no factors for product group "
                f"{product_group!r}."
            ) from None

    def burden_of(self, condition: str) -> float:
        try:
            return self.burden[condition]
        except KeyError:
            raise MethodError(f"Unknown condition {condition!r}.") from None

    def electricity_of(self, country: str) -> tuple[float, str, bool]:
        """(kg CO2e per kWh, zone used, whether it is a fallback) for a country of use."""
        code = country.strip().upper()
        if code in self.electricity and code not in (EU_AVERAGE, WORLD_AVERAGE):
            return self.electricity[code], code, False
        zone = EU_AVERAGE if code in self.eu_average_countries else WORLD_AVERAGE
        if zone not in self.electricity:
            raise MethodError(
                f"FactorSet {self.version} has no electricity factor for {zone}."
            )
        return self.electricity[zone], zone, True


@dataclass(frozen=True)
class Line:
    """What the method needs to know about a purchase line (or a group of equal ones)."""

    product_group: str
    quantity: int
    condition: str
    expected_lifetime_years: float | None
    country_of_use: str
    devices_to_reuse: int = 0  # devices this purchase replaces that left for reuse
    # Kept so that callers can pass it; a warranty longer than L never raises L.
    warranty_years: float | None = None


@dataclass(frozen=True)
class Impact:
    """The figures of one line, or the sum of several."""

    devices: int = 0
    footprint: Figures = field(default_factory=Figures)
    baseline: Figures = field(default_factory=Figures)
    saving: Figures = field(default_factory=Figures)
    enabled: Figures = field(default_factory=Figures)
    use_gwp_kg: float = 0.0  # the use-phase part of footprint and baseline
    devices_lifetime_assumed: int = 0
    devices_country_fallback: int = 0
    flags: tuple[str, ...] = ()

    def __add__(self, other: Impact) -> Impact:
        flags = tuple(dict.fromkeys(self.flags + other.flags))
        return Impact(
            devices=self.devices + other.devices,
            footprint=self.footprint + other.footprint,
            baseline=self.baseline + other.baseline,
            saving=self.saving + other.saving,
            enabled=self.enabled + other.enabled,
            use_gwp_kg=self.use_gwp_kg + other.use_gwp_kg,
            devices_lifetime_assumed=self.devices_lifetime_assumed
            + other.devices_lifetime_assumed,
            devices_country_fallback=self.devices_country_fallback
            + other.devices_country_fallback,
            flags=flags,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "devices": self.devices,
            "footprint": self.footprint.as_dict(),
            "baseline": self.baseline.as_dict(),
            "saving": self.saving.as_dict(),
            "enabled": self.enabled.as_dict(),
        }


def lifetime_used(line: Line, product: ProductFactors) -> tuple[float, bool]:
    """(L, assumed): the stated lifetime, or the baseline L0 when none is stated."""
    if line.expected_lifetime_years is None:
        return product.baseline_lifetime_years, True
    lifetime = float(line.expected_lifetime_years)
    if lifetime <= 0:
        raise MethodError("An expected lifetime must be more than zero years.")
    return lifetime, False


@dataclass(frozen=True)
class LineGroup:
    """Lines that share product group, condition and country, summed.

    The formulas are linear in N and in N × L, so a group needs only these sums: the
    database computes them for any number of lines (selectors.py).
    """

    product_group: str
    condition: str
    country_of_use: str
    devices: int  # Σ N
    device_years: float  # Σ N × L over the lines that state L
    devices_lifetime_unknown: int = 0  # Σ N over the lines without L: L0 is assumed
    devices_to_reuse: int = 0  # Σ n_reuse


def line_impact(line: Line, factors: Factors) -> Impact:
    """The footprint, baseline, saving and enabled saving of one purchase line."""
    product = factors.product(line.product_group)
    lifetime, assumed = lifetime_used(line, product)
    return group_impact(
        LineGroup(
            product_group=line.product_group,
            condition=line.condition,
            country_of_use=line.country_of_use,
            devices=line.quantity,
            device_years=0.0 if assumed else line.quantity * lifetime,
            devices_lifetime_unknown=line.quantity if assumed else 0,
            devices_to_reuse=line.devices_to_reuse,
        ),
        factors,
    )


def group_impact(group: LineGroup, factors: Factors) -> Impact:
    """The figures of a group of lines, from their sums (see LineGroup)."""
    if min(group.devices, group.devices_lifetime_unknown, group.devices_to_reuse) < 0:
        raise MethodError("Quantities cannot be negative.")
    product = factors.product(group.product_group)
    burden = factors.burden_of(group.condition)
    grid, _zone, fallback = factors.electricity_of(group.country_of_use)

    n = group.devices
    # Σ N × L, with L0 for the devices whose lifetime is not stated.
    device_years = (
        group.device_years
        + group.devices_lifetime_unknown * product.baseline_lifetime_years
    )
    per_device = product.embodied
    use_gwp = product.yearly_energy_kwh * grid * device_years
    use = Figures(gwp_kg=use_gwp)
    footprint = per_device.scaled(n * burden) + use
    replaced = device_years / product.baseline_lifetime_years  # new devices avoided
    baseline = per_device.scaled(replaced) + use
    # Computed from the formula rather than as baseline − footprint, so that the use
    # phase, equal on both sides, leaves no rounding trace in the saving.
    saving = per_device.scaled(replaced - n * burden)
    second_life = (
        product.second_life_years / product.baseline_lifetime_years
        - factors.burden_of(REFURBISHED)
    )
    enabled = per_device.scaled(group.devices_to_reuse * second_life)

    flags: list[str] = []
    if group.devices_lifetime_unknown:
        flags.append(FLAG_LIFETIME_ASSUMED)
    if fallback:
        flags.append(FLAG_COUNTRY_FALLBACK)
    if saving.gwp_kg < 0:
        flags.append(FLAG_NEGATIVE_SAVING)
    return Impact(
        devices=n,
        footprint=footprint,
        baseline=baseline,
        saving=saving,
        enabled=enabled,
        use_gwp_kg=use_gwp,
        devices_lifetime_assumed=group.devices_lifetime_unknown,
        devices_country_fallback=n if fallback else 0,
        flags=tuple(flags),
    )


def total_impact(lines: Iterable[Line], factors: Factors) -> Impact:
    """The sum of the lines' figures (for a handful of lines; use SQL sums for many)."""
    total = Impact()
    for line in lines:
        total = total + line_impact(line, factors)
    return total


@dataclass(frozen=True)
class Equivalence:
    """A headline figure in words people picture, e.g. kilometres by car."""

    code: str
    indicator: str
    amount_per_unit: float  # how much of the indicator one unit stands for
    unit: str
    label: str
    source: str


def equivalent(value: float, equivalence: Equivalence) -> float:
    """How many units of the equivalence a value of its indicator amounts to."""
    if equivalence.amount_per_unit <= 0:
        raise MethodError("An equivalence needs a positive amount per unit.")
    return value / equivalence.amount_per_unit


def saving_against(
    *,
    baseline: Impact,
    baseline_device_years: float,
    scenario: Impact,
    device_years: float,
) -> Figures:
    """What a scenario saves against another one taken as the common baseline.

    Scenarios may buy different numbers of devices kept for different lifetimes: the
    baseline is scaled to the scenario's service (devices × years of use), so that
    keeping devices longer shows as buying fewer of them. Zero for the baseline itself.
    """
    if baseline_device_years <= 0:
        raise MethodError("The baseline scenario needs devices and a lifetime.")
    scaled = baseline.footprint.scaled(device_years / baseline_device_years)
    return scaled - scenario.footprint


def scenario_lines(
    *,
    product_group: str,
    quantity: int,
    share_refurbished_percent: float,
    lifetime_years: float,
    country_of_use: str,
) -> list[Line]:
    """A planned purchase as lines: the refurbished share and the rest new."""
    if not 0 <= share_refurbished_percent <= 100:
        raise MethodError("The share refurbished is a percentage from 0 to 100.")
    refurbished = round(quantity * share_refurbished_percent / 100)
    lines = [
        Line(
            product_group=product_group,
            quantity=count,
            condition=condition,
            expected_lifetime_years=lifetime_years,
            country_of_use=country_of_use,
        )
        for condition, count in (
            (NEW, quantity - refurbished),
            (REFURBISHED, refurbished),
        )
        if count
    ]
    return lines
