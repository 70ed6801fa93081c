"""Personal access tokens of the API, the open-data licence and the opt-in to publish
planned tenders as open data."""

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.monitoring.models import ReportChange
from cfit.organisations.models import Organisation

TOKEN_PREFIX = "cfit_"


def hash_token(raw: str) -> str:
    """Tokens are long random strings: one SHA-256 is enough, no slow hash needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at=None, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal access token: acts for its person, on their organisation's data only.

    Only the hash is stored; the token itself is shown once, when it is made.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(
        _("access"), max_length=16, choices=TokenScope.choices, default=TokenScope.READ
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that a person recognises a token in the list.
    hint = models.CharField(_("starts with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE


class TokenChange(models.Model):
    """Which token made a change of a report's history (the change itself says who)."""

    change = models.OneToOneField(
        ReportChange,
        on_delete=models.CASCADE,
        related_name="token_use",
        verbose_name=_("change"),
    )
    token = models.ForeignKey(
        ApiToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("token"),
    )
    # Kept as text: the history outlives a revoked or deleted token.
    token_name = models.CharField(_("token name"), max_length=100)

    class Meta:
        verbose_name = _("change made with a token")
        verbose_name_plural = _("changes made with a token")

    def __str__(self) -> str:
        return self.token_name


class OpenDataSettings(models.Model):
    """The licence of the open data; one row, kept by the secretariat in the admin."""

    licence_name = models.CharField(_("licence"), max_length=120, default="CC-BY-4.0")
    licence_title = models.CharField(
        _("licence title"),
        max_length=200,
        default="Creative Commons Attribution 4.0 International",
    )
    licence_url = models.URLField(
        _("licence address"), default="https://creativecommons.org/licenses/by/4.0/"
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=200,
        default="Circular & Fair ICT Pact",
        help_text=_("Who re-users name as the source."),
    )

    class Meta:
        verbose_name = _("open data settings")
        verbose_name_plural = _("open data settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="api_one_open_data_settings")
        ]

    def __str__(self) -> str:
        return str(self.licence_title)

    @classmethod
    def current(cls) -> "OpenDataSettings":
        """The stored settings, or the defaults (CC BY 4.0) when none are stored."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class OpenDataConsent(models.Model):
    """An organisation's choice to publish its planned tenders as open data (OCDS)."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="open_data_consent",
        verbose_name=_("organisation"),
    )
    publish_planned_tenders = models.BooleanField(
        _("publish our planned tenders as open data"), default=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("open data consent")
        verbose_name_plural = _("open data consents")

    def __str__(self) -> str:
        return str(self.organisation)
