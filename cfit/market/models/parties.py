"""Market parties and the people in them."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import (
    ProductGroup,
)
from cfit.lib.countries import country_choices, country_name
from cfit.organisations.models import (
    MembershipFields,
)

# Market parties -------------------------------------------------------------------


class MarketPartyKind(models.TextChoices):
    BRAND = "brand", _("Brand or manufacturer")
    RESELLER = "reseller", _("Reseller")
    REFURBISHER = "refurbisher", _("Refurbisher")
    REMANUFACTURER = "remanufacturer", _("Remanufacturer")
    RECYCLER = "recycler", _("Recycler")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    NGO = "ngo", _("NGO")
    RESEARCH = "research", _("Research")


class MarketPartyStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REFUSED = "refused", _("Refused")


class MarketPartyQuerySet(models.QuerySet["MarketParty"]):
    def verified(self) -> "MarketPartyQuerySet":
        return self.filter(status=MarketPartyStatus.VERIFIED)


class MarketParty(models.Model):
    """A company or NGO that takes part in the Pact's work without signing it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    kind = models.CharField(_("kind"), max_length=24, choices=MarketPartyKind.choices)
    website = models.URLField(_("website"), blank=True)
    product_groups = models.ManyToManyField(
        ProductGroup,
        blank=True,
        related_name="market_parties",
        verbose_name=_("product groups it serves"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MarketPartyStatus.choices,
        default=MarketPartyStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects: ClassVar[MarketPartyQuerySet] = MarketPartyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]
        verbose_name = _("market party")
        verbose_name_plural = _("market parties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:party", kwargs={"slug": self.slug})

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def is_verified(self) -> bool:
        return self.status == MarketPartyStatus.VERIFIED


class MarketPartyMembership(MembershipFields):
    """A person in a market party; joining works as joining an organisation."""

    party = models.ForeignKey(
        MarketParty, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="market_memberships",
    )

    class Meta:
        ordering = ["party", "user__email"]
        verbose_name = _("market party membership")
        verbose_name_plural = _("market party memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="active"),
                name="market_one_active_membership_per_person",
            ),
            models.UniqueConstraint(
                fields=["party", "user"],
                condition=Q(status__in=["active", "requested"]),
                name="market_one_open_membership_per_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.party}"
