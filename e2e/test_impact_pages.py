"""A visitor reads how effects are calculated; a procurer plans a tender with scenarios."""

from playwright.sync_api import expect

from cfit.accounts.tests.factories import PASSWORD
from cfit.impact.models import Scenario
from cfit.organisations.tests.factories import member_of, signatory
from e2e.conftest import check_accessibility


def test_a_visitor_reads_the_methodology_with_a_live_worked_example(live_server, page):
    page.goto(f"{live_server.url}/impact/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How the effects are calculated"
    )
    example = page.get_by_role("row", name="1,000 new laptops kept 6 years")
    expect(example).to_contain_text("90,500")
    expect(page.get_by_role("heading", name="Credits and licence")).to_be_visible()
    check_accessibility(page, context="methodology")
    page.get_by_role("link", name="2025-1").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("FactorSet 2025-1")
    expect(page.get_by_role("row", name="NL Netherlands")).to_contain_text("0.45")
    check_accessibility(page, context="factorset")


def test_a_procurer_compares_scenarios_saves_and_exports_them(live_server, page):
    organisation = signatory(name="City of Alphen", slug="city-of-alphen")
    member_of(organisation, email="ada@alphen.example")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ada@alphen.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.goto(f"{live_server.url}/impact/planner/")
    check_accessibility(page, context="planner")
    scenario_a = page.get_by_role("group", name="Scenario A")
    scenario_a.get_by_label("Quantity").fill("1000")
    scenario_a.get_by_label("Expected lifetime (years)").fill("6")
    scenario_b = page.get_by_role("group", name="Scenario B")
    scenario_b.get_by_label("Name").fill("Refurbished")
    scenario_b.get_by_label("Product group").select_option("laptop")
    scenario_b.get_by_label("Quantity").fill("1000")
    scenario_b.get_by_label("Share refurbished (%)").fill("100")
    scenario_b.get_by_label("Expected lifetime (years)").fill("4")
    page.get_by_role("button", name="Compare the scenarios").click()

    results = page.locator("#results")
    expect(results.get_by_role("img")).to_be_visible()  # the chart
    saving = page.get_by_role("row", name="Greenhouse gases: saving (kg CO2e)")
    expect(saving).to_contain_text("90,500")
    expect(saving).to_contain_text("157,470")  # 1000 × 181 × (1 − 0.13)
    check_accessibility(page, context="planner with results")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export as CSV").click()
    assert "Refurbished" in download.value.path().read_text()

    page.get_by_label("Name of the plan").fill("Laptops 2027")
    page.get_by_role("button", name="Save for City of Alphen").click()
    expect(page.get_by_text("The plan is saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laptops 2027")
    check_accessibility(page, context="saved plan")
    assert Scenario.objects.get().options.count() == 2
