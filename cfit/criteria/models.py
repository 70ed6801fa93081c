from decimal import Decimal
from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductGroupQuerySet(models.QuerySet["ProductGroup"]):
    def in_scope(self) -> "ProductGroupQuerySet":
        return self.filter(in_pact_scope=True)


class ProductGroup(models.Model):
    """A kind of device the Pact covers. Data, not code: the secretariat adds new ones."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    cpv_codes = models.CharField(
        _("CPV codes"),
        max_length=200,
        blank=True,
        help_text=_("Common Procurement Vocabulary codes, separated by commas."),
    )
    baseline_lifetime_years = models.DecimalField(
        _("baseline lifetime (years)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("L0: how long a new device is used in the baseline."),
    )
    impact_archetype = models.CharField(
        _("impact archetype"),
        max_length=80,
        blank=True,
        help_text=_(
            "The Boavizta archetype whose factors describe this product group."
        ),
    )
    in_pact_scope = models.BooleanField(
        _("in the Pact's scope"),
        default=False,
        help_text=_("Product groups not yet in scope are shown as such."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects: ClassVar[ProductGroupQuerySet] = ProductGroupQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self) -> str:
        return str(self.name)


class Ecolabel(models.Model):
    """A label accepted as proof that a device meets criteria (TCO Certified, EPEAT...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("ecolabel")
        verbose_name_plural = _("ecolabels")

    def __str__(self) -> str:
        return str(self.name)


class CriterionLevel(models.TextChoices):
    BASE = "base", _("Base")
    AMBITIOUS = "ambitious", _("Ambitious")
    FRONTRUNNER = "frontrunner", _("Front-runner")


class Criterion(models.Model):
    """A purchasing criterion, known by its stable code. Its texts are versioned."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=16, choices=CriterionLevel.choices)
    product_groups = models.ManyToManyField(
        ProductGroup, related_name="criteria", verbose_name=_("product groups")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
