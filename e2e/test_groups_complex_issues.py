"""Group representatives raise a complex issue in the Strategic Buyer Group and reply;
a procurer sets up a self-organised group where no coordinator exists."""

from playwright.sync_api import expect

from cfit.accounts.tests.factories import PASSWORD
from cfit.groups.tests.factories import BuyerGroupFactory, BuyerGroupMembershipFactory
from e2e.conftest import check_accessibility


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_representatives_discuss_a_complex_issue(
    live_server,
    page,
    browser,
    coordinator,
    coordinating_organisation,
    procurer_a,
    organisation_a,
):
    group = BuyerGroupFactory(name="Dutch group", coordinator=coordinating_organisation)
    BuyerGroupMembershipFactory(group=group, organisation=organisation_a)
    base = live_server.url

    sign_in(page, base, procurer_a.email)
    page.goto(f"{base}/groups/strategic-buyer-group/")
    page.get_by_role("link", name="Raise an issue").click()
    check_accessibility(page, context="raise an issue")
    page.get_by_label("Title").fill("Erasure certificates across borders")
    page.get_by_label("Describe the issue").fill("Which standard do the groups accept?")
    page.get_by_role("button", name="Post the issue").click()
    expect(page.get_by_text("Your issue is posted.")).to_be_visible()
    check_accessibility(page, context="issue without replies")

    other = browser.new_context().new_page()
    sign_in(other, base, coordinator.email)
    other.goto(f"{base}/groups/strategic-buyer-group/")
    check_accessibility(other, context="strategic buyer group with issues")
    other.get_by_role("link", name="Erasure certificates across borders").click()
    other.get_by_label("Your reply").fill("We accept NIST 800-88.")
    other.get_by_role("button", name="Post the reply").click()
    expect(other.locator("main")).to_contain_text("We accept NIST 800-88.")
    check_accessibility(other, context="issue with a reply")

    page.get_by_role("link", name="Notices").click()
    page.get_by_role("link", name="replied to").click()
    expect(page.locator("main")).to_contain_text("We accept NIST 800-88.")


def test_a_procurer_sets_up_a_self_organised_group_shown_as_such(
    live_server, page, procurer_b
):
    base = live_server.url
    sign_in(page, base, procurer_b.email)
    page.goto(f"{base}/groups/new/")
    check_accessibility(page, context="set up a self-organised group")
    expect(page.locator("main")).to_contain_text("self-organised group")
    page.get_by_label("Name of the group").fill("Belgian procurers")
    page.get_by_label("National").check()
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("French").check()
    page.get_by_label("Public description").fill("Belgian buyers, self-organised.")
    page.get_by_role("button", name="Set up the group").click()
    expect(page.get_by_text("The group Belgian procurers is set up.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Self-organised")
    expect(page.locator("main")).to_contain_text("City of Bruges")
    check_accessibility(page, context="self-organised group page")
    page.get_by_role("link", name="Buyer groups").first.click()
    row = page.get_by_role("row").filter(has_text="Belgian procurers")
    expect(row).to_contain_text("Self-organised")


def test_a_coordinator_links_an_existing_self_organised_group(
    live_server, page, browser, coordinator, procurer_a, organisation_a
):
    group = BuyerGroupFactory(name="Dutch procurers", slug="dutch-procurers")
    BuyerGroupMembershipFactory(
        group=group, organisation=organisation_a, is_founding_member=True
    )
    base = live_server.url

    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/groups/dutch-procurers/")
    check_accessibility(page, context="self-organised group, coordinator's view")
    page.get_by_role("button", name="Offer to coordinate this group").click()
    expect(page.get_by_text("Your offer is sent.")).to_be_visible()

    founder = browser.new_context().new_page()
    sign_in(founder, base, procurer_a.email)
    founder.get_by_role("link", name="Notices").first.click()
    founder.get_by_role("link", name="offers to coordinate Dutch procurers").click()
    check_accessibility(founder, context="requests page with an offer")
    founder.get_by_role("button", name="Accept the offer").click()
    expect(
        founder.get_by_text("Ministry of Coordination now coordinates")
    ).to_be_visible()
    expect(founder.locator("main")).not_to_contain_text("Self-organised")
