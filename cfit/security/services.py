"""Writes about security: the audit log (one helper every app calls), second factors."""

import ipaddress
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from axes.helpers import get_client_ip_address
from django.db import models, transaction
from django.http import HttpRequest

from cfit.accounts.models import User

from .models import SecurityAction, SecurityEvent

TOTP_PERIOD = 30  # seconds, allauth's default and every authenticator app's


def _client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # The same address axes counts failed sign-ins against.
    address = get_client_ip_address(request) or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(
    *,
    action: SecurityAction | str,
    actor: User | None,
    target: models.Model | str | None = None,
    details: str = "",
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> SecurityEvent:
    """Keep one security event: who did what, to what, from where.

    ``target`` is shown in words (its ``str``); ``actor_label`` names someone who is not
    (or not yet) a person here, such as the address typed in a failed sign-in.
    """
    label = actor_label or (actor.email if actor is not None else "")
    return SecurityEvent.objects.create(
        action=SecurityAction(action),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=label[:254],
        target_label=str(target or "")[:300],
        details=details[:500],
        ip_address=_client_address(request),
    )


@transaction.atomic
def second_factor_activate(*, user: User, secret: str) -> None:
    """Give a person an authenticator app with a known secret, and recovery codes.

    People set theirs up on their profile page (allauth); this door is for the demo
    secretariat, whose secret is printed with the demo sign-ins, and for tests.
    """
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return
    TOTP.activate(user, secret)
    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).exists():
        RecoveryCodes.activate(user)


def current_code(secret: str) -> str:
    """The six digits an authenticator app with this secret shows right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))
