"""Totals from SQL sums grouped by what the formulas need equal the sum of lines."""

import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfit.impact import method
from cfit.impact.factorsets import factors_of
from cfit.impact.models import FactorSet
from cfit.impact.selectors import impact_by, report_impact
from cfit.monitoring.models import PurchaseLine, PurchaseReport, ReportSummary
from cfit.monitoring.tests.factories import (
    PurchaseLineFactory,
    PurchaseReportFactory,
    product_group,
)
from cfit.organisations.tests.factories import OrganisationFactory

line_values = st.fixed_dictionaries(
    {
        "group": st.sampled_from(["laptop", "smartphone"]),
        "quantity": st.integers(1, 5000),
        "condition": st.sampled_from(method.CONDITIONS),
        "lifetime": st.one_of(
            st.none(),
            st.decimals(Decimal("0.5"), Decimal("15"), places=2),
        ),
        "country": st.sampled_from(["NL", "FR", "LI", "RW", "US", "DE"]),
        "retired": st.integers(0, 300),
        "retired_to": st.sampled_from(["reuse", "recycling", "take_back"]),
        "year": st.sampled_from([2024, 2025]),
        "organisation": st.integers(0, 2),
    }
)


def per_line(line: PurchaseLine, factors: method.Factors) -> method.Impact:
    return method.line_impact(
        method.Line(
            product_group=line.product_group.code,
            quantity=line.quantity,
            condition=line.condition,
            expected_lifetime_years=None
            if line.expected_lifetime_years is None
            else float(line.expected_lifetime_years),
            country_of_use=line.country_of_use,
            devices_to_reuse=line.devices_retired if line.retired_to == "reuse" else 0,
        ),
        factors,
    )


def assert_same(a: method.Figures, b: method.Figures) -> None:
    for indicator in method.INDICATORS:
        assert math.isclose(
            a.get(indicator), b.get(indicator), rel_tol=1e-9, abs_tol=1e-6
        )


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(line_values, min_size=1, max_size=25))
def test_the_grouped_sql_total_equals_the_sum_of_per_line_figures(values):
    # Reports go with their lines and their summaries.
    PurchaseReport.objects.all().delete()
    organisations = [OrganisationFactory() for _ in range(3)]
    reports = {}
    for v in values:
        key = (v["organisation"], v["year"])
        if key not in reports:
            reports[key] = PurchaseReportFactory(
                organisation=organisations[v["organisation"]], year=v["year"]
            )
        PurchaseLineFactory(
            report=reports[key],
            product_group=product_group(v["group"]),
            quantity=v["quantity"],
            condition=v["condition"],
            expected_lifetime_years=v["lifetime"],
            country_of_use=v["country"],
            devices_retired=v["retired"],
            retired_to=v["retired_to"],
        )
    factors = factors_of(FactorSet.objects.current())
    lines = list(PurchaseLine.objects.select_related("product_group", "report"))
    expected = method.Impact()
    by_year: dict[int, method.Impact] = {}
    for line in lines:
        impact = per_line(line, factors)
        expected = expected + impact
        by_year[line.report.year] = (
            by_year.get(line.report.year, method.Impact()) + impact
        )

    # The lines summed directly, and the report summaries the scopes add up.
    for source in (PurchaseLine.objects.all(), ReportSummary.objects.all()):
        result = impact_by(source, keys=["year", "organisation", "country"])
        assert result.total.devices == expected.devices
        for block in ("footprint", "baseline", "saving", "enabled"):
            assert_same(getattr(result.total, block), getattr(expected, block))
        assert (
            result.total.devices_lifetime_assumed == expected.devices_lifetime_assumed
        )
        assert (
            result.total.devices_country_fallback == expected.devices_country_fallback
        )

        yearly = impact_by(source, keys=["year"])
        assert {g.key["year"] for g in yearly.groups} == set(by_year)
        for group in yearly.groups:
            assert_same(group.impact.saving, by_year[group.key["year"]].saving)


def test_the_totals_take_one_query_for_the_lines_however_many_there_are(
    db, django_assert_max_num_queries
):
    report = PurchaseReportFactory()
    for lifetime in ("4", "5", "6"):
        PurchaseLineFactory.create_batch(
            5, report=report, expected_lifetime_years=Decimal(lifetime)
        )
    with django_assert_max_num_queries(8):
        result = impact_by(PurchaseLine.objects.all(), keys=["product_group"])
    assert result.total.devices == 150


def test_a_report_of_the_worked_examples_gives_their_savings(db):
    report = PurchaseReportFactory()
    PurchaseLineFactory(report=report, quantity=1000, expected_lifetime_years=6)
    PurchaseLineFactory(
        report=report,
        product_group=product_group("smartphone"),
        quantity=500,
        condition="refurbished",
        expected_lifetime_years=Decimal("2.5"),
    )
    PurchaseLineFactory(report=report, quantity=200, expected_lifetime_years=5)
    result = report_impact(report)
    assert result.factorset == "2025-1"
    assert math.isclose(
        result.total.saving.gwp_kg, 90_500 + 36_540 + 9_050, rel_tol=0.005
    )
    labels = [g.label for g in result.groups]
    assert labels == [
        "Laptop (portable computer) · New",
        "Smartphone (mobile telephone) · Refurbished",
    ]
    (car,) = result.equivalences
    assert math.isclose(car.value, 136_090 / 0.108, rel_tol=0.005)


def test_devices_of_a_product_group_without_factors_are_counted_apart(db):
    PurchaseLineFactory(product_group=product_group("tablet"), quantity=7)
    PurchaseLineFactory(quantity=3)
    result = impact_by(PurchaseLine.objects.all())
    assert result.devices_without_factors == 7
    assert result.total.devices == 3


def test_an_unknown_key_is_refused(db):
    with pytest.raises(ValueError, match="colour"):
        impact_by(PurchaseLine.objects.all(), keys=["colour"])
