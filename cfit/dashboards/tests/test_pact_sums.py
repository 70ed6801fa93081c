"""The Pact's sums kept up to date by difference equal a recount, and a change to one
organisation reads that organisation's summaries only."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfit.dashboards import panels, partials, selectors
from cfit.dashboards.forms import Filters
from cfit.dashboards.selectors import PACT, Scope
from cfit.groups.models import BuyerGroupMembership, GroupMembershipStatus
from cfit.impact import selectors as impact
from cfit.monitoring.models import PurchaseReport, ReportSummary
from cfit.monitoring.services import line_create, line_delete, report_reopen
from cfit.monitoring.tests.factories import product_group

pytestmark = pytest.mark.django_db

GROUPINGS = panels.GROUPINGS


def _recounted() -> list[list[dict]]:
    """The same groupings added up from every counted summary, as before the sums."""
    return selectors._grouped(selectors.counted_summaries(PACT, Filters()), GROUPINGS)


SUMS = [*selectors._SUMS, "organisations"]


def _exact(results: list[list[dict]]) -> list[list[dict]]:
    """Each grouping's keys and sums; device-years to the cent (SQLite adds floats)."""
    return [
        [
            {name: row[name] for name in [*keys, *SUMS]}
            | {"lifetime_device_years": Decimal(str(row["lifetime_device_years"]))}
            for row in rows
        ]
        for keys, rows in zip(GROUPINGS, results, strict=True)
    ]


def _impact_recounted():
    return impact.impact_by(
        selectors.counted_summaries(PACT, Filters()), keys=["year"]
    ).total


def _add(organisation, quantity, *, captured, country="NL", condition="new"):
    report = PurchaseReport.objects.get(organisation=organisation, year=2025)
    with captured(execute=True):
        return line_create(
            report=report,
            by=None,
            values={
                "product_group": product_group("laptop"),
                "quantity": quantity,
                "condition": condition,
                "country_of_use": country,
                "expected_lifetime_years": Decimal("4.5"),
            },
            ecolabels=[],
            criteria=[],
            allow_locked=True,
        )


def _spy_on_parts(monkeypatch) -> list:
    asked: list = []
    read = partials._parts

    def spied(organisations=None):
        organisations = None if organisations is None else sorted(organisations)
        asked.append(organisations)
        return read(organisations)

    monkeypatch.setattr(partials, "_parts", spied)
    return asked


def test_a_change_reads_only_the_changed_organisations_summaries(
    three_laptop_buyers, django_capture_on_commit_callbacks, monkeypatch
):
    a, _b, _c = three_laptop_buyers
    cache.clear()  # a shared cache (Redis in CI) keeps what earlier tests kept
    asked = _spy_on_parts(monkeypatch)
    assert _exact(partials.grouped(GROUPINGS)) == _exact(_recounted())
    assert asked == [None]  # nothing kept yet: everything, once
    assert partials.grouped(GROUPINGS)
    assert asked == [None]  # nothing changed: nothing read

    _add(a, 5, captured=django_capture_on_commit_callbacks, country="FR")
    partials.forget()  # as another web process would
    shown = partials.grouped(GROUPINGS)
    assert asked == [None, [a.pk]]
    assert _exact(shown) == _exact(_recounted())
    [[total], *_rest, countries] = shown
    assert total["devices"] == 78 + 5
    assert {row["country_of_use"]: row["organisations"] for row in countries} == {
        "BE": 1,
        "FR": 1,
        "NL": 2,
    }


def test_a_reopened_report_leaves_the_pact_and_its_countries(
    three_laptop_buyers, admin_user, django_capture_on_commit_callbacks
):
    _a, b, _c = three_laptop_buyers
    assert "BE" in selectors.countries_of_use()
    report = PurchaseReport.objects.get(organisation=b, year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        report_reopen(report=report, by=admin_user)
    [[total], *_rest] = partials.grouped(GROUPINGS)
    assert (total["devices"], total["organisations"]) == (78 - 31, 2)
    # No organisation has a counted purchase used in Belgium any more.
    assert selectors.countries_of_use() == ["NL"]
    assert _exact(partials.grouped(GROUPINGS)) == _exact(_recounted())


def test_a_lost_part_adds_everything_up_again(
    three_laptop_buyers, django_capture_on_commit_callbacks, monkeypatch
):
    a, _b, _c = three_laptop_buyers
    cache.clear()  # generation 0, whatever earlier tests left in a shared cache
    partials.grouped(GROUPINGS)
    # The cache dropped the parts (evicted, or never written by a crashed process).
    cache.delete_many(
        [f"dashboards:sums:0:pact:parts:{n}" for n in range(partials.BUCKETS)]
    )
    asked = _spy_on_parts(monkeypatch)
    _add(a, 3, captured=django_capture_on_commit_callbacks)
    assert _exact(partials.grouped(GROUPINGS)) == _exact(_recounted())
    assert asked == [None]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2),  # which organisation
            st.integers(min_value=0, max_value=400),  # 0: delete its last line made
            st.sampled_from(["NL", "BE", "DE"]),
            st.sampled_from(["new", "refurbished"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_sums_after_any_changes_equal_a_recount(
    three_laptop_buyers, admin_user, django_capture_on_commit_callbacks, steps
):
    organisations = three_laptop_buyers
    made: list = []
    partials.grouped(GROUPINGS)
    for which, quantity, country, condition in steps:
        mine = [
            line for line in made if line.report.organisation == organisations[which]
        ]
        if quantity == 0 and mine:
            with django_capture_on_commit_callbacks(execute=True):
                line_delete(
                    line=mine[-1],
                    by=admin_user,
                    expected_version=mine[-1].version,
                    allow_locked=True,
                )
            made.remove(mine[-1])
        elif quantity:
            made.append(
                _add(
                    organisations[which],
                    quantity,
                    country=country,
                    condition=condition,
                    captured=django_capture_on_commit_callbacks,
                )
            )
        partials.forget()
        # One organisation changed since the sums were kept: they are updated by
        # difference, and equal the figures added up afresh from every summary.
        assert _exact(partials.grouped(GROUPINGS)) == _exact(_recounted())
        kept = impact.impact_of_sums(partials.impact_rows()).total.as_dict()
        recounted = _impact_recounted().as_dict()
        assert kept["devices"] == recounted["devices"]
        for block in ("footprint", "baseline", "saving", "enabled"):
            # Floats added in another order: equal to far below what is shown.
            assert kept[block] == pytest.approx(recounted[block], rel=1e-9)
    with django_capture_on_commit_callbacks(execute=True):
        for line in made:
            line_delete(
                line=line,
                by=admin_user,
                expected_version=line.version,
                allow_locked=True,
            )


def _group_recounted(group) -> list[list[dict]]:
    scope = Scope(kind="group", group=group)
    return selectors._grouped(selectors.counted_summaries(scope, Filters()), GROUPINGS)


def _group_kept(group) -> list[list[dict]]:
    scope = Scope(kind="group", group=group)
    kept = selectors.kept_sums_of(scope, Filters())
    assert kept is not None
    return partials.grouped(GROUPINGS, *kept)


def test_a_buyer_groups_sums_follow_a_member_and_a_member_leaving(
    three_laptop_buyers,
    group_of_a_and_b,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    a, b, _c = three_laptop_buyers
    assert _exact(_group_kept(group_of_a_and_b)) == _exact(
        _group_recounted(group_of_a_and_b)
    )
    asked = _spy_on_parts(monkeypatch)
    _add(a, 4, captured=django_capture_on_commit_callbacks, country="DE")
    partials.forget()
    kept = _group_kept(group_of_a_and_b)
    assert asked == [[a.pk]]  # the member that changed, not the group
    assert _exact(kept) == _exact(_group_recounted(group_of_a_and_b))
    assert kept[0][0]["devices"] == 17 + 31 + 4

    # B leaves (however it happens): its part leaves the group's sums.
    BuyerGroupMembership.objects.filter(group=group_of_a_and_b, organisation=b).update(
        status=GroupMembershipStatus.LEFT
    )
    partials.forget()
    kept = _group_kept(group_of_a_and_b)
    assert asked == [[a.pk]]  # nothing to read: B's part is only subtracted
    assert (kept[0][0]["devices"], kept[0][0]["organisations"]) == (21, 1)
    assert _exact(kept) == _exact(_group_recounted(group_of_a_and_b))


def test_with_nothing_counted_the_pact_has_one_empty_total():
    [[total], *others] = partials.grouped(GROUPINGS)
    assert (total["devices"], total["organisations"]) == (0, 0)
    assert others == [[], [], [], []]
    assert selectors.totals(PACT, Filters()).devices == 0


def test_a_groups_savings_per_member_are_computed_again_for_the_changed_member_only(
    three_laptop_buyers,
    group_of_a_and_b,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    a, b, _c = three_laptop_buyers
    scope = Scope(kind="group", group=group_of_a_and_b)
    key, members = selectors.kept_sums_of(scope, Filters())

    def recounted():
        result = impact.impact_by(
            selectors.counted_summaries(scope, Filters()), keys=["organisation"]
        )
        return {g.key["organisation"]: g.impact.saving.gwp_kg for g in result.groups}

    assert partials.savings_per_member(key, members) == pytest.approx(recounted())
    _add(a, 6, captured=django_capture_on_commit_callbacks)
    partials.forget()
    asked = _spy_on_parts(monkeypatch)
    saved = partials.savings_per_member(key, members)
    # Once to update the group's sums, once for A's saving: never B's.
    assert asked == [[a.pk], [a.pk]]
    assert saved == pytest.approx(recounted())
    assert saved[a.pk] > 0 and set(saved) == {a.pk, b.pk}


def test_rebuilding_the_summaries_adds_the_kept_sums_up_again(
    three_laptop_buyers, django_capture_on_commit_callbacks
):
    # Summaries gone wrong (changed behind the services: no report's version moved)...
    ReportSummary.objects.update(devices=F("devices") + 1)
    assert partials.grouped(GROUPINGS)[0][0]["devices"] != 78
    # ...are rebuilt from the lines by the operator, and the dashboards follow at once.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_report_summaries", stdout=StringIO())
    assert partials.grouped(GROUPINGS)[0][0]["devices"] == 78
    assert _exact(partials.grouped(GROUPINGS)) == _exact(_recounted())
