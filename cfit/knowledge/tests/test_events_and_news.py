import threading
import time
import zoneinfo
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cfit.accounts.tests.factories import UserFactory
from cfit.groups.models import Notice
from cfit.knowledge import event_services
from cfit.knowledge.models import Event, EventRegistration, NewsItem
from cfit.organisations.tests.factories import member_of

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def _event(by, *, capacity=None, audience="public", group=None, days=10, **fields):
    start = (timezone.now() + timedelta(days=days)).astimezone(BRUSSELS)
    start = start.replace(hour=14, minute=0, second=0, microsecond=0, tzinfo=None)
    values = {
        "title": "Webinar on refurbished laptops",
        "kind": "webinar",
        "description": "How to buy **refurbished**.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "time_zone": "Europe/Brussels",
        "place": "",
        "online_url": "https://meet.example.org/pact",
        "audience": audience,
        "group": group,
        "registration_open": True,
        "capacity": capacity,
        **fields,
    }
    return event_services.event_save(by=by, fields=values)


def test_an_event_is_stored_in_its_own_time_zone(secretariat):
    event = _event(
        secretariat,
        starts_at=datetime(2031, 3, 4, 10, 0),
        ends_at=datetime(2031, 3, 4, 12, 0),
        time_zone="Europe/Helsinki",
    )
    assert event.starts_at == datetime(
        2031, 3, 4, 8, 0, tzinfo=zoneinfo.ZoneInfo("UTC")
    )


def test_an_event_that_ends_before_it_starts_is_refused_and_not_stored(
    client, secretariat
):
    client.force_login(secretariat)
    response = client.post(
        reverse("knowledge:event-new"),
        {
            "title": "Backwards",
            "kind": "training",
            "description": "x",
            "starts_at": "2031-03-04T12:00",
            "ends_at": "2031-03-04T10:00",
            "time_zone": "Europe/Brussels",
            "audience": "public",
            "registration_open": "on",
        },
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    assert not Event.objects.exists()


def test_the_ics_file_of_an_event_is_a_valid_calendar(client, secretariat):
    event = _event(secretariat, time_zone="Europe/Lisbon")
    response = client.get(reverse("knowledge:event-ics", kwargs={"slug": event.slug}))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTSTART") == event.starts_at
    assert entry["DTSTART"].params["TZID"] == "Europe/Lisbon"
    assert calendar.walk("VTIMEZONE")


def test_a_full_event_puts_the_next_person_on_the_waiting_list(
    client, secretariat, procurer_a, procurer_b
):
    event = _event(secretariat, capacity=1)
    url = reverse("knowledge:event-register", kwargs={"slug": event.slug})
    client.force_login(procurer_a)
    client.post(url)
    client.force_login(procurer_b)
    response = client.post(url, follow=True)
    assert "waiting list" in response.content.decode()
    statuses = dict(event.registrations.values_list("user__email", "status"))
    assert statuses == {procurer_a.email: "registered", procurer_b.email: "waiting"}


def test_a_cancelled_place_goes_to_the_first_waiting_and_they_are_told(
    secretariat, procurer_a, procurer_b
):
    event = _event(secretariat, capacity=1)
    event_services.event_register(event=event, by=procurer_a)
    event_services.event_register(event=event, by=procurer_b)
    event_services.event_cancel_registration(event=event, by=procurer_a)
    assert event.registrations.get(user=procurer_b).status == "registered"
    assert Notice.objects.filter(recipient=procurer_b).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clicks_at_once_never_give_more_places_than_there_are(
    secretariat, procurer_a, procurer_b
):
    event = _event(secretariat, capacity=1)
    people = [procurer_a, procurer_b] + [UserFactory() for _ in range(4)]
    start = threading.Barrier(len(people))
    errors: list[Exception] = []

    def register(person):
        try:
            start.wait()
            for _attempt in range(200):
                try:
                    event_services.event_register(event=event, by=person)
                    return
                except OperationalError as error:
                    # SQLite's in-memory test database answers "locked" at once where
                    # a database file waits for the other writer: wait here instead.
                    if connection.vendor != "sqlite" or "locked" not in str(error):
                        raise
                    time.sleep(0.02)
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    registrations = EventRegistration.objects.filter(event=event)
    assert registrations.filter(status="registered").count() == 1
    assert registrations.filter(status="waiting").count() == len(people) - 1


def test_a_members_event_is_hidden_from_visitors_and_a_group_event_from_others(
    client, coordinator, procurer_a, procurer_b, group
):
    members_event = _event(coordinator, audience="members", title="For members")
    group_event = _event(coordinator, audience="group", group=group, title="Group day")
    assert client.get(members_event.get_absolute_url()).status_code == 404
    assert client.get(group_event.get_absolute_url()).status_code == 404
    assert "For members" not in client.get(reverse("knowledge:events")).content.decode()
    client.force_login(procurer_b)
    assert client.get(members_event.get_absolute_url()).status_code == 200
    assert client.get(group_event.get_absolute_url()).status_code == 404
    client.force_login(procurer_a)
    assert client.get(group_event.get_absolute_url()).status_code == 200
    calendar = client.get(
        reverse("knowledge:calendar-group", kwargs={"slug": group.slug})
    )
    assert b"Group day" in calendar.content


def test_the_public_calendar_lists_only_public_events(client, coordinator, group):
    _event(coordinator, title="Open webinar")
    _event(coordinator, audience="members", title="Members meeting")
    content = client.get(reverse("knowledge:calendar")).content
    assert b"Open webinar" in content
    assert b"Members meeting" not in content
    assert client.get(reverse("knowledge:calendar-members")).status_code == 302


def test_a_coordinator_addresses_only_the_groups_they_coordinate(coordinator, group):
    from cfit.monitoring.tests.factories import buyer_group_of
    from cfit.organisations.tests.factories import signatory

    others = buyer_group_of(signatory(role="coordinating"), slug="other-group")
    with pytest.raises(ValidationError):
        _event(coordinator, audience="group", group=others)


def test_a_procurer_cannot_post_news_or_events(client, procurer_a):
    client.force_login(procurer_a)
    assert client.get(reverse("knowledge:news-new")).status_code == 404
    assert client.get(reverse("knowledge:event-new")).status_code == 404


def test_the_reminder_goes_once_to_those_registered_the_day_before(
    secretariat, procurer_a, procurer_b, django_capture_on_commit_callbacks
):
    tomorrow = _event(secretariat, days=1, capacity=1)
    _event(secretariat, days=5, title="Later")
    event_services.event_register(event=tomorrow, by=procurer_a)
    event_services.event_register(event=tomorrow, by=procurer_b)  # waiting list
    out = StringIO()
    call_command("send_event_reminders", "--dry-run", stdout=out)
    assert (
        out.getvalue().strip() == "Would remind 1 people of 1 events starting tomorrow."
    )
    assert mail.outbox == []
    # Emails leave once the reminder's transaction is committed.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[procurer_a.email]]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=out)
    assert len(mail.outbox) == 1


def test_the_news_feed_and_page_show_public_news_only(client, secretariat):
    event_services.news_post(
        by=secretariat, title="Pact reaches 40", summary="Forty signatories.", body="x"
    )
    event_services.news_post(
        by=secretariat,
        title="Members only note",
        summary="Internal.",
        body="x",
        audience="members",
    )
    feed = client.get(reverse("knowledge:news-feed")).content.decode()
    assert "Pact reaches 40" in feed
    assert "Members only note" not in feed
    assert (
        "Members only note"
        not in client.get(reverse("knowledge:news")).content.decode()
    )
    item = NewsItem.objects.get(audience="members")
    assert client.get(item.get_absolute_url()).status_code == 404


def test_the_home_page_shows_the_next_public_events(client, secretariat):
    _event(secretariat, title="Market dialogue in Lyon")
    _event(secretariat, audience="members", title="Members only meeting")
    page = client.get("/").content.decode()
    assert "Market dialogue in Lyon" in page
    assert "Members only meeting" not in page


def test_the_contact_form_needs_the_human_check(client):
    response = client.post(
        reverse("knowledge:contact"),
        {"name": "A", "email": "a@example.org", "subject": "Hi", "message": "Hello"},
    )
    assert response.status_code == 400
    assert mail.outbox == []


@override_settings(
    ALTCHA_VERIFICATION_ENABLED=False, SECRETARIAT_EMAIL="desk@pact.example"
)
def test_the_contact_form_reaches_the_secretariat(client):
    response = client.post(
        reverse("knowledge:contact"),
        {
            "name": "Ana Silva",
            "email": "ana@example.org",
            "subject": "Joining",
            "message": "How do we sign?",
        },
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["desk@pact.example"]
    assert "ana@example.org" in message.body
    assert (
        "desk@pact.example" in client.get(reverse("knowledge:contact")).content.decode()
    )


def test_a_member_of_another_organisation_sees_members_news(client, secretariat):
    event_services.news_post(
        by=secretariat, title="Note", summary="s", body="x", audience="members"
    )
    from cfit.organisations.tests.factories import signatory

    person = member_of(signatory(name="Other", slug="other"), email="o@example.org")
    client.force_login(person)
    assert "Note" in client.get(reverse("knowledge:news")).content.decode()
