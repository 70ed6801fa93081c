from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.lib.countries import country_choices, country_name


class OrganisationKind(models.TextChoices):
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    REGIONAL_GOVERNMENT = "regional_government", _("Regional government")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    PUBLIC_AGENCY = "public_agency", _("Public agency")
    PRIVATE_ORGANISATION = "private_organisation", _("Private organisation")
    COMPANY = "company", _("Company")
    NGO = "ngo", _("NGO")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def signatories(self) -> "OrganisationQuerySet":
        """Organisations with at least one approved signature."""
        return self.filter(signatures__status=SignatureStatus.APPROVED).distinct()


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    website = models.URLField(_("website"), blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Made up for the demonstration.")
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects: ClassVar[OrganisationQuerySet] = OrganisationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="organisations_unique_name_per_country",
                violation_error_message=_(
                    "An organisation with this name is already registered in this country."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def has_approved_signature(self, role: str) -> bool:
        return self.signatures.filter(
            role=role, status=SignatureStatus.APPROVED
        ).exists()


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")


class MembershipFields(models.Model):
    """What every membership of a person holds, in an organisation or a market party:
    a role, whether it is asked or decided, and who decided when. Abstract: each kind
    adds what it is a membership of and the person, with its own constraints."""

    role = models.CharField(
        _("role"),
        max_length=16,
        choices=MembershipRole.choices,
        default=MembershipRole.MEMBER,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.REQUESTED,
    )
    message = models.TextField(_("message to the administrators"), blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_admin(self) -> bool:
        return (
            self.status == MembershipStatus.ACTIVE and self.role == MembershipRole.ADMIN
        )


class Membership(MembershipFields):
    """A person in an organisation. A person acts for one organisation at a time."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        ordering = ["organisation", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="active"),
                name="organisations_one_active_membership_per_person",
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status__in=["active", "requested"]),
                name="organisations_one_open_membership_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"


class PactText(models.Model):
    """A version of the Pact's text. Each signature keeps the version that was signed."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_on = models.DateField(_("published on"))
    is_current = models.BooleanField(_("current version"), default=False)

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("Pact text")
        verbose_name_plural = _("Pact texts")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="organisations_one_current_pact_text",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class SignatureRole(models.TextChoices):
    PROCURING = "procuring", _("Procuring")
    COORDINATING = "coordinating", _("Coordinating")


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SignatureStateError(Exception):
    """A signature was asked to move to a state it cannot reach from where it is."""


class SignatureQuerySet(models.QuerySet["Signature"]):
    def approved(self) -> "SignatureQuerySet":
        return self.filter(status=SignatureStatus.APPROVED)

    def pending(self) -> "SignatureQuerySet":
        return self.filter(status=SignatureStatus.PENDING)


class Signature(models.Model):
    """An organisation's signature of the Pact in one role.

    pending → approved (public) → withdrawn; pending → refused (with a reason).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="signatures"
    )
    role = models.CharField(_("role"), max_length=16, choices=SignatureRole.choices)
    signatory_name = models.CharField(_("name of the signatory"), max_length=200)
    signatory_title = models.CharField(
        _("title or function of the signatory"),
        max_length=200,
        help_text=_("For example: Chief Procurement Officer"),
    )
    pact_text = models.ForeignKey(
        PactText,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("Pact text signed"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SignatureStatus.choices,
        default=SignatureStatus.PENDING,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    approved_on = models.DateField(_("signed on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects: ClassVar[SignatureQuerySet] = SignatureQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        permissions = [("review_signature", _("Can approve or refuse signatures"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"],
                condition=Q(status__in=["pending", "approved"]),
                name="organisations_one_open_signature_per_role",
                violation_error_message=_(
                    "This organisation has already signed, or asked to sign, in this role."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    @property
    def first_reporting_year(self) -> int | None:
        """The first year a procurer reports: the first full calendar year after signing."""
        if self.status != SignatureStatus.APPROVED:
            return None
        on = self.approved_on or (self.decided_at.date() if self.decided_at else None)
        if on is None:
            return None
        return on.year if (on.month, on.day) == (1, 1) else on.year + 1

    def approve(self, *, by: models.Model) -> None:
        if self.status != SignatureStatus.PENDING:
            raise SignatureStateError(
                f"Cannot approve a signature that is {self.status}."
            )
        now = timezone.now()
        self.status = SignatureStatus.APPROVED
        self.decided_by = by  # type: ignore[assignment]
        self.decided_at = now
        self.approved_on = timezone.localdate(now)
        self.save()

    def refuse(self, *, by: models.Model, reason: str) -> None:
        if self.status != SignatureStatus.PENDING:
            raise SignatureStateError(
                f"Cannot refuse a signature that is {self.status}."
            )
        if not reason.strip():
            raise SignatureStateError("A refusal needs a reason.")
        self.status = SignatureStatus.REFUSED
        self.decided_by = by  # type: ignore[assignment]
        self.decided_at = timezone.now()
        self.refusal_reason = reason.strip()
        self.save()

    def withdraw(self) -> None:
        if self.status not in (SignatureStatus.PENDING, SignatureStatus.APPROVED):
            raise SignatureStateError(
                f"Cannot withdraw a signature that is {self.status}."
            )
        self.status = SignatureStatus.WITHDRAWN
        self.withdrawn_at = timezone.now()
        self.save()
