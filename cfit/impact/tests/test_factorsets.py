"""The shipped FactorSet: what boaviztapi gives, stored and current on a plain install."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cfit.impact.boavizta import GroupToBuild, build_factorset_data
from cfit.impact.factorsets import (
    SHIPPED_FILE,
    FactorSetDataError,
    factors_of,
    factorset_data,
    read_data,
    store_factorset,
)
from cfit.impact.models import FactorSet


@pytest.mark.factors
def test_the_shipped_file_equals_what_boaviztapi_gives():
    shipped = read_data(SHIPPED_FILE)
    groups = [
        GroupToBuild(
            code=p["product_group"],
            archetype=p["archetype"],
            baseline_lifetime_years=Decimal(p["baseline_lifetime_years"]),
        )
        for p in shipped["products"]
    ]
    built = build_factorset_data(
        version=shipped["version"], title=shipped["title"], groups=groups
    )
    assert built == shipped


@pytest.mark.factors
def test_boaviztapi_gives_the_reference_values_of_the_method():
    groups = [
        GroupToBuild("laptop", "laptop-pro", Decimal("4")),
        GroupToBuild("smartphone", "smartphone-default", Decimal("2.5")),
    ]
    data = build_factorset_data(version="x", title="x", groups=groups)
    laptop, smartphone = data["products"]
    assert (laptop["gwp_kg"], laptop["adpe_kg_sb"], laptop["mips_kg"]) == (
        "181",
        "0.0086",
        "680",
    )
    assert (smartphone["gwp_kg"], smartphone["mips_kg"]) == ("84", "250")
    assert smartphone["yearly_energy_kwh"] == "2.628"
    zones = {row["zone"]: row["kg_co2e_per_kwh"] for row in data["electricity"]}
    assert zones["NL"] == "0.45"
    assert zones["EEE"] == "0.38"
    assert zones["WOR"] == "0.39"


def test_a_plain_install_has_the_shipped_factorset_as_current(db):
    current = FactorSet.objects.current()
    assert current is not None
    assert current.version == "2025-1"
    factors = factors_of(current)
    assert factors.products["laptop"].embodied.gwp_kg == 181
    assert factors.products["smartphone"].baseline_lifetime_years == 2.5
    assert factors.electricity["DE"] == 0.422
    assert factors.burden["refurbished"] == 0.13


def test_a_stored_factorset_reads_back_as_the_file_it_came_from(db):
    assert factorset_data(FactorSet.objects.current()) == read_data(SHIPPED_FILE)


def test_storing_a_factorset_twice_under_one_version_is_refused(db):
    with pytest.raises(FactorSetDataError, match="exists already"):
        store_factorset(read_data(SHIPPED_FILE))


def test_a_factorset_file_with_a_bad_number_stores_nothing(db, tmp_path):
    data = read_data(SHIPPED_FILE)
    data["version"] = "broken"
    data["products"][0]["gwp_kg"] = "lots"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="is not a number"):
        call_command("build_factorset", from_file=path)
    assert not FactorSet.objects.filter(version="broken").exists()


def test_build_factorset_stores_a_file_as_a_new_version_not_yet_current(db, tmp_path):
    data = read_data(SHIPPED_FILE)
    data["version"] = "2026-1"
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data))
    call_command("build_factorset", from_file=path)
    new = FactorSet.objects.get(version="2026-1")
    assert not new.is_current
    assert new.electricity.count() == len(data["electricity"])
