"""The cache follows the data, and the benchmark's generator makes what it says."""

import hashlib

import pytest
from django.urls import reverse

from bench.generate import clear, generate
from cfit.dashboards import caching
from cfit.monitoring.models import DemandForecast, PurchaseLine, PurchaseReport
from cfit.monitoring.tests.factories import DemandForecastFactory
from cfit.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_fingerprint_changes_when_a_forecast_is_declared(three_laptop_buyers):
    before = caching.data_fingerprint()
    assert caching.data_fingerprint() == before
    DemandForecastFactory(organisation=three_laptop_buyers[0])
    assert caching.data_fingerprint() != before


def test_figures_changed_makes_cached_values_stale(three_laptop_buyers):
    built = []
    caching.cached("test", "key", lambda: built.append(1) or len(built))
    caching.cached("test", "key", lambda: built.append(1) or len(built))
    assert built == [1]
    caching.figures_changed()
    assert caching.cached("test", "key", lambda: built.append(1) or len(built)) == 2


def test_a_filter_change_by_htmx_returns_only_the_figures(client, three_laptop_buyers):
    response = client.get(
        reverse("dashboards:pact"),
        {"product_group": "laptop"},
        headers={"HX-Request": "true", "HX-Target": "dashboard"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in html
    # The table under the chart is in the HTML itself: it reads without JavaScript.
    assert 'data-figure="devices-by-product-group"' in html


def test_the_generator_makes_signatories_reports_lines_and_forecasts():
    made = generate(organisations=4, lines=50, seed=3, years=(2024, 2025), prefix="t-")
    organisations = Organisation.objects.filter(slug__startswith="t-")
    assert made.organisations == organisations.count() == 4
    assert (
        made.reports
        == PurchaseReport.objects.filter(organisation__in=organisations).count()
        == 8
    )
    lines = PurchaseLine.objects.filter(report__organisation__in=organisations)
    assert made.lines == lines.count() == 50
    assert made.devices == sum(lines.values_list("quantity", flat=True))
    assert (
        made.forecasts
        == DemandForecast.objects.filter(organisation__in=organisations).count()
    )
    with pytest.raises(ValueError, match="clear"):
        generate(organisations=1, lines=1, prefix="t-")
    clear(prefix="t-")
    assert not Organisation.objects.filter(slug__startswith="t-").exists()


def test_the_generator_gives_the_same_data_for_the_same_seed():
    first = generate(organisations=3, lines=30, seed=7, prefix="a-")
    second = generate(organisations=3, lines=30, seed=7, prefix="b-")
    assert first.devices == second.devices


def test_while_a_value_is_rebuilt_others_get_the_one_just_before(three_laptop_buyers):
    from django.core.cache import cache

    assert caching.cached("test", "stale", lambda: "old") == "old"
    DemandForecastFactory(organisation=three_laptop_buyers[0])
    fingerprint = caching.data_fingerprint()
    digest = hashlib.sha256(b"stale").hexdigest()[:32]
    # Another request is rebuilding the value for the new data right now.
    cache.add(f"dashboards:test:{digest}:{fingerprint}:building", 1)
    assert caching.cached("test", "stale", lambda: "new") == "old"
    cache.delete(f"dashboards:test:{digest}:{fingerprint}:building")
    assert caching.cached("test", "stale", lambda: "new") == "new"
