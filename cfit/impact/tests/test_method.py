"""The formulas, checked against hand-computed figures (docs/methodology.md)."""

import math

import pytest

from cfit.impact.method import (
    FLAG_COUNTRY_FALLBACK,
    FLAG_LIFETIME_ASSUMED,
    FLAG_NEGATIVE_SAVING,
    Equivalence,
    Factors,
    Figures,
    Line,
    MethodError,
    ProductFactors,
    equivalent,
    line_impact,
    scenario_lines,
    total_impact,
)

FACTORS = Factors(
    version="test-1",
    products={
        "laptop": ProductFactors(
            product_group="laptop",
            embodied=Figures(gwp_kg=181, adpe_kg_sb=0.0086, mips_kg=680, mass_kg=1.65),
            yearly_energy_kwh=18.8,
            baseline_lifetime_years=4,
            second_life_years=2,
        ),
        "smartphone": ProductFactors(
            product_group="smartphone",
            embodied=Figures(gwp_kg=84, adpe_kg_sb=0.00205, mips_kg=250, mass_kg=0.171),
            yearly_energy_kwh=2.628,
            baseline_lifetime_years=2.5,
            second_life_years=1.5,
        ),
    },
    burden={"new": 1, "refurbished": 0.13, "remanufactured": 0.4, "reused": 0},
    electricity={"EEE": 0.38, "WOR": 0.39, "NL": 0.45, "FR": 0.098},
    eu_average_countries=frozenset({"NL", "FR", "DE", "BE", "ES", "PL", "IS"}),
)


def close(actual, expected, tolerance=0.005):
    return math.isclose(actual, expected, rel_tol=tolerance)


def laptops(quantity=1000, condition="new", lifetime=6.0, country="NL", **extra):
    return Line(
        product_group="laptop",
        quantity=quantity,
        condition=condition,
        expected_lifetime_years=lifetime,
        country_of_use=country,
        **extra,
    )


def test_worked_example_1_a_thousand_new_laptops_kept_six_years():
    impact = line_impact(laptops(), FACTORS)
    assert close(impact.saving.gwp_kg, 90_500)
    assert close(impact.saving.adpe_kg_sb, 4.3)
    assert close(impact.saving.mass_kg, 825)
    assert close(impact.saving.mips_kg, 340_000)
    # Use phase: 1000 × 18.8 kWh × 0.45 × 6, in the footprint and baseline, not saved.
    assert close(impact.use_gwp_kg, 50_760)
    assert close(impact.footprint.gwp_kg, 181_000 + 50_760)
    assert close(impact.baseline.gwp_kg, 271_500 + 50_760)
    assert impact.flags == ()


def test_worked_example_2_five_hundred_refurbished_smartphones():
    line = Line(
        product_group="smartphone",
        quantity=500,
        condition="refurbished",
        expected_lifetime_years=2.5,
        country_of_use="NL",
    )
    impact = line_impact(line, FACTORS)
    assert close(impact.saving.gwp_kg, 36_540)
    assert close(impact.footprint.gwp_kg - impact.use_gwp_kg, 500 * 84 * 0.13)


def test_worked_example_3_two_hundred_new_laptops_kept_five_years():
    impact = line_impact(laptops(quantity=200, lifetime=5.0), FACTORS)
    assert close(impact.saving.gwp_kg, 9_050)


@pytest.mark.parametrize(
    ("condition", "expected_saving"),
    [
        ("new", 181 * (4 / 4 - 1)),
        ("refurbished", 181 * (1 - 0.13)),
        ("remanufactured", 181 * (1 - 0.40)),
        ("reused", 181 * (1 - 0)),
    ],
)
def test_each_condition_carries_its_own_share_of_a_new_devices_impact(
    condition, expected_saving
):
    impact = line_impact(
        laptops(quantity=1, condition=condition, lifetime=4.0), FACTORS
    )
    assert math.isclose(impact.saving.gwp_kg, expected_saving, abs_tol=1e-9)
    assert math.isclose(
        impact.footprint.gwp_kg - impact.use_gwp_kg,
        181 * FACTORS.burden[condition],
        abs_tol=1e-9,
    )


def test_a_new_device_kept_shorter_than_the_baseline_is_a_negative_saving():
    impact = line_impact(laptops(quantity=10, lifetime=3.0), FACTORS)
    assert close(impact.saving.gwp_kg, 10 * 181 * (3 / 4 - 1))
    assert impact.saving.gwp_kg < 0
    assert FLAG_NEGATIVE_SAVING in impact.flags


def test_a_missing_lifetime_assumes_the_baseline_and_is_flagged():
    impact = line_impact(laptops(quantity=10, lifetime=None), FACTORS)
    assert impact.flags == (FLAG_LIFETIME_ASSUMED,)
    assert impact.devices_lifetime_assumed == 10
    assert math.isclose(impact.saving.gwp_kg, 0, abs_tol=1e-9)
    assert close(impact.use_gwp_kg, 10 * 18.8 * 0.45 * 4)


def test_a_warranty_longer_than_the_lifetime_does_not_raise_it():
    with_warranty = line_impact(laptops(lifetime=3.0, warranty_years=5.0), FACTORS)
    without = line_impact(laptops(lifetime=3.0), FACTORS)
    assert with_warranty.saving == without.saving
    assert with_warranty.footprint == without.footprint


def test_a_european_country_without_its_own_factor_falls_back_to_the_eu_average():
    impact = line_impact(laptops(quantity=1, lifetime=4.0, country="PL"), FACTORS)
    assert FLAG_COUNTRY_FALLBACK in impact.flags
    assert impact.devices_country_fallback == 1
    assert close(impact.use_gwp_kg, 18.8 * 0.38 * 4)


def test_a_country_elsewhere_without_its_own_factor_falls_back_to_the_world_average():
    impact = line_impact(laptops(quantity=1, lifetime=4.0, country="KE"), FACTORS)
    assert FLAG_COUNTRY_FALLBACK in impact.flags
    assert close(impact.use_gwp_kg, 18.8 * 0.39 * 4)


def test_a_country_with_its_own_factor_uses_it_without_a_flag():
    impact = line_impact(laptops(quantity=1, lifetime=4.0, country="fr"), FACTORS)
    assert impact.flags == ()
    assert close(impact.use_gwp_kg, 18.8 * 0.098 * 4)


def test_devices_leaving_for_reuse_enable_a_saving_kept_apart_from_the_headline():
    plain = line_impact(laptops(quantity=100), FACTORS)
    reused = line_impact(laptops(quantity=100, devices_to_reuse=80), FACTORS)
    assert close(reused.enabled.gwp_kg, 80 * 181 * (2 / 4 - 0.13))
    assert close(reused.enabled.mass_kg, 80 * 1.65 * (2 / 4 - 0.13))
    assert reused.saving == plain.saving
    assert plain.enabled == Figures()


def test_the_total_of_lines_is_the_sum_of_their_figures():
    lines = [laptops(), laptops(quantity=200, lifetime=5.0)]
    total = total_impact(lines, FACTORS)
    assert close(total.saving.gwp_kg, 90_500 + 9_050)
    assert total.devices == 1200


def test_a_product_group_without_factors_is_refused_clearly():
    line = Line(
        product_group="tablet",
        quantity=1,
        condition="new",
        expected_lifetime_years=3,
        country_of_use="NL",
    )
    with pytest.raises(MethodError, match="no factors for product group 'tablet'"):
        line_impact(line, FACTORS)


def test_a_lifetime_of_zero_is_refused():
    with pytest.raises(MethodError):
        line_impact(laptops(lifetime=0.0), FACTORS)


def test_an_equivalence_divides_by_its_amount_per_unit():
    car = Equivalence(
        code="car-km",
        indicator="gwp_kg",
        amount_per_unit=0.108,
        unit="km",
        label="kilometres by car",
        source="EEA",
    )
    assert close(equivalent(90_500, car), 837_963)


def test_a_scenario_splits_its_devices_into_refurbished_and_new():
    lines = scenario_lines(
        product_group="laptop",
        quantity=1000,
        share_refurbished_percent=25,
        lifetime_years=5,
        country_of_use="NL",
    )
    assert [(line.condition, line.quantity) for line in lines] == [
        ("new", 750),
        ("refurbished", 250),
    ]
    total = total_impact(lines, FACTORS)
    assert close(total.saving.gwp_kg, 750 * 181 * 0.25 + 250 * 181 * (1.25 - 0.13))
