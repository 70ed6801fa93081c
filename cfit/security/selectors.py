"""Reads about second factors and the audit log."""

from datetime import date, datetime, time, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.utils import timezone

from cfit.organisations.selectors import AnyUser, is_secretariat

from .models import SecurityEvent, SecurityEventQuerySet


def needs_second_factor(user: AnyUser) -> bool:
    """The secretariat and anyone who may open the administration sign in with two factors."""
    return bool(user.is_authenticated and (user.is_staff or is_secretariat(user)))


def has_second_factor(user: AnyUser) -> bool:
    """An authenticator app is set up (recovery codes alone are not a second factor)."""
    return bool(
        user.is_authenticated and is_mfa_enabled(user, types=[Authenticator.Type.TOTP])
    )


def security_events(
    *,
    action: str = "",
    person: str = "",
    since: date | None = None,
    until: date | None = None,
) -> SecurityEventQuerySet:
    """The audit log, newest first, narrowed by what happened, who and when."""
    events = SecurityEvent.objects.select_related("actor").newest_first()
    if action:
        events = events.filter(action=action)
    if person:
        events = events.filter(actor_label__icontains=person)
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        events = events.filter(at__lt=end)
    return events
