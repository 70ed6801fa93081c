"""A coordinator asks the market about a criterion; two market parties answer (one saves
a draft first); the coordinator closes, exports and publishes a summary; a visitor reads
it, and the criterion page shows the market's readiness only once three parties answered."""

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from cfit.accounts.tests.factories import PASSWORD
from cfit.criteria.models import Criterion
from cfit.groups.tests.factories import BuyerGroupFactory
from cfit.market import consultations
from cfit.market.consultations import AnswerValue
from cfit.market.models import MarketConsultation, ResponseStatus
from cfit.market.selectors import MINIMUM_READINESS_ANSWERS
from cfit.market.tests.factories import party_with_person
from e2e.conftest import check_accessibility


@pytest.fixture
def group(coordinating_organisation):
    return BuyerGroupFactory(
        name="Dutch buyer group",
        slug="dutch-buyer-group",
        coordinator=coordinating_organisation,
    )


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def answer_as(page, base, email, consultation_url, *, draft_first: bool):
    sign_in(page, base, email)
    page.goto(consultation_url)
    page.get_by_role("link", name="Answer the consultation").click()
    check_accessibility(page, context="answer form")
    if draft_first:
        page.get_by_role("radio", name="Not yet").check()
        page.get_by_label("If not yet: in which year").fill("2028")
        page.get_by_role("button", name="Save as draft").click()
        expect(page.get_by_text("Your draft is saved")).to_be_visible()
        page.get_by_role("link", name="Change your answers").click()
        expect(page.get_by_role("radio", name="Not yet")).to_be_checked()
    page.get_by_role("radio", name="Yes, today").check()
    page.get_by_role("button", name="Submit the answers").click()
    expect(page.get_by_text("Your answers are submitted")).to_be_visible()


def test_a_consultation_is_run_answered_summarised_and_read(
    live_server, page, browser, coordinator, group, secretariat, tmp_path
):
    base = live_server.url
    criterion = Criterion.objects.get(code="LIFE-01")
    _one, first = party_with_person(secretariat, name="Renewed Devices")
    _two, second = party_with_person(secretariat, name="Northwind", kind="brand")

    # The coordinator sets up the consultation with a question about a criterion.
    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/market/consultations/")
    page.get_by_role("link", name="Start a consultation").click()
    page.get_by_label("Title").fill("Warranty with the battery")
    page.get_by_label("Run by").select_option(label="Dutch buyer group")
    page.get_by_label("Context").fill("We plan to ask for **five years**.")
    today = timezone.localdate()
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Closes at the end of").fill((today + timedelta(7)).isoformat())
    check_accessibility(page, context="consultation form")
    page.get_by_role("button", name="Save the consultation").click()
    page.get_by_label("Question", exact=True).fill("Can you offer it on every model?")
    page.get_by_label("Kind of answer").select_option(
        label="Can you meet a criterion today, or by when"
    )
    page.get_by_label("Criterion").select_option(value=str(criterion.pk))
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question is added.")).to_be_visible()
    page.get_by_role("button", name="Send to the market").click()
    expect(page.get_by_text("The consultation is sent")).to_be_visible()
    check_accessibility(page, context="consultation (organiser)")
    consultation_url = page.url

    # Two market parties answer; the first saves a draft first.
    party_page = browser.new_context().new_page()
    answer_as(party_page, base, first.email, consultation_url, draft_first=True)
    other_page = browser.new_context().new_page()
    answer_as(other_page, base, second.email, consultation_url, draft_first=False)

    # The coordinator closes it, exports the answers and publishes a summary.
    page.reload()
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_text("The consultation is closed.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the answers (XLSX)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    workbook = load_workbook(saved)
    assert len(workbook.sheetnames) == 1
    cells = [c.value for row in workbook.active.iter_rows() for c in row]
    assert cells.count("Meets it today") == 2
    assert "Renewed Devices" not in cells  # confidential: no names
    page.get_by_label("Summary").fill("Both parties **meet it today**.")
    page.get_by_role("button", name="Publish the summary").click()
    expect(page.get_by_text("The summary is published")).to_be_visible()

    # A visitor reads it; the criterion page does not show readiness from two answers.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/market/consultations/")
    visitor.get_by_role("link", name="Warranty with the battery").click()
    expect(visitor.locator("main strong").first).to_have_text("meet it today")
    check_accessibility(visitor, context="published summary")
    visitor.goto(f"{base}{criterion.get_absolute_url()}")
    expect(
        visitor.get_by_text(
            f"Shown once at least {MINIMUM_READINESS_ANSWERS} market parties"
        )
    ).to_be_visible()

    # The coordinator extends the close date; a third party answers; closed again.
    page.get_by_label("New close date").fill((today + timedelta(3)).isoformat())
    page.get_by_role("button", name="Change the close date").click()
    expect(page.get_by_text("The close date is changed.")).to_be_visible()
    consultation = MarketConsultation.objects.get(title="Warranty with the battery")
    _three, third = party_with_person(secretariat, name="Green Loop", kind="recycler")
    question = consultation.questions.get()
    consultations.answers_save(
        consultation=consultation,
        by=third,
        values={question.pk: AnswerValue(meets_today=False, expected_year=2027)},
        submit=True,
    )
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_text("The consultation is closed.")).to_be_visible()
    assert consultation.responses.filter(status=ResponseStatus.SUBMITTED).count() == 3

    visitor.reload()
    readiness = visitor.locator("section", has_text="Market readiness")
    expect(readiness).to_contain_text("2 meet it today")
    expect(readiness).to_contain_text("1 expects to meet it in 2027")
    check_accessibility(visitor, context="criterion page with readiness")
