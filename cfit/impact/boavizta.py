"""Build the data of a FactorSet from the boaviztapi package (the optional [factors] extra).

Used by `manage.py build_factorset` and by the test that checks the shipped data file;
never at request time. boaviztapi is imported inside the functions: a plain install,
without the extra, never needs it.
"""

from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version as package_version
from typing import Any

from cfit.lib.countries import parse_country

from . import method
from .factorsets import SHIPPED_FILE, read_data

CRITERIA = {"gwp": method.GWP, "adpe": method.ADPE, "mips": method.MIPS}
HOURS_A_YEAR = Decimal("8760")

# Values of method version 1 that boaviztapi does not give (docs/methodology.md).
MASS_KG = {"laptop": "1.65", "smartphone": "0.171"}
MASS_SOURCE = (
    "Median of manufacturer product declarations (452 laptops, 50 smartphones), "
    "Boavizta footprint data set (ODbL)."
)
# boaviztapi's laptop archetype assumes 75 W at 30 % use, about ten times what is
# measured: the measured median is used instead. Other groups use the archetype.
MEASURED_YEARLY_KWH = {"laptop": "18.8"}
MEASURED_SOURCE = (
    "Median measured yearly electricity use of laptops "
    "(the methodology, docs/methodology.md: use phase)."
)
SECOND_LIFE_YEARS = {"laptop": "2", "smartphone": "1.5"}
SECOND_LIFE_SOURCE = (
    "Policy default of method version 1, to be revised by the monitoring working group."
)
CONDITIONS = [
    (method.NEW, "1", "A new device carries its whole embodied impact."),
    (
        method.REMANUFACTURED,
        "0.4",
        "About 60 % saving reported for remanufactured devices (Circularity First).",
    ),
    (
        method.REFURBISHED,
        "0.13",
        "ADEME (2022), study of refurbished products: climate change impact per year "
        "87 % lower than new.",
    ),
    (method.REUSED, "0", "A device reused internally was already counted when new."),
]
EQUIVALENCES = [
    {
        "code": "car-km",
        "indicator": method.GWP,
        "amount_per_unit": "0.108",
        "unit": "km",
        "label": "kilometres driven by an average new European car",
        "source": "European Environment Agency: average CO2 emissions of new passenger "
        "cars registered in Europe, 108 g CO2/km (WLTP, 2022).",
    }
]


class FactorsUnavailable(RuntimeError):
    """boaviztapi is not installed, or lacks what a product group needs."""


@dataclass(frozen=True)
class GroupToBuild:
    code: str
    archetype: str
    baseline_lifetime_years: Decimal


def _number(value: Any) -> str:
    """A number as the shortest exact decimal text, e.g. 181.0 -> "181", 0.0086."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _boaviztapi() -> Any:
    try:
        from boaviztapi.compute.impacts_computation import compute_impacts
        from boaviztapi.data.archetype import get_user_terminal_archetype
        from boaviztapi.data.factor_provider import (
            get_available_countries,
            get_electrical_impact_factor,
        )
        from boaviztapi.dto.device import user_terminal
        from boaviztapi.dto.usage import Usage
    except ImportError as error:
        raise FactorsUnavailable(
            "boaviztapi is not installed: pip install -e '.[factors]'"
        ) from error
    return (
        compute_impacts,
        get_user_terminal_archetype,
        get_available_countries,
        get_electrical_impact_factor,
        user_terminal,
        Usage,
    )


def build_factorset_data(
    *,
    version: str,
    title: str,
    groups: list[GroupToBuild],
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The data of a FactorSet, as stored in cfit/impact/data/factorset-*.json.

    What boaviztapi does not give (device mass, measured electricity, second life,
    the countries that use the European average) is taken from `previous`, the data
    of the FactorSet it follows, for the product groups it has; else from method
    version 1's values above. A product group with neither gets its factors as data
    (`manage.py add_product_factors` or the admin), not here.
    """
    previous_products = {
        p["product_group"]: p for p in (previous or {}).get("products", [])
    }
    eu_average_countries = (previous or read_data(SHIPPED_FILE)).get(
        "eu_average_countries", []
    )
    (
        compute_impacts,
        get_archetype,
        available_countries,
        electrical_factor,
        user_terminal,
        Usage,
    ) = _boaviztapi()
    release = package_version("boaviztapi")
    products = []
    for group in groups:
        archetype = get_archetype(group.archetype)
        if not archetype:
            raise FactorsUnavailable(
                f"boaviztapi {release} has no archetype {group.archetype!r} "
                f"(product group {group.code})."
            )
        earlier = previous_products.get(group.code)
        for needed in (MASS_KG, SECOND_LIFE_YEARS):
            if earlier is None and group.code not in needed:
                raise FactorsUnavailable(
                    f"Product group {group.code} has no device mass or second life "
                    "yet: add its factors with manage.py add_product_factors (or "
                    "in the admin), then build again."
                )
        device_type = archetype["device_type"]["default"]
        dto_class = getattr(user_terminal, device_type.capitalize(), None)
        if dto_class is None:
            raise FactorsUnavailable(f"Unknown boaviztapi device type {device_type}.")
        device = user_terminal.mapper_user_terminal(
            dto_class(usage=Usage(usage_location="EEE")), archetype=archetype
        )
        result = compute_impacts(
            model=device,
            selected_criteria=list(CRITERIA),
            duration=device.usage.hours_life_time.value,
        )
        usage = archetype["USAGE"]
        archetype_kwh = (
            Decimal(str(usage["avg_power"]["default"]))
            * Decimal(str(usage["use_time_ratio"]["default"]))
            * HOURS_A_YEAR
            / 1000
        )
        yearly_kwh = MEASURED_YEARLY_KWH.get(group.code, _number(archetype_kwh))
        kept = earlier or {}
        kept_sources = kept.get("sources", {})
        embodied_source = (
            f"boaviztapi {release}, archetype {group.archetype}, embodied impact "
            "(ADEME Base Empreinte and Boavizta)."
        )
        products.append(
            {
                "product_group": group.code,
                "archetype": group.archetype,
                **{
                    indicator: _number(result[criterion]["embedded"]["value"])
                    for criterion, indicator in CRITERIA.items()
                },
                method.MASS: kept.get(method.MASS) or MASS_KG[group.code],
                "yearly_energy_kwh": yearly_kwh,
                "baseline_lifetime_years": _number(group.baseline_lifetime_years),
                "second_life_years": kept.get("second_life_years")
                or SECOND_LIFE_YEARS[group.code],
                "sources": {
                    "embodied": embodied_source,
                    "mass": kept_sources.get("mass") or MASS_SOURCE,
                    "yearly_energy": MEASURED_SOURCE
                    if group.code in MEASURED_YEARLY_KWH
                    else f"boaviztapi {release}, archetype {group.archetype}: "
                    f"{usage['avg_power']['default']} W at "
                    f"{usage['use_time_ratio']['default']} use.",
                    "baseline_lifetime": "The product group's baseline lifetime "
                    "(criteria), set by the secretariat.",
                    "second_life": kept_sources.get("second_life")
                    or SECOND_LIFE_SOURCE,
                },
            }
        )
    electricity = []
    for zone in sorted(set(available_countries().values())):
        factor = electrical_factor(zone, "gwp")
        if zone in (method.EU_AVERAGE, method.WORLD_AVERAGE):
            code: str | None = zone
        else:
            code = parse_country(zone)  # alpha-3 to alpha-2; None if it is no more
        if code is None:
            continue
        reference = factor.get("reference_year") or ""
        electricity.append(
            {
                "zone": code,
                "kg_co2e_per_kwh": _number(factor["value"]),
                "source": f"{factor['source']} ({reference})"
                if reference
                else str(factor["source"]),
            }
        )
    electricity.sort(key=lambda row: row["zone"])
    return {
        "version": version,
        "title": title,
        "method_version": 1,
        "built_with": f"boaviztapi {release}",
        "electricity_source": f"boaviztapi {release}, electrical mix table "
        "(climate change, kg CO2e per kWh); EEE is the European, WOR the world average.",
        "eu_average_countries": list(eu_average_countries),
        "products": products,
        "conditions": [
            {"condition": c, "burden": burden, "source": source}
            for c, burden, source in CONDITIONS
        ],
        "electricity": electricity,
        "equivalences": EQUIVALENCES,
    }
