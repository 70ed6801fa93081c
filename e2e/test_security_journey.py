"""The secretariat signs in with the code of an authenticator app and reads the
security log, where the refused code and the sign-in are written."""

from playwright.sync_api import expect

from cfit.accounts.tests.factories import PASSWORD, SECOND_FACTOR_SECRET
from cfit.security.services import current_code
from e2e.conftest import check_accessibility


def test_the_secretariat_gives_the_code_of_its_app_and_reads_the_security_log(
    live_server, page, secretariat
):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(secretariat.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_role("heading", name="Two-Factor Authentication")
    ).to_be_visible()
    check_accessibility(page, context="asking for the code")

    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.", exact=True)).to_be_visible()
    page.locator("input[name=code]").fill(current_code(SECOND_FACTOR_SECRET))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto(f"{base}/secretariat/audit/")
    check_accessibility(page, context="security log")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Second-factor code refused")
    expect(table).to_contain_text("Signed in")
    page.get_by_label("What happened").select_option(label="Signed in")
    page.get_by_role("button", name="Show").click()
    expect(table).not_to_contain_text("Second-factor code refused")
