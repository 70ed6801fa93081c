"""The language switcher in the header: same page, other language, with or without
JavaScript, by keyboard; a signed-in person's choice follows them."""

from playwright.sync_api import expect

from cfit.accounts.models import User
from cfit.accounts.tests.factories import UserFactory
from e2e.conftest import check_accessibility, sign_in


def test_the_switcher_keeps_the_page_and_works_with_the_keyboard(live_server, page):
    page.goto(f"{live_server.url}/criteria/?q=battery")
    expect(page.get_by_role("form", name="Language of the site")).to_be_visible()
    # By its class from here on: its name changes with the page's language.
    switcher = page.locator("form.language-switch")
    expect(switcher.get_by_role("button", name="English")).to_have_attribute(
        "aria-current", "true"
    )
    french = switcher.get_by_role("button", name="Français")
    french.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/fr/criteria/?q=battery")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(french).to_have_attribute("aria-current", "true")
    check_accessibility(page, context="criteria in French")
    # Back to English: the choice is remembered over the browser's language.
    switcher.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/criteria/?q=battery")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_switcher_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/signatories/")
    page.get_by_role("button", name="Deutsch").press("Enter")
    page.wait_for_url(f"{live_server.url}/de/signatories/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    context.close()


def test_a_signed_in_persons_choice_follows_them(live_server, page):
    person = UserFactory(email="eva@wien.example")
    sign_in(page, live_server.url, person.email)
    page.get_by_role("button", name="Nederlands").press("Enter")
    page.wait_for_url(f"{live_server.url}/nl/me/")
    assert User.objects.get(pk=person.pk).language == "nl"
    # An English address of the site opens in Dutch for them.
    page.goto(f"{live_server.url}/criteria/")
    expect(page).to_have_url(f"{live_server.url}/nl/criteria/")
