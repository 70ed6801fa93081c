"""Each person chooses per kind of event: email at once, a weekly digest, or no email."""

from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from cfit.groups.models import NOTICE_KINDS, Notice, NoticePreference
from cfit.groups.services import notify


def tell(
    person, kind="report.accepted", text="Your 2025 purchase report was accepted."
):
    notify(
        recipients=[person],
        kind=kind,
        text=text,
        url="/reports/",
        email_template="email/notice",
    )


def test_without_a_choice_a_person_gets_an_email_at_once(
    procurer_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://pact.example"
    with django_capture_on_commit_callbacks(execute=True):
        tell(procurer_a)
    [email] = mail.outbox
    assert email.to == ["procurer.a@example.org"]
    assert "Your 2025 purchase report was accepted." in email.body
    assert "https://pact.example/reports/" in email.body


def test_a_kind_no_one_listed_follows_the_choice_for_everything_else(
    procurer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(procurer_a, kind="example.comment")
    assert len(mail.outbox) == 1  # unknown kinds default to an email at once

    NoticePreference.objects.create(user=procurer_a, kind="other", delivery="none")
    with django_capture_on_commit_callbacks(execute=True):
        tell(procurer_a, kind="example.comment")
    assert len(mail.outbox) == 1
    assert Notice.objects.filter(recipient=procurer_a).count() == 2


def test_the_weekly_digest_sends_one_email_per_person_and_only_once(
    procurer_a, procurer_b, django_capture_on_commit_callbacks
):
    for person in (procurer_a, procurer_b):
        NoticePreference.objects.create(
            user=person, kind="report.accepted", delivery="digest"
        )
    with django_capture_on_commit_callbacks(execute=True):
        tell(procurer_a, text="First thing.")
        tell(procurer_a, text="Second thing.")
        tell(procurer_b, text="Third thing.")
    assert not mail.outbox

    out = StringIO()
    call_command("send_notice_digest", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "Would send 2 weekly digests covering 3 notices."
    assert not mail.outbox

    out = StringIO()
    call_command("send_notice_digest", stdout=out)
    assert out.getvalue().strip() == "Sent 2 weekly digests covering 3 notices."
    [to_a] = [m for m in mail.outbox if m.to == ["procurer.a@example.org"]]
    assert "First thing." in to_a.body and "Second thing." in to_a.body
    assert "Third thing." not in to_a.body
    assert "2 notices" in to_a.subject

    call_command("send_notice_digest", stdout=out)
    assert len(mail.outbox) == 2


def test_the_profile_page_offers_and_stores_the_choices(client, procurer_a):
    client.force_login(procurer_a)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Your coordinator asked a question about your report" in page
    assert "In a weekly digest email" in page
    response = client.post(
        reverse("accounts:profile"),
        {
            "notice_preferences": "1",
            **dict.fromkeys(NOTICE_KINDS, "immediate"),
            "report.queried": "digest",
        },
    )
    assert response.status_code == 302
    assert (
        NoticePreference.objects.get(user=procurer_a, kind="report.queried").delivery
        == "digest"
    )
    procurer_a.refresh_from_db()
    assert procurer_a.first_name  # the name form was not touched
