"""The figures add up the database in SQL and respect the three-organisation rule."""

import pytest

from cfit.dashboards import panels, selectors
from cfit.dashboards.forms import DashboardFilterForm, Filters
from cfit.dashboards.selectors import PACT, Scope
from cfit.monitoring.models import ReportStatus

from .conftest import report_with

pytestmark = pytest.mark.django_db


def test_totals_add_up_submitted_and_accepted_reports_only(three_laptop_buyers):
    organisation_a = three_laptop_buyers[0]
    report_with(organisation_a, {"quantity": 999}, year=2024, status=ReportStatus.DRAFT)
    totals = selectors.totals(PACT, Filters())
    assert totals.devices == 78
    assert totals.organisations == 3
    assert totals.share_not_new == pytest.approx(100 * 37 / 78, abs=0.05)
    assert totals.share_base == pytest.approx(100 * 30 / 78, abs=0.05)
    assert totals.share_ecolabel == pytest.approx(100 * 10 / 78, abs=0.05)
    # Lines without a lifetime do not pull the average down.
    assert totals.average_lifetime == pytest.approx((10 * 5 + 20 * 4) / 30, abs=0.01)


def test_filters_narrow_the_lines_by_country_product_group_and_years(
    three_laptop_buyers,
):
    assert selectors.totals(PACT, Filters(country="BE")).devices == 31
    assert selectors.totals(PACT, Filters(product_group="smartphone")).devices == 18
    assert selectors.totals(PACT, Filters(year_from=2026)).devices == 0
    assert selectors.totals(PACT, Filters(year_to=2025)).devices == 78


def test_a_group_scope_counts_only_its_members(three_laptop_buyers, group_of_a_and_b):
    totals = selectors.totals(Scope(kind="group", group=group_of_a_and_b), Filters())
    assert totals.devices == 10 + 7 + 20 + 11
    assert totals.organisations == 2


def test_a_cell_with_two_organisations_is_not_shown_publicly(three_laptop_buyers):
    dashboard = panels.build(PACT, Filters(), protect=True)
    figure = dashboard.figure("devices-by-product-group")
    names = [s.name for s in figure.series]
    # Smartphones were bought by two organisations only: no series of their own, and
    # the laptop cell is merged with them so that the year's total cannot give them away.
    assert not any("Smartphone" in name for name in names)
    assert names == ["Other (merged)"]
    assert figure.series[0].values == [78.0]
    assert figure.notes
    everything = repr([f.chart_data() for f in dashboard.figures])
    assert "18.0" not in everything and "7.0" not in everything


def test_the_same_cell_is_shown_to_whom_may_see_it_in_full(three_laptop_buyers):
    dashboard = panels.build(PACT, Filters(), protect=False)
    figure = dashboard.figure("devices-by-product-group")
    values = {s.name: s.values for s in figure.series}
    assert values["Smartphone (mobile telephone)"] == [18.0]
    assert values["Laptop (portable computer)"] == [60.0]


def test_public_filters_that_leave_two_organisations_show_no_figure(
    three_laptop_buyers,
):
    dashboard = panels.build(PACT, Filters(country="BE"), protect=True)
    assert dashboard.totals is None
    assert dashboard.headlines == []
    assert dashboard.notes
    for figure in dashboard.figures:
        for series in figure.series:
            assert all(v is None for v in series.values), figure.slug


def test_savings_come_from_the_impact_selector_with_its_factorset(
    three_laptop_buyers,
):
    from cfit.impact.selectors import impact_by

    dashboard = panels.build(PACT, Filters(), protect=True)
    expected = impact_by(selectors.counted_lines(PACT, Filters()))
    figure = dashboard.figure("saving-gwp_kg")
    assert figure.factorset == expected.factorset != ""
    saved = dict(zip(figure.labels, figure.series[2].values, strict=True))
    assert saved["2025"] == pytest.approx(expected.total.saving.gwp_kg / 1000, abs=0.05)


def test_the_demand_forecast_sums_planned_quantities_of_three_organisations(
    three_laptop_buyers,
):
    from cfit.monitoring.tests.factories import DemandForecastFactory

    for organisation, quantity in zip(
        three_laptop_buyers, (100, 200, 300), strict=True
    ):
        DemandForecastFactory(organisation=organisation, quantity=quantity, year=2027)
    DemandForecastFactory(
        organisation=three_laptop_buyers[0], quantity=5, year=2028, level="frontrunner"
    )
    figure = panels.build(PACT, Filters(), protect=True).figure("demand-forecast")
    rows = {label: values for label, values, _link in figure.rows}
    assert rows["2027"][0] == 600.0
    # 2028 has one organisation only: not shown, not even merged.
    assert all(v is None for v in rows["2028"])


def test_the_countries_ranking_merges_countries_of_fewer_than_three_organisations(
    three_laptop_buyers,
):
    figure = panels.build(PACT, Filters(), protect=True).figure("countries")
    # NL has A and C (two), BE has B: both are small, and together they cover three.
    assert figure.labels == ["Other countries (merged)"]
    assert figure.series[0].values == [78.0]


def test_the_filter_form_refuses_a_first_year_after_the_last():
    form = DashboardFilterForm({"year_from": "2025", "year_to": "2023"})
    assert not form.is_valid()
    assert "year_to" in form.errors
    assert form.filters() == Filters()


def test_the_filter_form_reads_product_group_and_country_from_the_url(db):
    form = DashboardFilterForm({"product_group": "laptop", "country": "BE"})
    assert form.filters() == Filters(product_group="laptop", country="BE")
