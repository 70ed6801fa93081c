"""A signatory proposes a working group; the secretariat opens it; another person joins
and shares a document, after a refused upload."""

from django.core import mail
from playwright.sync_api import expect

from cfit.groups.models import WorkingGroupDocument
from e2e.conftest import check_accessibility
from e2e.conftest import sign_in as shared_sign_in


def sign_in(page, base_url, email):
    shared_sign_in(page, base_url, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_a_proposed_working_group_is_opened_and_joined(
    live_server, page, browser, procurer_a, procurer_b, secretariat, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    mail.outbox = []

    # A procurer proposes a working group.
    sign_in(page, base, procurer_a.email)
    page.goto(f"{base}/groups/working-groups/")
    check_accessibility(page, context="working groups")
    page.get_by_role("link", name="Propose a working group").click()
    page.get_by_label("Name of the working group").fill("Spare batteries")
    page.get_by_label("Criteria").check()
    page.get_by_label("Purpose").fill("Draft a criterion on spare batteries.")
    page.get_by_label("Laptop (portable computer)").check()
    page.get_by_label("Smartphone (mobile telephone)").check()
    check_accessibility(page, context="propose a working group")
    page.get_by_role("button", name="Send the proposal").click()
    expect(
        page.get_by_text("The secretariat will look at your proposal")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Proposed")
    check_accessibility(page, context="proposed working group")
    assert mail.outbox[0].to == [secretariat.email]

    # Another signatory cannot see the proposal yet.
    other = browser.new_context().new_page()
    sign_in(other, base, procurer_b.email)
    assert other.goto(f"{base}/groups/working-groups/spare-batteries/").status == 404

    # The secretariat opens it.
    staff = browser.new_context().new_page()
    sign_in(staff, base, secretariat.email)
    staff.get_by_role("link", name="Notices").click()
    staff.get_by_role("link", name="proposes a working group: Spare batteries").click()
    staff.get_by_role("link", name="Open or decline").click()
    check_accessibility(staff, context="decide on a proposal")
    staff.get_by_label("Open the working group").check()
    staff.get_by_role("button", name="Save the decision").click()
    expect(
        staff.get_by_text("The working group Spare batteries is open.")
    ).to_be_visible()
    assert mail.outbox[-1].to == [procurer_a.email]

    # Another person joins, and shares a document after a refused one.
    other.goto(f"{base}/groups/working-groups/")
    other.get_by_role("link", name="Spare batteries").click()
    check_accessibility(other, context="working group (not a member)")
    expect(other.locator("main")).not_to_contain_text("Documents")
    other.get_by_role("button", name="Join the working group").click()
    expect(
        other.get_by_text("You are now a member of Spare batteries.")
    ).to_be_visible()
    expect(other.locator("main")).to_contain_text("City of Bruges")
    check_accessibility(other, context="working group (member)")

    other.get_by_role("link", name="Add a document").click()
    other.get_by_label("Title").fill("Not really a PDF")
    fake = tmp_path / "draft.pdf"
    fake.write_bytes(b"MZ\x90\x00 this is a program")
    other.get_by_label("File").set_input_files(str(fake))
    other.get_by_role("button", name="Upload").click()
    expect(other.get_by_role("alert")).to_contain_text("its content is not a PDF")
    check_accessibility(other, context="upload refused")
    assert not WorkingGroupDocument.objects.exists()

    real = tmp_path / "battery-criterion.pdf"
    real.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    other.get_by_label("Title").fill("First draft")
    other.get_by_label("File").set_input_files(str(real))
    other.get_by_role("button", name="Upload").click()
    expect(other.get_by_text("The document is added.")).to_be_visible()
    expect(other.get_by_role("link", name="First draft")).to_be_visible()
    with other.expect_download() as download:
        other.get_by_role("link", name="First draft").click()
    assert download.value.suggested_filename == "battery-criterion.pdf"
