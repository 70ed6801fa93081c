"""Every email the platform sends links to SITE_URL, whatever host served the request.

The test walks every door that sends an email (accounts, organisations, signatures,
buyer groups, working groups, reports, reminders, notices, the weekly digest) and checks
that each of the project's email templates was sent at least once: a new email
template that this test does not send makes it fail.
"""

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test.signals import template_rendered
from django.urls import reverse

from cfit.accounts.tests.factories import UserFactory
from cfit.groups import services as groups
from cfit.groups.models import BuyerGroup, GroupMembershipStatus, NoticePreference
from cfit.knowledge.event_services import contact_send
from cfit.monitoring import services as monitoring
from cfit.monitoring.models import ReportingPeriod
from cfit.monitoring.notices import report_reminder
from cfit.monitoring.tests.factories import PurchaseLineFactory, PurchaseReportFactory
from cfit.organisations import services as organisations
from cfit.organisations.models import SignatureRole
from cfit.organisations.tests.factories import SignatureFactory

SITE = "https://pact.example"
OTHER_HOST = "internal-node-3.cluster"
LINK = re.compile(r"https?://[^\s<>\"')]+")


def project_email_templates() -> set[str]:
    """Every '<name>_subject.txt' of the project: each is one email the platform sends."""
    roots = [settings.BASE_DIR / "templates"] + [
        app / "templates" for app in (settings.BASE_DIR / "cfit").iterdir()
    ]
    found = set()
    for root in roots:
        for subject in Path(root).glob("**/*_subject.txt"):
            found.add(str(subject.relative_to(root))[: -len("_subject.txt")])
    return found


@pytest.fixture
def rendered():
    names: set[str] = set()

    def record(sender, template, context, **kwargs):
        if template.name:
            names.add(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


@pytest.fixture
def elsewhere(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [OTHER_HOST]
    settings.ALTCHA_VERIFICATION_ENABLED = False


def send_the_account_emails(client):
    headers = {"HTTP_HOST": OTHER_HOST}
    signup = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@city.example",
        "password1": "An-unusual-passphrase-42",
        "password2": "An-unusual-passphrase-42",
    }
    client.post(reverse("account_signup"), signup, **headers)  # confirmation
    client.post(reverse("account_signup"), signup, **headers)  # already exists
    UserFactory(email="known@city.example")
    reset = reverse("account_reset_password")
    client.post(reset, {"email": "known@city.example"}, **headers)  # reset link
    client.post(reset, {"email": "nobody@city.example"}, **headers)  # unknown
    client.force_login(UserFactory(email="member@city.example"))
    client.post(  # a second address to confirm
        reverse("account_email"),
        {"email": "second@city.example", "action_add": ""},
        **headers,
    )
    client.logout()


def send_the_organisation_emails(procurer_a, organisation_a, secretariat):
    newcomer = UserFactory(email="newcomer@city.example")
    request = organisations.membership_request(organisation=organisation_a, by=newcomer)
    organisations.membership_decide(membership=request, by=procurer_a, accept=True)
    pending = SignatureFactory(
        organisation=organisation_a, role=SignatureRole.COORDINATING
    )
    organisations.signature_approve(signature=pending, by=secretariat)


def send_the_group_emails(procurer_a, procurer_b, coordinator, secretariat):
    group = BuyerGroup.objects.create(
        name="Dutch buyers",
        slug="dutch-buyers",
        kind="national",
        coordinator=coordinator.memberships.get().organisation,
    )
    joined = groups.group_join_request(group=group, by=procurer_a, message="Hello")
    groups.group_join_decide(membership=joined, by=coordinator, accept=True)
    assert joined.status == GroupMembershipStatus.ACTIVE
    proposal = groups.working_group_propose(
        by=procurer_b, name="Tablets", topic="new_product_group", purpose="Tablets."
    )
    groups.working_group_decide(working_group=proposal, by=secretariat, open_it=True)


def send_the_report_emails(procurer_a, coordinator, organisation_a):
    period = ReportingPeriod.objects.create(year=2025, deadline=date(2026, 3, 31))
    report = PurchaseReportFactory(organisation=organisation_a, year=2025)
    line = PurchaseLineFactory(report=report)
    monitoring.report_submit(report=report, by=procurer_a)
    query = monitoring.line_query_ask(line=line, by=coordinator, question="New?")
    monitoring.line_query_answer(query=query, by=procurer_a, answer="Yes.")
    monitoring.report_submit(report=report, by=procurer_a)
    monitoring.report_accept(report=report, by=coordinator)
    monitoring.report_reopen(report=report, by=coordinator, reason="A typo.")
    report_reminder(organisation=organisation_a, period=period, by=coordinator)


def send_a_notice_and_a_digest(procurer_b):
    # A kind of event from another area, through the one helper.
    groups.notify(
        recipients=[procurer_b],
        kind="example.comment",
        text="Someone commented on your good example.",
        url="/examples/1/",
        email_template="email/notice",
    )
    NoticePreference.objects.create(user=procurer_b, kind="other", delivery="digest")
    groups.notify(
        recipients=[procurer_b],
        kind="example.comment",
        text="Another comment.",
        url="/examples/1/",
        email_template="email/notice",
    )
    call_command("send_notice_digest", stdout=StringIO())
    # The contact page's message to the secretariat.
    contact_send(
        name="Anna Smit",
        email="anna@example.org",
        organisation="City of Alphen",
        subject="A question",
        message="How do we report refurbished phones?",
    )


def test_every_email_links_only_to_site_url(
    client,
    elsewhere,
    rendered,
    procurer_a,
    procurer_b,
    coordinator,
    secretariat,
    django_capture_on_commit_callbacks,
):
    organisation_a = procurer_a.memberships.get().organisation
    with django_capture_on_commit_callbacks(execute=True):
        send_the_account_emails(client)
        send_the_organisation_emails(procurer_a, organisation_a, secretariat)
        send_the_group_emails(procurer_a, procurer_b, coordinator, secretariat)
        send_the_report_emails(procurer_a, coordinator, organisation_a)
        send_a_notice_and_a_digest(procurer_b)

    ending = "_subject.txt"
    sent = {name[: -len(ending)] for name in rendered if name.endswith(ending)}
    assert project_email_templates() - sent == set()
    for name in ("password_reset_key", "unknown_account", "account_already_exists"):
        assert f"account/email/{name}" in sent

    assert len(mail.outbox) > 20
    for message in mail.outbox:
        links = LINK.findall(message.body)
        assert links, f"No link in “{message.subject}”"
        wrong = [link for link in links if not link.startswith(SITE + "/")]
        assert wrong == [], f"“{message.subject}” links elsewhere: {wrong}"
        assert "&amp;" not in message.body + message.subject
        assert message.subject.startswith("[Circular & Fair ICT Pact] ")
        assert len(message.to) == 1  # no one sees who else received it
