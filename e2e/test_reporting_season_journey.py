"""The reporting season: each step tells the person who acts next, on the site and by email."""

import re

from django.core import mail
from playwright.sync_api import expect

from cfit.monitoring.tests.factories import (
    PurchaseLineFactory,
    PurchaseReportFactory,
    ReportingPeriodFactory,
    buyer_group_of,
)
from e2e.conftest import check_accessibility
from e2e.test_accessibility_sweep import layout_problems
from e2e.test_monitoring_report_journey import sign_in

SITE = "https://pact.example"


def last_mail_to(address):
    return [m for m in mail.outbox if m.to == [address]][-1]


def follow_link(page, base, message):
    """Open the link of an email: it is on SITE_URL; the test server has another address."""
    [link] = re.findall(rf"{re.escape(SITE)}(/reports/\S+)", message.body)
    page.goto(f"{base}{link}")


def notices_contain(page, base, text):
    page.goto(f"{base}/groups/notices/")
    expect(page.locator("main")).to_contain_text(text)


def test_submit_question_answer_accept_each_step_tells_the_next_person(
    live_server,
    page,
    browser,
    settings,
    procurer_a,
    coordinator,
    organisation_a,
    coordinating_organisation,
):
    settings.SITE_URL = SITE
    ReportingPeriodFactory(year=2025)
    buyer_group_of(coordinating_organisation, organisation_a)
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    PurchaseLineFactory(report=report, quantity=120, condition="refurbished")
    base = live_server.url

    # The procurer submits. Edit and Delete stay whole at 1280 px and on a phone.
    sign_in(page, base, procurer_a.email)
    page.goto(f"{base}/reports/city-of-alphen/2025/")
    assert layout_problems(page, "draft report") == []
    page.get_by_role("button", name="Submit the report").click()
    expect(
        page.get_by_text("Your 2025 report was sent to your coordinator.")
    ).to_be_visible()

    # The coordinator gets a notice and an email, and My page lists the report.
    email = last_mail_to(coordinator.email)
    assert "City of Alphen: the 2025 purchase report waits for your review" in (
        email.subject
    )
    assert "City of Alphen sent its 2025 purchase report." in email.body
    coordinator_page = browser.new_context().new_page()
    sign_in(coordinator_page, base, coordinator.email)
    todo = coordinator_page.get_by_role("region", name="To do")
    expect(todo).to_contain_text("Review the 2025 report of City of Alphen")
    check_accessibility(coordinator_page, context="coordinator's to-do list")
    notices_contain(
        coordinator_page,
        base,
        "City of Alphen sent its 2025 purchase report. It waits for your review.",
    )
    follow_link(coordinator_page, base, email)

    # The coordinator asks a question; the procurer is told, with the question.
    coordinator_page.get_by_role("link", name="Ask a question about line 1").click()
    coordinator_page.get_by_label("Your question about this line").fill(
        "Were all 120 laptops refurbished?"
    )
    coordinator_page.get_by_role("button", name="Send the question").click()
    expect(coordinator_page.get_by_text("Your question was sent")).to_be_visible()
    email = last_mail_to(procurer_a.email)
    assert email.subject.endswith("A question about your 2025 purchase report")
    assert "“Were all 120 laptops refurbished?”" in email.body
    notices_contain(page, base, "Ministry of Coordination asked a question about 120")
    page.goto(f"{base}/me/")
    expect(page.get_by_role("region", name="To do")).to_contain_text(
        "Were all 120 laptops refurbished?"
    )

    # The procurer answers and sends the report again; the coordinator is told.
    follow_link(page, base, email)
    page.get_by_label("Your answer").fill("Yes, all from one refurbisher.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Your answer was saved.")).to_be_visible()
    email = last_mail_to(coordinator.email)
    assert email.subject.endswith("City of Alphen answered your question")
    assert "“Yes, all from one refurbisher.”" in email.body
    page.get_by_role("button", name="Submit the report").click()
    email = last_mail_to(coordinator.email)
    assert "answered the questions and sent its 2025 purchase report again" in (
        email.body
    )

    # The coordinator accepts; the procurer is told.
    follow_link(coordinator_page, base, email)
    coordinator_page.get_by_role("button", name="Accept the report").click()
    expect(
        coordinator_page.get_by_text("The 2025 report of City of Alphen is accepted.")
    ).to_be_visible()
    email = last_mail_to(procurer_a.email)
    assert email.subject.endswith("Your 2025 purchase report is accepted")
    assert "Ministry of Coordination accepted the 2025 purchase report" in email.body
    notices_contain(
        page,
        base,
        "Your 2025 purchase report was accepted by Ministry of Coordination.",
    )
    check_accessibility(page, context="notices")
