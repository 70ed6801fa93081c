"""FactorSets as data: the shipped file, storing it, and turning a stored one into
the `method.Factors` the calculation uses."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.apps.registry import Apps
from django.apps.registry import apps as global_apps

from . import method

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_VERSION = "2025-1"
SHIPPED_FILE = DATA_DIR / f"factorset-{SHIPPED_VERSION}.json"

PRODUCT_FIELDS = (
    method.GWP,
    method.ADPE,
    method.MIPS,
    method.MASS,
    "yearly_energy_kwh",
    "baseline_lifetime_years",
    "second_life_years",
)


class FactorSetDataError(ValueError):
    """A FactorSet file that cannot be stored as it is."""


def read_data(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise FactorSetDataError(f"Cannot read {path}: {error}") from error
    return data


def write_data(data: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise FactorSetDataError(f"{where}: {value!r} is not a number.") from None
    if not number.is_finite() or number < 0:
        raise FactorSetDataError(f"{where}: {value!r} is not a positive number.")
    return number


def _countries(codes: Any) -> list[str]:
    if not isinstance(codes, list) or not all(
        isinstance(c, str) and len(c.strip()) == 2 for c in codes
    ):
        raise FactorSetDataError(
            "eu_average_countries must be a list of two-letter country codes."
        )
    return sorted({c.strip().upper() for c in codes})


def store_factorset(
    data: dict[str, Any], *, apps: Apps = global_apps, make_current: bool = False
) -> Any:
    """Store a FactorSet from its data (as in the shipped file); returns the FactorSet.

    Works with the historical models of a migration too (pass its `apps`). The caller
    wraps it in a transaction.
    """
    FactorSet = apps.get_model("impact", "FactorSet")
    ProductGroup = apps.get_model("criteria", "ProductGroup")
    version = str(data.get("version", "")).strip()
    if not version:
        raise FactorSetDataError("The FactorSet has no version.")
    if FactorSet.objects.filter(version=version).exists():
        raise FactorSetDataError(f"FactorSet {version} exists already.")
    missing = [
        c
        for c in method.CONDITIONS
        if c not in {row.get("condition") for row in data.get("conditions", [])}
    ]
    if missing:
        raise FactorSetDataError(f"No share of impact for: {', '.join(missing)}.")
    zones = {row.get("zone") for row in data.get("electricity", [])}
    if not {method.EU_AVERAGE, method.WORLD_AVERAGE} <= zones:
        raise FactorSetDataError("The electricity factors need EEE and WOR.")
    fields = {
        "version": version,
        "title": data.get("title", version),
        "notes": data.get("notes", ""),
        "built_with": data.get("built_with", ""),
        "electricity_source": data.get("electricity_source", ""),
    }
    # Migrations before 0005 store with a model that has no such field yet; 0006
    # gives those FactorSets the list they computed with.
    if any(f.name == "eu_average_countries" for f in FactorSet._meta.get_fields()):
        fields["eu_average_countries"] = _countries(
            data.get("eu_average_countries", [])
        )
    factorset = FactorSet.objects.create(**fields)
    for row in data.get("products", []):
        code = row.get("product_group")
        group = ProductGroup.objects.filter(code=code).first()
        if group is None:
            raise FactorSetDataError(f"Unknown product group {code!r}.")
        values = {
            name: _decimal(row.get(name), f"{code} {name}") for name in PRODUCT_FIELDS
        }
        if values["baseline_lifetime_years"] <= 0:
            raise FactorSetDataError(f"{code}: the baseline lifetime must be > 0.")
        factorset.products.create(
            product_group=group,
            archetype=row.get("archetype", ""),
            sources=row.get("sources", {}),
            **values,
        )
    for row in data.get("conditions", []):
        factorset.conditions.create(
            condition=row["condition"],
            burden=_decimal(row.get("burden"), f"condition {row['condition']}"),
            source=row.get("source", ""),
        )
    factorset.electricity.bulk_create(
        [
            factorset.electricity.model(
                factorset=factorset,
                zone=row["zone"],
                kg_co2e_per_kwh=_decimal(row.get("kg_co2e_per_kwh"), row["zone"]),
                source=row.get("source", "")[:300],
            )
            for row in data.get("electricity", [])
        ]
    )
    for row in data.get("equivalences", []):
        factorset.equivalences.create(
            code=row["code"],
            indicator=row["indicator"],
            amount_per_unit=_decimal(row.get("amount_per_unit"), row["code"]),
            unit=row["unit"],
            label=row["label"],
            source=row["source"],
        )
    if make_current:
        FactorSet.objects.filter(is_current=True).update(is_current=False)
        factorset.is_current = True
        factorset.save(update_fields=["is_current"])
    return factorset


def factorset_data(factorset: Any) -> dict[str, Any]:
    """The data of a stored FactorSet in the shape of the shipped file."""

    def text(value: Decimal) -> str:
        return format(value.normalize(), "f")

    return {
        "version": factorset.version,
        "title": factorset.title,
        "method_version": 1,
        "built_with": factorset.built_with,
        "electricity_source": factorset.electricity_source,
        "eu_average_countries": list(factorset.eu_average_countries),
        "products": [
            {
                "product_group": p.product_group.code,
                "archetype": p.archetype,
                **{name: text(getattr(p, name)) for name in PRODUCT_FIELDS},
                "sources": p.sources,
            }
            for p in factorset.products.select_related("product_group")
        ],
        "conditions": [
            {"condition": c.condition, "burden": text(c.burden), "source": c.source}
            for c in factorset.conditions.all()
        ],
        "electricity": [
            {
                "zone": e.zone,
                "kg_co2e_per_kwh": text(e.kg_co2e_per_kwh),
                "source": e.source,
            }
            for e in factorset.electricity.all()
        ],
        "equivalences": [
            {
                "code": q.code,
                "indicator": q.indicator,
                "amount_per_unit": text(q.amount_per_unit),
                "unit": q.unit,
                "label": q.label,
                "source": q.source,
            }
            for q in factorset.equivalences.all()
        ],
    }


def factors_of(factorset: Any) -> method.Factors:
    """The calculation's view of a stored FactorSet (five small queries)."""
    products = {
        p.product_group.code: method.ProductFactors(
            product_group=p.product_group.code,
            embodied=method.Figures(
                gwp_kg=float(p.gwp_kg),
                adpe_kg_sb=float(p.adpe_kg_sb),
                mips_kg=float(p.mips_kg),
                mass_kg=float(p.mass_kg),
            ),
            yearly_energy_kwh=float(p.yearly_energy_kwh),
            baseline_lifetime_years=float(p.baseline_lifetime_years),
            second_life_years=float(p.second_life_years),
        )
        for p in factorset.products.select_related("product_group")
    }
    return method.Factors(
        version=factorset.version,
        products=products,
        burden={c.condition: float(c.burden) for c in factorset.conditions.all()},
        electricity={
            e.zone: float(e.kg_co2e_per_kwh) for e in factorset.electricity.all()
        },
        eu_average_countries=frozenset(factorset.eu_average_countries),
    )


def equivalences_of(factorset: Any) -> list[method.Equivalence]:
    return [
        method.Equivalence(
            code=q.code,
            indicator=q.indicator,
            amount_per_unit=float(q.amount_per_unit),
            unit=q.unit,
            label=q.label,
            source=q.source,
        )
        for q in factorset.equivalences.all()
    ]
