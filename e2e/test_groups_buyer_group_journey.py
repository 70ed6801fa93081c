"""A coordinator sets up a buyer group; a procurer asks to join; the coordinator accepts;
the procurer reads the members' page."""

from django.core import mail
from playwright.sync_api import expect

from cfit.accounts.tests.factories import PASSWORD
from e2e.conftest import check_accessibility


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_from_a_new_buyer_group_to_a_procurer_on_its_members_page(
    live_server, page, browser, coordinator, procurer_a
):
    base = live_server.url
    mail.outbox = []

    # The coordinator sets up a national group; forgetting the languages shows an error.
    sign_in(page, base, coordinator.email)
    page.get_by_role("link", name="Buyer groups").click()
    check_accessibility(page, context="buyer groups")
    page.get_by_role("link", name="Set up a buyer group").click()
    page.get_by_label("Name of the group").fill("Dutch national buyer group")
    page.get_by_label("National").check()
    page.get_by_label("Country").select_option("NL")
    page.get_by_label("Public description").fill("Dutch public buyers together.")
    page.get_by_label("How procurers join").fill("Procuring signatories ask here.")
    page.get_by_role("button", name="Set up the group").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(page, context="group form with an error")
    page.get_by_label("Dutch").check()
    page.get_by_label("English").check()
    page.get_by_role("button", name="Set up the group").click()
    expect(
        page.get_by_text("The group Dutch national buyer group is set up.")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ministry of Coordination")
    expect(page.locator("main")).to_contain_text("English, Dutch")
    check_accessibility(page, context="group page (coordinator)")

    # The procurer asks to join, in their own browser session.
    procurer_page = browser.new_context().new_page()
    sign_in(procurer_page, base, procurer_a.email)
    procurer_page.goto(f"{base}/groups/")
    procurer_page.get_by_role("link", name="Dutch national buyer group").click()
    check_accessibility(procurer_page, context="group page (procurer)")
    procurer_page.get_by_role("link", name="Ask to join").click()
    check_accessibility(procurer_page, context="join form")
    procurer_page.get_by_label("Message to the group").fill(
        "We buy 800 laptops a year."
    )
    procurer_page.get_by_role("button", name="Send the request").click()
    expect(procurer_page.get_by_text("Your request to join")).to_be_visible()
    expect(
        procurer_page.get_by_text("Your organisation has asked to join")
    ).to_be_visible()
    # Not a member yet: the members' page is not there for them.
    response = procurer_page.goto(f"{base}/groups/dutch-national-buyer-group/members/")
    assert response.status == 404
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    # The coordinator finds the request under Notices and accepts it with a message.
    page.get_by_role("link", name="Notices").click()
    check_accessibility(page, context="notices")
    page.get_by_role("link", name="City of Alphen asks to join").click()
    check_accessibility(page, context="requests to join")
    page.get_by_role("link", name="Answer City of Alphen").click()
    check_accessibility(page, context="answer a request")
    page.get_by_label("Accept").check()
    page.get_by_label("Message to the organisation").fill("Welcome, see you Tuesday.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("City of Alphen is now a member.")).to_be_visible()
    assert mail.outbox[-1].to == [procurer_a.email]
    assert "Welcome, see you Tuesday." in mail.outbox[-1].body

    # The procurer sees the notice and the members' page, and writes in the discussion.
    procurer_page.goto(f"{base}/me/")
    expect(procurer_page.locator("main")).to_contain_text("Dutch national buyer group")
    check_accessibility(procurer_page, context="my page with groups")
    procurer_page.get_by_role("link", name="Notices").first.click()
    procurer_page.get_by_role("link", name="City of Alphen is now a member").click()
    expect(procurer_page.get_by_role("heading", name="Members' page")).to_be_visible()
    expect(
        procurer_page.get_by_role("row").filter(has_text="City of Alphen")
    ).to_be_visible()
    check_accessibility(procurer_page, context="members' page")
    procurer_page.get_by_label("Your message").fill("Hello everyone!")
    procurer_page.get_by_role("button", name="Post the message").click()
    expect(procurer_page.locator("#discussion")).to_contain_text("Hello everyone!")
    check_accessibility(procurer_page, context="members' page after a message")

    # The Strategic Buyer Group lists the group with its coordinator and member.
    procurer_page.goto(f"{base}/groups/strategic-buyer-group/")
    row = procurer_page.get_by_role("row").filter(has_text="Dutch national buyer group")
    expect(row).to_contain_text("Ministry of Coordination")
    expect(row).to_contain_text("City of Alphen")
    check_accessibility(procurer_page, context="strategic buyer group")
