"""My page says what to do next: reports due, questions, reviews, members to remind."""

import datetime

from django.core import mail
from django.urls import reverse

from cfit.groups.models import Notice
from cfit.monitoring.models import LineQuery, ReportStatus
from cfit.monitoring.selectors import reports_due

from .factories import PurchaseLineFactory, PurchaseReportFactory

HOME = "accounts:home"


def test_a_signature_approved_during_a_year_owes_no_report_for_that_year(
    client, procurer_a, organisation_a, period
):
    organisation_a.signatures.update(approved_on=datetime.date(2025, 5, 4))
    assert reports_due(organisation_a) == []
    client.force_login(procurer_a)
    page = client.get(reverse(HOME)).content.decode()
    assert "Purchase report 2025" not in page
    assert "No report is due." in page


def test_a_signature_approved_on_new_years_day_owes_that_years_report(
    organisation_a, period
):
    organisation_a.signatures.update(approved_on=datetime.date(2025, 1, 1))
    assert [d.period.year for d in reports_due(organisation_a)] == [2025]


def test_an_organisation_with_a_pending_signature_owes_nothing(organisation_a, period):
    organisation_a.signatures.update(status="pending", approved_on=None)
    assert reports_due(organisation_a) == []


def test_the_procurers_my_page_lists_the_open_question(
    client, procurer_a, coordinator, report_a
):
    LineQuery.objects.create(
        line=report_a.lines.get(), question="Were these new?", asked_by=coordinator
    )
    report_a.status = ReportStatus.QUERIED
    report_a.save()
    client.force_login(procurer_a)
    page = client.get(reverse(HOME)).content.decode()
    assert "Answer the question about 25" in page
    assert "Were these new?" in page


def test_the_coordinators_my_page_lists_reports_waiting_for_review(
    client, coordinator, report_a
):
    report_a.status = ReportStatus.SUBMITTED
    report_a.submitted_at = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    report_a.save()
    client.force_login(coordinator)
    page = client.get(reverse(HOME)).content.decode()
    assert "Review the 2025 report of City of Alphen" in page
    assert "sent on 2 March 2026" in page
    assert "Remind them" not in page  # the only member has sent its report


def test_remind_them_sends_one_reminder_per_member_per_week(
    client, coordinator, procurer_a, group, period, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(reverse(HOME)).content.decode()
    assert "Members that have not sent their report" in page
    assert "Remind them" in page
    url = reverse("monitoring:remind", kwargs={"slug": "city-of-alphen", "year": 2025})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "City of Alphen was reminded that its 2025 report is due." in (
        response.content.decode()
    )
    [email] = mail.outbox
    assert email.to == ["procurer.a@example.org"]
    assert "This reminder comes from Ministry of Coordination" in email.body
    assert Notice.objects.filter(recipient=procurer_a, kind="report.reminder").exists()
    assert "reminded this week" in client.get(reverse(HOME)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    assert "already reminded this week" in again.content.decode()
    assert len(mail.outbox) == 1


def test_only_the_reviewers_may_remind(client, procurer_b, group, period):
    client.force_login(procurer_b)
    url = reverse("monitoring:remind", kwargs={"slug": "city-of-alphen", "year": 2025})
    assert client.post(url).status_code == 404


def test_the_secretariat_sees_reports_of_organisations_in_no_group(
    client, secretariat, organisation_b, period
):
    report = PurchaseReportFactory(
        organisation=organisation_b, year=2025, status=ReportStatus.SUBMITTED
    )
    PurchaseLineFactory(report=report)
    client.force_login(secretariat)
    page = client.get(reverse(HOME)).content.decode()
    assert "Review the 2025 report of City of Bruges" in page
