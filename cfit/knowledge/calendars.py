"""iCalendar files (RFC 5545) of events, made with the `icalendar` library."""

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event


def _calendar_event(event: Event) -> CalendarEvent:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('://')[-1]}")
    entry.add("summary", event.title)
    entry.add("dtstamp", event.created_at)
    # Written in the event's own time zone, with its VTIMEZONE: a calendar shows it
    # right wherever the reader lives.
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    entry.add("url", f"{settings.SITE_URL}{event.get_absolute_url()}")
    entry.add("location", event.online_url or event.place)
    entry.add("description", event.description)
    entry.add("categories", [event.get_kind_display()])
    return entry


def calendar_of(events: Iterable[Event], *, name: str) -> bytes:
    """One VCALENDAR with a VEVENT per event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Circular & Fair ICT Pact//cfit//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_calendar_event(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()
