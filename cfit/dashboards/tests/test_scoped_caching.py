"""Each scope's figures are cached on their own: a change moves only what it touched."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfit.dashboards import caching, comparison, panels
from cfit.dashboards.forms import Filters
from cfit.dashboards.selectors import PACT, Scope, totals
from cfit.monitoring.models import PurchaseLine, PurchaseReport
from cfit.monitoring.services import line_create, line_delete
from cfit.monitoring.tests.factories import product_group

pytestmark = pytest.mark.django_db


def _scope(organisation):
    return Scope(kind="organisation", organisation=organisation)


def _add_laptops(organisation, quantity, *, captured, country="NL"):
    report = PurchaseReport.objects.get(organisation=organisation, year=2025)
    with captured(execute=True):
        return line_create(
            report=report,
            by=None,
            values={
                "product_group": product_group("laptop"),
                "quantity": quantity,
                "condition": "new",
                "country_of_use": country,
            },
            ecolabels=[],
            criteria=[],
            allow_locked=True,
        )


def test_a_change_to_one_organisation_moves_its_figures_and_the_pacts_only(
    three_laptop_buyers, django_capture_on_commit_callbacks
):
    a, b, _c = three_laptop_buyers
    builds: list[str] = []

    def measured(scope):
        def build():
            builds.append(scope.key)
            return totals(scope, Filters()).devices

        return caching.cached(
            "test-devices", scope.key, build, fingerprint=caching.fingerprint_of(scope)
        )

    scopes = [_scope(a), _scope(b), PACT]
    assert [measured(s) for s in scopes] == [17, 31, 78]
    builds.clear()

    _add_laptops(a, 5, captured=django_capture_on_commit_callbacks)

    # No stale value: A's and the Pact's figures show the new line at once...
    assert [measured(s) for s in scopes] == [22, 31, 83]
    # ...and B's cached figures were used as they were, not built again.
    assert builds == [_scope(a).key, PACT.key]


def test_an_organisations_comparison_rebuilds_only_the_columns_that_changed(
    three_laptop_buyers, django_capture_on_commit_callbacks
):
    a, b, _c = three_laptop_buyers
    assert comparison.measures_of(PACT, Filters()).devices == 78
    fingerprint_b = caching.fingerprint_of(_scope(b))
    built_b = comparison.measures_of(_scope(b), Filters())
    _add_laptops(a, 5, captured=django_capture_on_commit_callbacks)
    assert caching.fingerprint_of(_scope(b)) == fingerprint_b
    assert comparison.measures_of(_scope(b), Filters()) is built_b or (
        comparison.measures_of(_scope(b), Filters()) == built_b
    )
    assert comparison.measures_of(_scope(a), Filters()).devices == 17 + 5
    assert comparison.measures_of(PACT, Filters()).devices == 78 + 5


def test_a_buyer_groups_figures_move_when_a_member_changes(
    three_laptop_buyers, group_of_a_and_b, django_capture_on_commit_callbacks
):
    a, _b, c = three_laptop_buyers
    group = Scope(kind="group", group=group_of_a_and_b)
    before = caching.fingerprint_of(group)
    _add_laptops(c, 3, captured=django_capture_on_commit_callbacks)
    assert caching.fingerprint_of(group) == before  # C is not a member
    _add_laptops(a, 3, captured=django_capture_on_commit_callbacks)
    assert caching.fingerprint_of(group) != before


def test_a_deleted_line_leaves_no_stale_pact_dashboard(
    client, three_laptop_buyers, admin_user, django_capture_on_commit_callbacks
):
    a, _b, _c = three_laptop_buyers
    shown = client.get("/dashboards/").context["dashboard"].totals.devices
    line = _add_laptops(a, 9, captured=django_capture_on_commit_callbacks)
    assert client.get("/dashboards/").context["dashboard"].totals.devices == shown + 9
    with django_capture_on_commit_callbacks(execute=True):
        line_delete(
            line=line, by=admin_user, expected_version=line.version, allow_locked=True
        )
    assert client.get("/dashboards/").context["dashboard"].totals.devices == shown


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    quantities=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2),  # which organisation
            st.integers(min_value=1, max_value=500),
            st.sampled_from(["NL", "BE", "DE"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_cached_figures_equal_a_recomputation_from_the_lines(
    three_laptop_buyers, admin_user, django_capture_on_commit_callbacks, quantities
):
    organisations = three_laptop_buyers
    for scope in [*map(_scope, organisations), PACT]:
        panels.build(scope, Filters(), protect=False)  # warm, then change
    made = [
        _add_laptops(
            organisations[which],
            quantity,
            country=country,
            captured=django_capture_on_commit_callbacks,
        )
        for which, quantity, country in quantities
    ]
    for scope in [*map(_scope, organisations), PACT]:
        cached = caching.cached(
            "dashboard",
            f"{scope.key}:{Filters().key}:False",
            lambda scope=scope: panels.build(scope, Filters(), protect=False),
            fingerprint=caching.fingerprint_of(scope),
        )
        lines = PurchaseLine.objects.counted()
        if scope.organisation is not None:
            lines = lines.filter(report__organisation=scope.organisation)
        expected = sum(lines.values_list("quantity", flat=True))
        lifetimes = [
            (q, lt)
            for q, lt in lines.values_list("quantity", "expected_lifetime_years")
            if lt is not None
        ]
        assert cached.totals.devices == expected
        assert cached.totals.lifetime_devices == sum(q for q, _lt in lifetimes)
        assert cached.totals.lifetime_device_years == sum(
            (q * lt for q, lt in lifetimes), Decimal(0)
        )
    # Hypothesis reuses the database: take the lines out again through the services.
    with django_capture_on_commit_callbacks(execute=True):
        for line in made:
            line_delete(
                line=line,
                by=admin_user,
                expected_version=line.version,
                allow_locked=True,
            )
