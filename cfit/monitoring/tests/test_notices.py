"""Everyone hears of each step of a report's review: a notice, and an email as they chose."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cfit.groups.models import NOTICE_KINDS, Notice
from cfit.lib.countries import country_name
from cfit.monitoring.importing import check_purchases
from cfit.monitoring.models import LineQuery, ReportStatus

from .factories import PurchaseLineFactory, PurchaseReportFactory
from .test_views import line_post

KWARGS = {"slug": "city-of-alphen", "year": 2025}


def post(client, name, data=None, **extra):
    return client.post(reverse(name, kwargs={**KWARGS, **extra}), data or {})


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_submitting_tells_the_coordinator_with_a_notice_and_an_email(
    client, procurer_a, coordinator, report_a, django_capture_on_commit_callbacks
):
    client.force_login(procurer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "monitoring:submit")
    assert "sent to your coordinator" in str(list(response.wsgi_request._messages))
    notice = Notice.objects.get(recipient=coordinator)
    assert notice.kind == "report.submitted"
    assert "City of Alphen sent its 2025 purchase report" in notice.text
    assert notice.url == report_a.get_absolute_url()
    [email] = mails_to("coordinator@example.org")
    assert "City of Alphen" in email.subject and "2025" in email.subject
    assert "waits for your review" in email.body
    assert f"http://testserver{report_a.get_absolute_url()}" not in email.body
    assert not mails_to("procurer.a@example.org")


def test_a_report_of_an_organisation_in_no_group_goes_to_the_secretariat_and_says_so(
    client, procurer_a, secretariat, period, django_capture_on_commit_callbacks
):
    organisation = procurer_a.memberships.get().organisation
    report = PurchaseReportFactory(organisation=organisation, year=2025)
    PurchaseLineFactory(report=report)
    client.force_login(procurer_a)
    page = client.get(report.get_absolute_url())
    assert "the secretariat of the Pact reviews it" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:submit", kwargs=KWARGS), follow=True)
    text = response.content.decode()
    assert "sent to the secretariat of the Pact" in text
    assert "sent to your coordinator" not in text
    notice = Notice.objects.get(recipient=secretariat)
    assert "so the secretariat reviews it" in notice.text
    assert mails_to("secretariat@example.org")


def test_the_question_and_the_answer_reach_the_other_side(
    client, procurer_a, coordinator, report_a, django_capture_on_commit_callbacks
):
    line = report_a.lines.get()
    report_a.status = ReportStatus.SUBMITTED
    report_a.save()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            "monitoring:line-query",
            {"question": "Were these really new?"},
            pk=line.pk,
        )
    notice = Notice.objects.get(recipient=procurer_a)
    assert notice.kind == "report.queried"
    assert "Ministry of Coordination asked a question" in notice.text
    assert "Were these really new?" in notice.text
    [email] = mails_to("procurer.a@example.org")
    assert "Were these really new?" in email.body
    assert "submit the report again" in email.body

    query = LineQuery.objects.get()
    client.force_login(procurer_a)
    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            "monitoring:query-answer",
            {"answer": "Two were refurbished."},
            pk=query.pk,
        )
    answered = Notice.objects.get(recipient=coordinator, kind="report.answered")
    assert "City of Alphen answered your question" in answered.text
    [email] = mails_to("coordinator@example.org")
    assert "Two were refurbished." in email.body
    assert "Were these really new?" in email.body


def test_accepting_tells_the_procurer(
    client, procurer_a, coordinator, report_a, django_capture_on_commit_callbacks
):
    report_a.status = ReportStatus.SUBMITTED
    report_a.save()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "monitoring:accept")
    notice = Notice.objects.get(recipient=procurer_a)
    assert notice.text == (
        "Your 2025 purchase report was accepted by Ministry of Coordination. Thank you!"
    )
    [email] = mails_to("procurer.a@example.org")
    assert email.subject.endswith("Your 2025 purchase report is accepted")


def test_an_accepted_report_is_reopened_with_a_reason_that_the_procurer_reads(
    client, procurer_a, coordinator, report_a, django_capture_on_commit_callbacks
):
    report_a.status = ReportStatus.ACCEPTED
    report_a.save()
    client.force_login(procurer_a)
    page = client.get(report_a.get_absolute_url()).content.decode()
    assert "Reopen it if you need to change" not in page
    assert "ask your coordinator (or the secretariat) to reopen it" in page

    client.force_login(coordinator)
    assert 'name="reason"' in client.get(report_a.get_absolute_url()).content.decode()
    post(client, "monitoring:reopen")
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.ACCEPTED  # no reason, nothing changes

    with django_capture_on_commit_callbacks(execute=True):
        post(client, "monitoring:reopen", {"reason": "Line 2 counts the phones twice."})
    report_a.refresh_from_db()
    assert report_a.status == ReportStatus.DRAFT
    notice = Notice.objects.get(recipient=procurer_a)
    assert "Line 2 counts the phones twice." in notice.text
    [email] = mails_to("procurer.a@example.org")
    assert "Line 2 counts the phones twice." in email.body


@pytest.mark.parametrize("delivery", ["digest", "none"])
def test_a_procurer_who_chose_no_immediate_email_gets_only_the_notice(
    client,
    procurer_a,
    coordinator,
    report_a,
    delivery,
    django_capture_on_commit_callbacks,
):
    client.force_login(procurer_a)
    client.post(
        reverse("accounts:profile"),
        {
            "notice_preferences": "1",
            **dict.fromkeys(NOTICE_KINDS, "immediate"),
            "report.accepted": delivery,
        },
    )
    report_a.status = ReportStatus.SUBMITTED
    report_a.save()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "monitoring:accept")
    notice = Notice.objects.get(recipient=procurer_a)
    assert notice.in_digest == (delivery == "digest")
    assert not mails_to("procurer.a@example.org")


def test_the_history_reads_in_words(client, procurer_a, coordinator, report_a):
    line = report_a.lines.get()
    client.force_login(procurer_a)
    procurer_a.first_name, procurer_a.last_name = "Anna", "Smit"
    procurer_a.save()
    post(
        client,
        "monitoring:line-edit",
        line_post(line, quantity="120", devices_retired="10", retired_to="reuse"),
        pk=line.pk,
    )
    post(client, "monitoring:submit")
    page = client.get(reverse("monitoring:history", kwargs=KWARGS)).content.decode()
    assert "Anna Smit changed 25 × " in page
    assert "Anna Smit submitted the report" in page
    assert "Reuse (resold or donated)" in page
    for code_word in (
        "retired_to",
        "expected lifetime years",
        "(line ",
        "line_changed",
    ):
        assert code_word not in page


def test_the_upload_preview_shows_the_first_rows_as_they_will_be_stored(
    client, procurer_a, report_a
):
    csv = (
        "product_group,quantity,condition,spend_eur,country_of_use\n"
        "laptop,1200,refurbished,240500.50,BE\n"
    )
    client.force_login(procurer_a)
    upload = SimpleUploadedFile("purchases.csv", csv.encode(), "text/csv")
    response = client.post(
        reverse("monitoring:upload", kwargs=KWARGS), {"file": upload}, follow=True
    )
    page = response.content.decode()
    assert "The first line as it will be stored" in page
    assert "Refurbished" in page and "Belgium" in page
    assert "€240,500.50" in page
    assert "1,200" in page
    assert "240500.50" not in page


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_templates_lists_hold_words_and_every_word_imports(
    client, procurer_a, language
):
    client.force_login(procurer_a)
    # A Dutch browser is sent to the Dutch address of the template (/nl/…).
    response = client.get(
        reverse("monitoring:template"), HTTP_ACCEPT_LANGUAGE=language, follow=True
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    purchases, lists = workbook.worksheets[0], workbook.worksheets[1]
    # The Lists sheet: product groups, conditions, countries, destinations, ecolabels,
    # criteria, in that order.
    groups, conditions, countries, destinations, labels, _criteria = (
        [c.value for c in column[1:] if c.value] for column in lists.iter_cols()
    )
    listed = groups + conditions + countries + destinations + labels
    for code in ("take_back", "tco-certified", "laptop", "BE", "refurbished"):
        assert code not in listed
    with translation.override(language):
        belgium = country_name("BE")  # "België" in the Dutch template
    assert belgium in countries
    for condition, destination in zip(
        conditions, destinations + destinations, strict=False
    ):
        purchases.append(
            [groups[0], 5, condition, None, None, labels[0], None, None]
            + [belgium, None, 1, destination]
        )
    out = io.BytesIO()
    workbook.save(out)
    with translation.override(language):
        check = check_purchases(io.BytesIO(out.getvalue()), default_country="NL")
    assert [str(p) for p in check.problems] == []
    assert check.line_count == len(conditions)
