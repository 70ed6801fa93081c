from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in.failed", _("Sign-in refused: wrong address or password")
    LOCKED_OUT = "sign_in.locked_out", _("Locked out after repeated failed sign-ins")
    SECOND_FACTOR_ADDED = "second_factor.added", _("Second factor set up")
    SECOND_FACTOR_REMOVED = "second_factor.removed", _("Second factor removed")
    SECOND_FACTOR_FAILED = "second_factor.failed", _("Second-factor code refused")
    ACCESS_CHANGED = "access.changed", _("Site-wide role changed")
    MEMBERSHIP_ACCEPTED = "membership.accepted", _("Request to join accepted")
    MEMBERSHIP_DECLINED = "membership.declined", _("Request to join declined")
    MEMBERSHIP_ROLE = "membership.role", _("Role in an organisation changed")
    MEMBERSHIP_REMOVED = "membership.removed", _("Member removed or left")
    SIGNATURE_APPROVED = "signature.approved", _("Signature approved")
    SIGNATURE_REFUSED = "signature.refused", _("Signature refused")
    MEMBER_DATA_EXPORTED = "export.member_data", _("Member data exported")
    TOKEN_CREATED = "token.created", _("Access token created")


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def newest_first(self) -> "SecurityEventQuerySet":
        return self.order_by("-at", "-pk")


class SecurityEvent(models.Model):
    """One thing that matters for the security of the platform, kept for the secretariat.

    Who acted is kept twice: as a link while the person exists, and as the address they
    had (or typed, for a failed sign-in), which stays when the person is removed.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("what"), max_length=40, choices=SecurityAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who, as written"), max_length=254, blank=True)
    target_label = models.CharField(_("concerning"), max_length=300, blank=True)
    details = models.CharField(_("details"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [
            models.Index(fields=["action", "-at"], name="security_event_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.actor_label}"
