"""Writes of news and events: posting, registration with a waiting list, reminders, contact.

Registration is safe against two clicks at once: the event's row is locked while the
places are counted, so the person after the last place always lands on the waiting list.
"""

import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cfit.accounts.models import User
from cfit.groups.models import BuyerGroup
from cfit.groups.services import notify
from cfit.lib.mail import send_templated_mail

from . import selectors
from .models import (
    Audience,
    Event,
    EventRegistration,
    NewsItem,
    RegistrationStatus,
)
from .services import unique_slug

EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "online_url",
    "audience",
    "group",
    "registration_open",
    "capacity",
    "original_language",
)


def _check_audience(by: User, audience: str, group: BuyerGroup | None) -> None:
    if not selectors.can_post_news_and_events(by):
        raise PermissionDenied
    if audience == Audience.GROUP:
        if group is None:
            raise ValidationError({"group": _("Choose the buyer group it is for.")})
        if not selectors.groups_for_poster(by).filter(pk=group.pk).exists():
            raise ValidationError({"group": _("Choose a group you coordinate.")})
    elif group is not None:
        raise ValidationError(
            {"group": _("Choose a buyer group only for news of one group.")}
        )


@transaction.atomic
def news_post(
    *,
    by: User,
    title: str,
    summary: str,
    body: str,
    audience: str = Audience.PUBLIC,
    group: BuyerGroup | None = None,
    published_at: datetime | None = None,
    is_demo: bool = False,
    original_language: str = "en",
) -> NewsItem:
    """Publish news for everyone, for the Pact's members or for one buyer group."""
    _check_audience(by, audience, group)
    item = NewsItem(
        title=" ".join(title.split()),
        summary=summary.strip(),
        body=body,
        audience=audience,
        group=group,
        author=by,
        published_at=published_at or timezone.now(),
        is_demo=is_demo,
        original_language=original_language,
    )
    item.slug = unique_slug(NewsItem, item.title)
    item.full_clean()
    item.save()
    return item


def local_datetime(value: datetime, time_zone: str) -> datetime:
    """A date and time as written for an event's time zone, made exact."""
    zone = zoneinfo.ZoneInfo(time_zone)
    if timezone.is_aware(value):
        value = timezone.make_naive(value, timezone.get_current_timezone())
    return value.replace(tzinfo=zone)


@transaction.atomic
def event_save(
    *,
    by: User,
    fields: Mapping[str, Any],
    event: Event | None = None,
    is_demo: bool = False,
) -> Event:
    """Create or change an event. Start and end are read in the event's time zone."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of an event: {', '.join(sorted(unknown))}")
    if event is not None and not (
        event.organiser_id == by.pk or selectors.is_secretariat(by)
    ):
        raise PermissionDenied
    event = event or Event(organiser=by, is_demo=is_demo)
    _check_audience(by, fields["audience"], fields.get("group"))
    if fields["time_zone"] not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")})
    for name, value in fields.items():
        setattr(event, name, value)
    event.starts_at = local_datetime(fields["starts_at"], event.time_zone)
    event.ends_at = local_datetime(fields["ends_at"], event.time_zone)
    if event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("The event must end after it starts.")})
    if not event.slug:
        event.title = " ".join(event.title.split())
        event.slug = unique_slug(Event, event.title)
    event.full_clean(exclude=["slug"])
    event.save()
    return event


@transaction.atomic
def event_register(*, event: Event, by: User) -> EventRegistration:
    """Register the person, or put them on the waiting list once the event is full."""
    # The lock makes a second click wait until the first has counted and written.
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not selectors.can_see_audience(by, event):
        raise PermissionDenied
    if not event.registration_open or event.is_past:
        raise ValidationError(_("Registration for this event is closed."))
    existing = selectors.registration_of(by, event)
    if existing is not None:
        return existing
    registered = event.registrations.filter(
        status=RegistrationStatus.REGISTERED
    ).count()
    full = event.capacity is not None and registered >= event.capacity
    return EventRegistration.objects.create(
        event=event,
        user=by,
        status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
    )


@transaction.atomic
def event_cancel_registration(*, event: Event, by: User) -> EventRegistration | None:
    """Cancel the person's place; the first on the waiting list gets it and is told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    registration = selectors.registration_of(by, event)
    if registration is None:
        return None
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    if not was_registered:
        return None
    following = event.registrations.filter(status=RegistrationStatus.WAITING).first()
    if following is None:
        return None
    following.status = RegistrationStatus.REGISTERED
    following.save(update_fields=["status"])
    notify(
        recipients=[following.user],
        kind="event.place",
        text=lambda: (
            _("A place came free: you are now registered for %(title)s.")
            % {"title": event.title}
        ),
        url=event.get_absolute_url(),
        email_template="email/notice",
    )
    return following


@dataclass(frozen=True)
class ReminderRun:
    events: int
    people: int


def events_for_reminders(now: datetime) -> list[Event]:
    """Events that start tomorrow in their own time zone and had no reminder yet."""
    candidates = Event.objects.filter(
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lt=now + timedelta(days=3),
    )
    due = []
    for event in candidates:
        zone = zoneinfo.ZoneInfo(event.time_zone)
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        if event.starts_at.astimezone(zone).date() == tomorrow:
            due.append(event)
    return due


def event_send_reminders(*, now: datetime, dry_run: bool = False) -> ReminderRun:
    """Remind everyone registered for an event that starts tomorrow (once per event)."""
    events = people = 0
    for event in events_for_reminders(now):
        registered = [
            registration.user
            for registration in event.registrations.filter(
                status=RegistrationStatus.REGISTERED
            ).select_related("user")
        ]
        events += 1
        people += len(registered)
        if dry_run:
            continue
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.reminder_sent_at is not None:
                continue
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            start = timezone.localtime(
                event.starts_at, zoneinfo.ZoneInfo(event.time_zone)
            )
            notify(
                recipients=registered,
                kind="event.reminder",
                text=partial(
                    _reminder_text,
                    event.title,
                    start.strftime("%H:%M"),
                    event.time_zone,
                ),
                url=event.get_absolute_url(),
                email_template="email/notice",
            )
    return ReminderRun(events=events, people=people)


def _reminder_text(title: str, time: str, zone: str) -> str:
    return _("Tomorrow: %(title)s, from %(time)s (%(zone)s).") % {
        "title": title,
        "time": time,
        "zone": zone,
    }


def contact_send(
    *, name: str, email: str, organisation: str, subject: str, message: str
) -> None:
    """Send a message from the contact page to the secretariat's address."""
    send_templated_mail(
        "knowledge/email/contact",
        {
            "name": name,
            "email": email,
            "organisation": organisation,
            "subject": subject,
            "message": message,
        },
        [settings.SECRETARIAT_EMAIL],
        # The secretariat's mailbox reads the site's language, whoever writes.
        language=settings.LANGUAGE_CODE,
    )
