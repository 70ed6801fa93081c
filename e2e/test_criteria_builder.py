"""A procurer builds a BASE+AMBITIOUS laptop tender, downloads it, and saves it."""

import io
import re

from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from cfit.accounts.tests.factories import PASSWORD
from cfit.criteria.models import TenderSelection
from e2e.conftest import check_accessibility


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_procurer_builds_downloads_and_saves_a_laptop_tender(
    live_server, page, procurer_a
):
    base = live_server.url
    sign_in(page, base, procurer_a.email)
    page.get_by_role("link", name="Tender builder", exact=True).click()
    check_accessibility(page, context="tender builder, empty")

    # Laptop at the ambitious level: base and ambitious criteria are ticked.
    page.get_by_label("Product group").select_option("laptop")
    page.get_by_label("Ambitious").check()
    page.get_by_role("button", name="Show the criteria").click()
    expect(page.get_by_role("heading", name="Criteria for Laptop")).to_be_visible()
    life01 = page.get_by_label("LIFE-01 Manufacturer's warranty")
    expect(life01).to_be_checked()
    expect(page.get_by_label("LIFE-02 Extended service agreement")).to_be_checked()
    expect(page.get_by_label("CLIM-02 Renewable electricity")).not_to_be_checked()
    expect(page.get_by_text("LIFE-07")).to_have_count(0)  # smartphones only
    check_accessibility(page, context="tender builder, laptop ambitious")

    # Remove one criterion, add a front-runner one; the count follows.
    chosen = page.locator('input[name="criteria"]:checked').count()
    expect(page.locator("#criteria-count")).to_have_text(f"Criteria chosen: {chosen}")
    page.get_by_label("MATR-02 Recycled plastic content").uncheck()
    expect(page.locator("#criteria-count")).to_have_text(
        f"Criteria chosen: {chosen - 1}"
    )
    page.get_by_label("CLIM-02 Renewable electricity").check()
    expect(page.locator("#criteria-count")).to_contain_text("Criteria chosen:")
    page.get_by_label("Title of the tender").fill("Laptops for Alphen 2027")

    # A warranty of 99 years is refused, with the allowed range.
    warranty = page.get_by_label("LIFE-01: Warranty period (years)")
    warranty.fill("99")
    page.get_by_role("button", name="Download Word (DOCX)").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Warranty period must be between 2 and 7 years."
    )
    check_accessibility(page, context="tender builder with an error")
    assert not TenderSelection.objects.exists()

    # Five years is fine: download DOCX and PDF and read them.
    page.get_by_label("LIFE-01: Warranty period (years)").fill("5")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Word (DOCX)").click()
    docx_path = download_info.value.path()
    docx_text = "\n".join(p.text for p in Document(docx_path).paragraphs)
    assert "Laptops for Alphen 2027" in docx_text
    assert "LIFE-01 Manufacturer's warranty, battery included" in docx_text
    assert "warranty of at least 5 years" in docx_text
    assert "LIFE-02 Extended service agreement offered" in docx_text
    assert "CLIM-02 Renewable electricity in final assembly" in docx_text
    assert "MATR-02" not in docx_text
    assert "LIFE-01 v1" in docx_text

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    with open(download_info.value.path(), "rb") as pdf_file:
        pdf = PdfReader(io.BytesIO(pdf_file.read()))
    pdf_text = " ".join(p.extract_text() for p in pdf.pages)
    assert "LIFE-01" in pdf_text and "LIFE-02" in pdf_text
    assert re.search(r"warranty of at least 5\s+years", pdf_text)

    # Save it for the organisation and reopen it later.
    page.get_by_role("button", name="Save for City of Alphen").click()
    expect(page.get_by_text("“Laptops for Alphen 2027” is saved")).to_be_visible()
    check_accessibility(page, context="saved selection")
    expect(page.get_by_text("warranty of at least 5 years")).to_be_visible()
    page.get_by_role("link", name="Saved tender selections").click()
    check_accessibility(page, context="saved selections")
    page.get_by_role("link", name="Laptops for Alphen 2027").click()
    page.get_by_role("link", name="Open in the tender builder").click()
    expect(page.get_by_label("LIFE-01: Warranty period (years)")).to_have_value("5")
    expect(page.get_by_label("MATR-02 Recycled plastic content")).not_to_be_checked()
    selection = TenderSelection.objects.get()
    assert selection.items.count() == selection.items.filter(version__number=1).count()
