"""A procurer reports the year's purchases from the XLSX template; the coordinator accepts."""

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from cfit.accounts.tests.factories import PASSWORD
from cfit.monitoring.tests.factories import ReportingPeriodFactory, buyer_group_of
from e2e.conftest import check_accessibility


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def filled_template(template: bytes, rows: list[list[object]]) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Purchases"]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_from_the_template_to_an_accepted_report(
    live_server,
    page,
    browser,
    procurer_a,
    coordinator,
    organisation_a,
    coordinating_organisation,
    tmp_path,
):
    ReportingPeriodFactory(year=2025)
    buyer_group_of(coordinating_organisation, organisation_a)
    base = live_server.url

    # The report is due: My page says so, and the Reports entry leads to it.
    sign_in(page, base, procurer_a.email)
    expect(page.get_by_role("link", name="Purchase report 2025")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Reports"
    ).click()
    check_accessibility(page, context="reports index")
    page.get_by_role("link", name="Report 2025").click()
    check_accessibility(page, context="empty report")

    # Download the template and fill it in, with one mistake.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the XLSX template").click()
    template = download_info.value.path().read_bytes()
    good_rows = [
        [
            "laptop",
            250,
            "new",
            6,
            3,
            "tco-certified; epeat-gold",
            "LIFE-01",
            212500,
            "NL",
            "ALP-2025-LAP",
            200,
            "take_back",
        ],
        [
            "smartphone",
            80,
            "refurbished",
            4,
            1,
            "",
            "",
            18400,
            "",
            "ALP-2025-PHO",
            0,
            "",
        ],
    ]
    bad = tmp_path / "purchases.xlsx"
    bad.write_bytes(filled_template(template, [*good_rows, ["tablet", 0, "new"]]))

    page.get_by_role("link", name="Upload a file").click()
    check_accessibility(page, context="upload form")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("1 problem found: nothing was stored")
    expect(problems).to_contain_text(
        "row 4, column Quantity: the quantity must be at least 1."
    )
    check_accessibility(page, context="preview with a problem")

    # Fix it and upload again: the preview shows the totals; store the lines.
    fixed = tmp_path / "purchases-fixed.xlsx"
    fixed.write_bytes(filled_template(template, [*good_rows, ["tablet", 12, "new"]]))
    page.get_by_label("CSV or XLSX file").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("main")).to_contain_text("Lines without problems")
    expect(
        page.get_by_role("row", name="Laptop (portable computer) 1 250")
    ).to_be_visible()
    check_accessibility(page, context="preview without problems")
    page.get_by_role("button", name="Store the lines").click()
    expect(page.get_by_text("3 lines with 342 devices were stored.")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("342")
    check_accessibility(page, context="report with lines")

    # Submit: the report locks.
    page.get_by_role("button", name="Submit the report").click()
    expect(
        page.get_by_text("Your 2025 report was sent to your coordinator.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Add a line")).to_have_count(0)

    # The coordinator finds it among the reports to review and accepts it.
    coordinator_page = browser.new_context().new_page()
    sign_in(coordinator_page, base, coordinator.email)
    coordinator_page.goto(f"{base}/reports/")
    check_accessibility(coordinator_page, context="reports to review")
    coordinator_page.get_by_role("link", name="City of Alphen").first.click()
    check_accessibility(coordinator_page, context="report (coordinator)")
    coordinator_page.get_by_role("button", name="Accept the report").click()
    expect(
        coordinator_page.get_by_text("The 2025 report of City of Alphen is accepted.")
    ).to_be_visible()

    # The procurer sees it accepted, and its history.
    page.reload()
    expect(page.locator("main")).to_contain_text("Accepted")
    page.get_by_role("link", name="History of changes").click()
    expect(page.locator("main")).to_contain_text("imported 3 lines with 342 devices")
    check_accessibility(page, context="history")


def test_a_procurer_types_a_line_answers_a_question_and_plans_a_tender(
    live_server,
    page,
    browser,
    procurer_a,
    coordinator,
    organisation_a,
    coordinating_organisation,
):
    ReportingPeriodFactory(year=2025)
    buyer_group_of(coordinating_organisation, organisation_a)
    base = live_server.url
    sign_in(page, base, procurer_a.email)
    page.goto(f"{base}/reports/city-of-alphen/2025/")
    page.get_by_role("link", name="Add a line").click()
    check_accessibility(page, context="line form")
    page.get_by_label("Product group").select_option(
        label="Smartphone (mobile telephone)"
    )
    page.get_by_label("Quantity").fill("40")
    page.get_by_role("radio", name="Refurbished", exact=True).check()
    page.get_by_label("Devices retired").fill("30")
    page.get_by_role("button", name="Add the line").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Say where the retired devices went"
    )
    check_accessibility(page, context="line form with an error")
    page.get_by_label("Retired devices went to").select_option("reuse")
    page.get_by_role("button", name="Add the line").click()
    expect(page.get_by_text("The line was added.")).to_be_visible()
    page.get_by_role("button", name="Submit the report").click()

    coordinator_page = browser.new_context().new_page()
    sign_in(coordinator_page, base, coordinator.email)
    coordinator_page.goto(f"{base}/reports/city-of-alphen/2025/")
    coordinator_page.get_by_role("link", name="Ask a question about line 1").click()
    check_accessibility(coordinator_page, context="question form")
    coordinator_page.get_by_label("Your question about this line").fill(
        "Were 30 old phones really resold?"
    )
    coordinator_page.get_by_role("button", name="Send the question").click()
    expect(coordinator_page.get_by_text("Your question was sent")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Were 30 old phones really resold?")).to_be_visible()
    check_accessibility(page, context="report with a question")
    page.get_by_label("Your answer").fill("Yes, to a social enterprise.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Your answer was saved.")).to_be_visible()
    page.get_by_role("button", name="Submit the report").click()
    expect(
        page.get_by_text("Your 2025 report was sent to your coordinator.")
    ).to_be_visible()

    page.goto(f"{base}/reports/forecasts/")
    check_accessibility(page, context="planned tenders")
    page.get_by_role("link", name="Add a planned tender").click()
    page.get_by_label("Tender name").fill("Laptops 2027")
    page.get_by_label("Product group").select_option(label="Laptop (portable computer)")
    # Only the laptop's criteria are offered: LIFE-07 is for smartphones only.
    expect(page.get_by_role("checkbox", name=re.compile(r"^LIFE-07"))).to_be_hidden()
    expect(page.get_by_role("checkbox", name=re.compile(r"^LIFE-01"))).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"^LIFE-01")).check()
    page.get_by_label("Estimated quantity").fill("900")
    page.get_by_label("Planned year").fill("2027")
    page.get_by_role("radio", name="Ambitious", exact=True).check()
    check_accessibility(page, context="planned tender form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name="Laptops 2027")).to_contain_text("900")
    expect(page.get_by_role("row", name="Laptops 2027")).to_contain_text("LIFE-01")
