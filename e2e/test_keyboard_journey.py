"""The main journey with the keyboard only: sign up, sign the Pact, report a purchase.

No mouse click anywhere: every field, link and button is reached with Tab (and the
arrow keys inside a list or a group of options) and used with Enter or Space, as a
person who cannot use a mouse does. Addresses are typed only where a person would
follow a link from an email.
"""

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from cfit.accounts.tests.factories import SecretariatFactory
from cfit.monitoring.tests.factories import ReportingPeriodFactory, buyer_group_of
from cfit.organisations.models import Organisation, Signature
from cfit.organisations.services import signature_approve
from e2e.conftest import sent_links

MAX_TABS = 120


def focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus (as a keyboard user moves through a page)."""
    target = target.first
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(target):
            return
    pytest.fail(f"{target} cannot be reached with the Tab key")


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)
    page.wait_for_load_state()


def type_into(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def choose(page: Page, select: Locator, label: str) -> None:
    """Move through a closed list with the arrow keys until `label` is chosen."""
    tab_to(page, select)
    for _ in range(300):
        if select.evaluate("el => el.options[el.selectedIndex].text") == label:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"{label} is not in the list")


def test_sign_up_sign_and_report_with_the_keyboard_only(
    live_server, page: Page, coordinating_organisation
):
    base = live_server.url
    mail.outbox = []
    page.goto(base)

    # Sign up: the human check is a checkbox that Space ticks.
    press(page, page.get_by_role("link", name="Not a member yet?"))
    type_into(page, page.get_by_label("First name"), "Ada")
    type_into(page, page.get_by_label("Last name"), "Lovelace")
    type_into(page, page.get_by_label("Email"), "ada@delft.example")
    type_into(
        page, page.get_by_label("Password", exact=True), "An-unusual-passphrase-42"
    )
    type_into(page, page.get_by_label("Password (again)"), "An-unusual-passphrase-42")
    tab_to(page, page.get_by_role("checkbox"))
    page.keyboard.press("Space")
    expect(page.get_by_text("Verified")).to_be_visible(timeout=20_000)
    press(page, page.get_by_role("button", name="Create the account"))
    expect(
        page.get_by_role("heading", name="Confirm your email address")
    ).to_be_visible()

    # The link from the email, then the confirmation button.
    (path,) = sent_links(mail.outbox, r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")
    page.goto(base + path)
    press(page, page.get_by_role("button", name="Confirm my address"))
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()

    # Register the organisation.
    press(page, page.get_by_role("link", name="Register your organisation"))
    type_into(page, page.get_by_label("Name of the organisation"), "City of Delft")
    choose(page, page.get_by_label("Country"), "Netherlands")
    choose(page, page.get_by_label("Kind of organisation"), "Local government")
    type_into(page, page.get_by_label("Website"), "https://www.delft.example")
    press(page, page.get_by_role("button", name="Register the organisation"))
    expect(page.get_by_text("City of Delft is registered")).to_be_visible()

    # Sign the Pact: a radio button and a checkbox, both with Space.
    press(page, page.get_by_role("link", name="Sign the Pact"))
    tab_to(page, page.get_by_label("Procuring"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Procuring")).to_be_checked()
    type_into(page, page.get_by_label("Name of the signatory"), "Ada Lovelace")
    type_into(page, page.get_by_label("Title or function of the signatory"), "Buyer")
    tab_to(page, page.get_by_label("I sign the Pact text", exact=False))
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Sign for my organisation"))
    expect(page.get_by_text("Waiting for approval")).to_be_visible()

    # The secretariat approves (its own journey is tested elsewhere); the year opens.
    organisation = Organisation.objects.get(name="City of Delft")
    signature = signature_approve(
        signature=Signature.objects.get(organisation=organisation),
        by=SecretariatFactory(),
    )
    buyer_group_of(coordinating_organisation, organisation)
    year = signature.first_reporting_year
    ReportingPeriodFactory(year=year)

    # Report a purchase: from My page to the report, then the line form.
    page.goto(base + "/me/")
    press(page, page.get_by_role("link", name=f"Purchase report {year}"))
    press(page, page.get_by_role("link", name="Add a line"))
    choose(page, page.get_by_label("Product group"), "Laptop (portable computer)")
    type_into(page, page.get_by_label("Quantity"), "40")
    tab_to(page, page.get_by_label("New", exact=True))
    page.keyboard.press("Space")
    press(page, page.get_by_role("button", name="Add the line"))
    expect(page.locator("tfoot")).to_contain_text("40")
