"""The secretariat compares a new FactorSet with the current one and makes it current;
a procurer reads the effects of the organisation's purchases."""

from decimal import Decimal

from playwright.sync_api import expect

from cfit.accounts.tests.factories import SecretariatFactory
from cfit.impact.factorsets import SHIPPED_FILE, read_data, store_factorset
from cfit.impact.models import FactorSet
from cfit.monitoring.tests.factories import PurchaseLineFactory
from cfit.organisations.tests.factories import member_of, signatory
from e2e.conftest import check_accessibility
from e2e.conftest import sign_in as shared_sign_in


def sign_in(page, base_url, email):
    shared_sign_in(page, base_url, email)


def test_the_secretariat_makes_a_new_factorset_current(live_server, page):
    for n in range(3):
        PurchaseLineFactory(
            report__status="accepted",
            report__organisation=signatory(slug=f"org-{n}"),
            quantity=1000,
            expected_lifetime_years=Decimal(6),
        )
    data = read_data(SHIPPED_FILE)
    data["version"] = "2026-1"
    data["products"][0]["gwp_kg"] = "200"
    store_factorset(data)
    SecretariatFactory(email="staff@sbg.example")

    sign_in(page, live_server.url, "staff@sbg.example")
    page.goto(f"{live_server.url}/impact/pact/")
    expect(page.get_by_role("row", name="Greenhouse gases (kg CO2e)")).to_contain_text(
        "271,500"
    )
    check_accessibility(page, context="pact effects")
    page.goto(f"{live_server.url}/impact/factorsets/2026-1/compare/")
    expect(page.get_by_role("row", name="laptop: gwp_kg")).to_contain_text("200")
    check_accessibility(page, context="compare factorsets")
    page.get_by_role("button", name="Make 2026-1 current").click()
    expect(page.get_by_text("FactorSet 2026-1 is now current")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Recomputation")).to_contain_text(
        "3 of 3 reports"
    )
    assert FactorSet.objects.current().version == "2026-1"

    page.goto(f"{live_server.url}/impact/pact/")
    expect(page.get_by_role("row", name="Greenhouse gases (kg CO2e)")).to_contain_text(
        "300,000"
    )
    page.get_by_label("Compute with FactorSet").select_option("2025-1")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("row", name="Greenhouse gases (kg CO2e)")).to_contain_text(
        "271,500"
    )


def test_a_procurer_reads_the_effects_of_the_organisations_purchases(live_server, page):
    organisation = signatory(name="City of Alphen", slug="city-of-alphen")
    member_of(organisation, email="ada@alphen.example")
    line = PurchaseLineFactory(
        report__organisation=organisation, quantity=40, expected_lifetime_years=None
    )
    sign_in(page, live_server.url, "ada@alphen.example")
    page.goto(f"{live_server.url}/impact/organisations/city-of-alphen/")
    expect(page.get_by_text("40 devices have no expected lifetime")).to_be_visible()
    check_accessibility(page, context="organisation effects")
    page.goto(f"{live_server.url}/impact/reports/{line.report_id}/")
    expect(page.get_by_text("lifetime assumed")).to_be_visible()
    check_accessibility(page, context="report effects")
