"""Statements of demand, the tender calendar and the roadmap to 2030."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModelMixin

from cfit.criteria.models import (
    Criterion,
    CriterionLevel,
    CriterionVersion,
    ProductGroup,
)
from cfit.groups.models import BuyerGroup, WorkingGroup
from cfit.lib.translations import ORIGINAL_LANGUAGE_CHOICES
from cfit.monitoring.models import DemandForecast
from cfit.organisations.models import Organisation

from .consultations import MarketConsultation

# Statements of demand ---------------------------------------------------------------


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class StatementOfDemand(TranslatableModelMixin, models.Model):  # type: ignore[django-manager-missing]
    """What the buyers will ask for from a given year, endorsed by organisations."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=220, unique=True)
    text = models.TextField(_("text"))
    from_year = models.PositiveSmallIntegerField(
        _("from the year"),
        validators=[MinValueValidator(2020), MaxValueValidator(2100)],
    )
    level = models.CharField(
        _("criteria level"), max_length=16, choices=CriterionLevel.choices
    )
    criteria = models.ManyToManyField(
        Criterion, related_name="statements_of_demand", verbose_name=_("criteria")
    )
    product_groups = models.ManyToManyField(
        ProductGroup, related_name="+", verbose_name=_("product groups")
    )
    drafted_by_group = models.ForeignKey(
        BuyerGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_of_demand",
        verbose_name=_("drafted by the buyer group"),
    )
    drafted_by_working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements_of_demand",
        verbose_name=_("drafted by the working group"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=StatementStatus.choices,
        default=StatementStatus.DRAFT,
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)
    original_language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=ORIGINAL_LANGUAGE_CHOICES,
        default="en",
    )

    class Meta:
        ordering = ["-from_year", "title"]
        verbose_name = _("statement of demand")
        verbose_name_plural = _("statements of demand")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:statement", kwargs={"slug": self.slug})

    @property
    def drafted_by(self) -> BuyerGroup | WorkingGroup | None:
        return self.drafted_by_group or self.drafted_by_working_group


class EndorsementQuerySet(models.QuerySet["Endorsement"]):
    def active(self) -> "EndorsementQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Endorsement(models.Model):
    """An organisation backs a statement; withdrawing keeps the row as history."""

    statement = models.ForeignKey(
        StatementOfDemand, on_delete=models.CASCADE, related_name="endorsements"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="endorsements"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    endorsed_at = models.DateTimeField(_("endorsed"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[EndorsementQuerySet] = EndorsementQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["endorsed_at"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="market_one_active_endorsement_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} endorses {self.statement}"


class Pledge(models.Model):
    """Devices per year an endorsing organisation pledges to buy as the statement asks."""

    endorsement = models.ForeignKey(
        Endorsement, on_delete=models.CASCADE, related_name="pledges"
    )
    product_group = models.ForeignKey(
        ProductGroup, on_delete=models.PROTECT, related_name="+"
    )
    devices_per_year = models.PositiveIntegerField(_("devices per year"))

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(
                fields=["endorsement", "product_group"],
                name="market_one_pledge_per_product_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.devices_per_year} × {self.product_group}"


# The tender calendar ------------------------------------------------------------------


class CalendarEntry(models.Model):
    """What an organisation opens of a planned tender (kept beside monitoring's forecast)."""

    forecast = models.OneToOneField(
        DemandForecast, on_delete=models.CASCADE, related_name="calendar_entry"
    )
    open_to_joint_procurement = models.BooleanField(
        _("open to joint procurement"), default=False
    )
    aligned_criteria = models.BooleanField(
        _("open to aligning criteria"), default=False
    )
    show_name = models.BooleanField(_("show our name to market parties"), default=False)
    note = models.TextField(_("note for other members"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tender calendar entry")
        verbose_name_plural = _("tender calendar entries")

    def __str__(self) -> str:
        return str(self.forecast)

    @property
    def is_open(self) -> bool:
        return self.open_to_joint_procurement or self.aligned_criteria


class TenderInterest(models.Model):
    """Another member's interest in joining, or aligning with, a planned tender."""

    forecast = models.ForeignKey(
        DemandForecast, on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tender_interests"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["forecast", "organisation"],
                name="market_one_interest_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.forecast}"


# The roadmap to 2030 ---------------------------------------------------------------


class RoadmapTheme(models.TextChoices):
    LIFETIME = "lifetime", _("Lifetime")
    REPAIR = "repair", _("Repair")
    REFURBISHED = "refurbished", _("Share of refurbished devices")
    RECYCLED = "recycled", _("Recycled content")
    SOCIAL = "social", _("Social conditions")
    TAKE_BACK = "take_back", _("Take-back")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")
    DELAYED = "delayed", _("Delayed")


class Milestone(models.Model):
    """A step on the road to 2030, with the outcomes that show progress towards it."""

    theme = models.CharField(_("theme"), max_length=16, choices=RoadmapTheme.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("target year"), validators=[MinValueValidator(2020), MaxValueValidator(2030)]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.PLANNED,
    )
    consultations = models.ManyToManyField(
        MarketConsultation,
        blank=True,
        related_name="milestones",
        verbose_name=_("consultation summaries"),
    )
    criterion_versions = models.ManyToManyField(
        CriterionVersion,
        blank=True,
        related_name="+",
        verbose_name=_("criteria versions"),
    )
    statements = models.ManyToManyField(
        StatementOfDemand,
        blank=True,
        related_name="milestones",
        verbose_name=_("statements of demand"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["theme", "target_year", "title"]
        verbose_name = _("roadmap milestone")
        verbose_name_plural = _("roadmap milestones")

    def __str__(self) -> str:
        return f"{self.title} ({self.target_year})"
