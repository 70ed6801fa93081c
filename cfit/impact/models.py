"""FactorSets (the versioned factors of the method), stored figures and scenarios."""

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import ProductGroup
from cfit.lib.countries import country_choices
from cfit.monitoring.rules import LIFETIME_MAX_YEARS, LIFETIME_MIN_YEARS
from cfit.organisations.models import Organisation

from . import method


def _factor(verbose_name: Any, **kwargs: Any) -> Any:
    # Decimal, so that a stored factor reads back exactly as it was published.
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=9, **kwargs)


class Indicator(models.TextChoices):
    # Names from cfit.impact.indicators, with the unit.
    GWP = method.GWP, _("Greenhouse gases (kg CO2e)")
    ADPE = method.ADPE, _("Minerals and metals (abiotic depletion) (kg Sb eq)")
    MIPS = method.MIPS, _("Material input (kg)")
    MASS = method.MASS, _("Device mass (kg)")


class FactorSetQuerySet(models.QuerySet["FactorSet"]):
    def current(self) -> "FactorSet | None":
        return self.filter(is_current=True).first()


class FactorSet(models.Model):
    """One version of every factor the method uses. Locked once it has been current."""

    version = models.SlugField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("what changed"), blank=True)
    built_with = models.CharField(
        _("built with"),
        max_length=200,
        blank=True,
        help_text=_(
            "The tool and release the factors come from, e.g. boaviztapi 2.5.0."
        ),
    )
    electricity_source = models.TextField(
        _("source of electricity factors"), blank=True
    )
    eu_average_countries = models.JSONField(
        _("countries that use the European average"),
        default=list,
        blank=True,
        help_text=_(
            "ISO codes of the countries that use the European average electricity factor (EEE) when they have none of their own; other countries use the world average (WOR)."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    is_current = models.BooleanField(_("current"), default=False)
    made_current_at = models.DateTimeField(_("made current"), null=True, blank=True)
    made_current_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made current by"),
    )

    objects: ClassVar[FactorSetQuerySet] = FactorSetQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("FactorSet")
        verbose_name_plural = _("FactorSets")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="impact_one_current_factorset",
            )
        ]

    def __str__(self) -> str:
        return f"FactorSet {self.version}"

    @property
    def is_locked(self) -> bool:
        """Figures were published with it: changing it would change history."""
        return self.is_current or self.made_current_at is not None


class ProductFactor(models.Model):
    """F_i, the yearly energy, L0 and L2 of one product group in one FactorSet."""

    factorset = models.ForeignKey(
        FactorSet, on_delete=models.CASCADE, related_name="products"
    )
    product_group = models.ForeignKey(
        ProductGroup,
        on_delete=models.PROTECT,
        related_name="impact_factors",
        verbose_name=_("product group"),
    )
    archetype = models.CharField(_("Boavizta archetype"), max_length=80, blank=True)
    gwp_kg = _factor(_("greenhouse gases, embodied (kg CO2e)"))
    adpe_kg_sb = _factor(_("minerals and metals, embodied (kg Sb eq)"))
    mips_kg = _factor(_("material input (kg)"))
    mass_kg = _factor(_("device mass (kg)"))
    yearly_energy_kwh = _factor(_("electricity a year (kWh)"))
    baseline_lifetime_years = _factor(
        _("baseline lifetime L0 (years)"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    second_life_years = _factor(_("second life L2 (years)"))
    sources = models.JSONField(_("sources"), default=dict, blank=True)

    class Meta:
        ordering = ["product_group__sort_order"]
        verbose_name = _("product factor")
        verbose_name_plural = _("product factors")
        constraints = [
            models.UniqueConstraint(
                fields=["factorset", "product_group"],
                name="impact_one_factor_per_product_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.factorset.version} {self.product_group}"


class ConditionFactor(models.Model):
    """r(c): the share of a new device's embodied impact a condition carries."""

    factorset = models.ForeignKey(
        FactorSet, on_delete=models.CASCADE, related_name="conditions"
    )
    condition = models.CharField(
        _("condition"),
        max_length=16,
        choices=[
            (method.NEW, _("New")),
            (method.REFURBISHED, _("Refurbished")),
            (method.REMANUFACTURED, _("Remanufactured")),
            (method.REUSED, _("Reused internally")),
        ],
    )
    burden = _factor(
        _("share of a new device's impact"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["-burden"]
        verbose_name = _("condition factor")
        verbose_name_plural = _("condition factors")
        constraints = [
            models.UniqueConstraint(
                fields=["factorset", "condition"],
                name="impact_one_burden_per_condition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.condition}: {self.burden}"


class ElectricityFactor(models.Model):
    """kg CO2e per kWh in one country (alpha-2), or EEE (EU) or WOR (world average)."""

    factorset = models.ForeignKey(
        FactorSet, on_delete=models.CASCADE, related_name="electricity"
    )
    zone = models.CharField(_("country or zone"), max_length=3)
    kg_co2e_per_kwh = _factor(_("kg CO2e per kWh"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["zone"]
        verbose_name = _("electricity factor")
        verbose_name_plural = _("electricity factors")
        constraints = [
            models.UniqueConstraint(
                fields=["factorset", "zone"], name="impact_one_factor_per_zone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.kg_co2e_per_kwh}"


class Equivalence(models.Model):
    """A way to picture a figure, e.g. kilometres by an average new European car."""

    factorset = models.ForeignKey(
        FactorSet, on_delete=models.CASCADE, related_name="equivalences"
    )
    code = models.SlugField(_("code"), max_length=40)
    indicator = models.CharField(
        _("indicator"), max_length=16, choices=Indicator.choices
    )
    amount_per_unit = _factor(_("amount of the indicator per unit"))
    unit = models.CharField(_("unit"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    source = models.TextField(_("source"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("equivalence")
        verbose_name_plural = _("equivalences")
        constraints = [
            models.UniqueConstraint(
                fields=["factorset", "code"], name="impact_one_equivalence_per_code"
            )
        ]

    def __str__(self) -> str:
        return str(self.label)


class StoredReportImpact(models.Model):
    """The figures of one purchase report under one FactorSet, kept when recomputed."""

    factorset = models.ForeignKey(
        FactorSet, on_delete=models.PROTECT, related_name="stored_figures"
    )
    report = models.ForeignKey(
        "monitoring.PurchaseReport",
        on_delete=models.CASCADE,
        related_name="stored_impacts",
    )
    devices = models.PositiveBigIntegerField(default=0)
    figures = models.JSONField(default=dict)  # footprint/baseline/saving/enabled
    devices_lifetime_assumed = models.PositiveBigIntegerField(default=0)
    devices_country_fallback = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stored report figures")
        verbose_name_plural = _("stored report figures")
        constraints = [
            models.UniqueConstraint(
                fields=["factorset", "report"], name="impact_one_figure_per_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} under {self.factorset_id}"


class RecomputeStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Recompute(models.Model):
    """A background recomputation of every report's figures under one FactorSet."""

    factorset = models.ForeignKey(
        FactorSet, on_delete=models.CASCADE, related_name="recomputes"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=RecomputeStatus.choices, default=RecomputeStatus.WAITING
    )
    reports_done = models.PositiveIntegerField(default=0)
    reports_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recomputation")
        verbose_name_plural = _("recomputations")

    def __str__(self) -> str:
        return f"{self.factorset} {self.status}"

    @property
    def progress_percent(self) -> int:
        if self.status == RecomputeStatus.DONE:
            return 100
        if not self.reports_total:
            return 0
        return min(99, self.reports_done * 100 // self.reports_total)

    @property
    def is_running(self) -> bool:
        return self.status in (RecomputeStatus.WAITING, RecomputeStatus.RUNNING)


class Scenario(models.Model):
    """A procurer's plan before a tender: one to three options compared side by side."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="impact_scenarios",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("name of the plan"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scenario plan")
        verbose_name_plural = _("scenario plans")

    def __str__(self) -> str:
        return str(self.title)


class ScenarioOption(models.Model):
    """One scenario: so many devices, this share refurbished, kept so long, used there."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(default=1)
    label = models.CharField(_("name"), max_length=80)
    product_group = models.ForeignKey(
        ProductGroup,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product group"),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    share_refurbished_percent = models.PositiveSmallIntegerField(
        _("share refurbished (%)"), validators=[MaxValueValidator(100)]
    )
    lifetime_years = models.DecimalField(
        _("expected lifetime (years)"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(LIFETIME_MIN_YEARS),
            MaxValueValidator(LIFETIME_MAX_YEARS),
        ],
    )
    country = models.CharField(
        _("country of use"), max_length=2, choices=country_choices
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return str(self.label)
