"""Writes of the API app: tokens, the open-data opt-in, and the mark a token leaves in
a report's history. Purchase lines themselves are written by cfit.monitoring.services."""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cfit.accounts.models import User
from cfit.monitoring.models import PurchaseReport, ReportChange
from cfit.organisations.models import Organisation

from .models import (
    TOKEN_PREFIX,
    ApiToken,
    OpenDataConsent,
    TokenChange,
    hash_token,
)

# What a person may choose when they make a token; the longest is a year.
EXPIRY_CHOICES_DAYS = (30, 90, 365)


class TokenRefused(Exception):
    """The person may not make a token (no organisation to act for)."""


@transaction.atomic
def token_create(
    *,
    user: User,
    organisation: Organisation,
    name: str,
    scope: str,
    days: int,
) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is never shown again."""
    if days not in EXPIRY_CHOICES_DAYS:
        raise ValueError(f"Tokens last {EXPIRY_CHOICES_DAYS} days, not {days}.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name.strip(),
        scope=scope,
        token_hash=hash_token(raw),
        hint=raw[: len(TOKEN_PREFIX) + 4],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Stop a token from working, at once. Its name stays in the histories it marked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_mark_used(*, token: ApiToken) -> None:
    """Remember when a token was last used; at most once a minute, to spare writes."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@contextmanager
def changes_made_with(token: ApiToken, report: PurchaseReport | None) -> Iterator[None]:
    """Mark every history entry that the block adds to `report` as made with `token`.

    The monitoring services write the history (who, what, before and after); this
    adds which token it was, in the same transaction, so that the two never disagree.
    """
    with transaction.atomic():
        if report is None or report.pk is None:
            last = None
        else:
            last = report.changes.aggregate(last=Max("pk"))["last"]
        yield
        changes = ReportChange.objects.filter(by=token.user)
        if report is not None and report.pk is not None:
            changes = changes.filter(report=report)
        if last is not None:
            changes = changes.filter(pk__gt=last)
        TokenChange.objects.bulk_create(
            [
                TokenChange(change=change, token=token, token_name=token.name)
                for change in changes.exclude(token_use__isnull=False)
            ]
        )


@transaction.atomic
def consent_set(
    *, organisation: Organisation, by: User, publish_planned_tenders: bool
) -> OpenDataConsent:
    """Record an organisation's choice to publish (or stop publishing) its planned tenders."""
    consent, _created = OpenDataConsent.objects.update_or_create(
        organisation=organisation,
        defaults={
            "publish_planned_tenders": publish_planned_tenders,
            "decided_by": by,
            "decided_at": timezone.now(),
        },
    )
    return consent
