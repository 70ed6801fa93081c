"""A person signs up, registers their organisation, signs the Pact; the secretariat approves."""

import re

from django.core import mail
from playwright.sync_api import expect

from cfit.accounts.tests.factories import PASSWORD, SecretariatFactory
from cfit.organisations.models import Signature, SignatureStatus
from e2e.conftest import check_accessibility, sent_links
from e2e.conftest import sign_in as shared_sign_in


def sign_in(page, base_url, email, password):
    shared_sign_in(page, base_url, email, password)


def test_from_sign_up_to_the_public_list_of_signatories(live_server, page, browser):
    base = live_server.url
    mail.outbox = []

    # A visitor reads about the Pact and decides to join.
    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Circular & Fair ICT Pact"
    )
    check_accessibility(page, context="home")
    page.get_by_role("link", name="Not a member yet?").first.click()

    # Sign up, with the self-hosted human check solved by the browser.
    check_accessibility(page, context="sign up")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email").fill("ada@delft.example")
    page.get_by_label("Password", exact=True).fill("An-unusual-passphrase-42")
    page.get_by_label("Password (again)").fill("An-unusual-passphrase-42")
    page.get_by_text("I'm not a robot").click()
    expect(page.get_by_text("Verified")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Create the account").click()
    expect(
        page.get_by_role("heading", name="Confirm your email address")
    ).to_be_visible()

    # Confirm the address with the link from the email.
    (path,) = sent_links(mail.outbox, r"https?://[^/\s]+(/accounts/confirm-email/\S+/)")
    page.goto(base + path)
    page.get_by_role("button", name="Confirm my address").click()

    # Confirming the address signed Ada in; she registers the organisation.
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    check_accessibility(page, context="my page")
    page.get_by_role("link", name="Register your organisation").first.click()
    page.get_by_label("Name of the organisation").fill("City of Delft")
    page.get_by_label("Country").select_option("NL")
    page.get_by_label("Kind of organisation").select_option("local_government")
    page.get_by_label("Website").fill("https://www.delft.example")
    check_accessibility(page, context="register organisation")
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.get_by_text("City of Delft is registered")).to_be_visible()
    expect(page.locator("header")).to_contain_text("City of Delft")

    # Sign the Pact as procuring organisation; forgetting the agreement shows an error.
    page.get_by_role("link", name="Sign the Pact").first.click()
    page.get_by_label("Procuring").check()
    page.get_by_label("Name of the signatory").fill("Ada Lovelace")
    page.get_by_label("Title or function of the signatory").fill(
        "Chief Procurement Officer"
    )
    page.get_by_role("button", name="Sign for my organisation").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_accessibility(page, context="sign form with an error")
    page.get_by_label(re.compile("I sign the Pact text")).check()
    page.get_by_role("button", name="Sign for my organisation").click()
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    assert Signature.objects.get().status == SignatureStatus.PENDING

    # Not public yet.
    page.goto(f"{base}/signatories/")
    expect(page.locator("main").get_by_text("City of Delft")).to_have_count(0)

    # The secretariat approves, in its own browser session.
    staff = SecretariatFactory(email="staff@secretariat.example")
    secretariat_page = browser.new_context().new_page()
    sign_in(secretariat_page, base, staff.email, PASSWORD)
    secretariat_page.get_by_role("link", name="Secretariat", exact=True).click()
    check_accessibility(secretariat_page, context="review list")
    secretariat_page.get_by_role("link", name="City of Delft").click()
    check_accessibility(secretariat_page, context="review detail")
    secretariat_page.get_by_role("button", name="Approve the signature").click()
    expect(
        secretariat_page.get_by_text("The signature of City of Delft is approved.")
    ).to_be_visible()

    # Now the organisation is on the public list, with its date, and can be filtered.
    page.goto(f"{base}/signatories/")
    check_accessibility(page, context="signatories")
    row = page.get_by_role("row").filter(has_text="City of Delft")
    expect(row).to_contain_text("Procuring")
    expect(row).to_contain_text("Ada Lovelace, Chief Procurement Officer")
    # The country list offers only countries with signatories: the Netherlands now.
    page.get_by_label("Country").select_option("NL")
    expect(page).to_have_url(re.compile(r"country=NL"))
    expect(row).to_be_visible()
    page.get_by_label("Role").select_option("coordinating")
    expect(
        page.get_by_text("No approved signature matches these filters")
    ).to_be_visible()
    assert "role=coordinating" in page.url
