"""What the figures rest on lives in the FactorSet's data, versioned with it."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cfit.impact import method
from cfit.impact.factorsets import factors_of, factorset_data
from cfit.impact.models import FactorSet
from cfit.impact.selectors import impact_by
from cfit.monitoring.models import PurchaseLine
from cfit.monitoring.tests.factories import PurchaseLineFactory, product_group

pytestmark = pytest.mark.django_db

# The list that lived in cfit/lib/countries.py before it became FactorSet data.
COUNTRIES_BEFORE = {
    "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE",
    "ES", "FI", "FO", "FR", "GB", "GI", "GR", "HR", "HU", "IE", "IS", "IT", "LI",
    "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO",
    "RS", "RU", "SE", "SI", "SK", "SM", "UA", "VA", "XK",
}  # fmt: skip


def test_a_factorset_stored_before_the_change_keeps_its_european_countries():
    # The shipped FactorSet was stored by migration 0002, before the field existed.
    shipped = FactorSet.objects.get(version="2025-1")
    assert set(shipped.eu_average_countries) == COUNTRIES_BEFORE
    factors = factors_of(shipped)
    # Kosovo has no factor of its own: the European average, as before; a country
    # elsewhere without one gets the world average.
    assert factors.electricity_of("XK") == (0.38, method.EU_AVERAGE, True)
    assert factors.electricity_of("TV")[1] == method.WORLD_AVERAGE


def test_a_new_factorsets_european_countries_do_not_change_old_figures(tmp_path):
    PurchaseLineFactory(country_of_use="XK", quantity=100, expected_lifetime_years=5)
    shipped = FactorSet.objects.get(version="2025-1")
    before = impact_by(PurchaseLine.objects.all(), factorset=shipped).total
    data = factorset_data(shipped)
    data["version"] = "2026-1"
    data["eu_average_countries"] = ["NL"]
    path = tmp_path / "2026-1.json"
    path.write_text(json.dumps(data))
    call_command("build_factorset", "--from-file", str(path), stdout=io.StringIO())
    newer = FactorSet.objects.get(version="2026-1")
    assert impact_by(PurchaseLine.objects.all(), factorset=shipped).total == before
    changed = impact_by(PurchaseLine.objects.all(), factorset=newer).total
    assert changed.footprint.gwp_kg != before.footprint.gwp_kg  # XK now uses WOR


def run_add(*args):
    out = io.StringIO()
    call_command(
        "add_product_factors",
        "--product-group",
        "tablet",
        "--gwp",
        "100",
        "--adpe",
        "0.004",
        "--mips",
        "300",
        "--mass",
        "0.5",
        "--yearly-energy",
        "9",
        "--second-life",
        "1.5",
        "--source",
        "Measured by the monitoring working group (2026).",
        *args,
        stdout=out,
    )
    return out.getvalue()


def test_the_secretariat_adds_a_product_groups_factors_as_data():
    PurchaseLineFactory(product_group=product_group("tablet"), quantity=10)
    current = FactorSet.objects.current()
    assert impact_by(PurchaseLine.objects.all()).devices_without_factors == 10
    output = run_add("--factorset", "2026-1")
    assert "FactorSet 2026-1: factors of tablet stored" in output
    newer = FactorSet.objects.get(version="2026-1")
    assert FactorSet.objects.current() == current  # made current on the site later
    result = impact_by(PurchaseLine.objects.all(), factorset=newer)
    assert result.devices_without_factors == 0
    assert result.total.footprint.gwp_kg > 0
    assert newer.products.get(product_group__code="tablet").gwp_kg == Decimal("100")


def test_a_factorset_that_has_been_current_is_not_changed():
    with pytest.raises(CommandError, match="has been current"):
        run_add("--factorset", "2025-1")
    assert (
        not FactorSet.objects.get(version="2025-1")
        .products.filter(product_group__code="tablet")
        .exists()
    )
