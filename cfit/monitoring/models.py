"""Yearly purchase reports, their lines, the history of changes and demand forecasts."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfit.criteria.models import Criterion, CriterionLevel, Ecolabel, ProductGroup
from cfit.lib.countries import country_choices
from cfit.organisations.models import Organisation

from .rules import (
    LIFETIME_MAX_YEARS,
    LIFETIME_MIN_YEARS,
    TENDER_REFERENCE_MAX_LENGTH,
    WARRANTY_MAX_YEARS,
    Condition,
)

__all__ = ["Condition"]  # the one definition lives in rules.py


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    QUERIED = "queried", _("Queried by the coordinator")
    ACCEPTED = "accepted", _("Accepted")


class RetiredTo(models.TextChoices):
    REUSE = "reuse", _("Reuse (resold or donated)")
    TAKE_BACK = "take_back", _("Supplier take-back")
    RECYCLING = "recycling", _("Certified recycling")
    STORED = "stored", _("Stored")
    UNKNOWN = "unknown", _("Unknown")


class ReportingPeriod(models.Model):
    """A reporting year opened by the secretariat, with the date reports are due."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    deadline = models.DateField(_("deadline"))
    open = models.BooleanField(
        _("open for reporting"),
        default=True,
        help_text=_("Procurers can start reports only for open years."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return str(self.year)


# The rule for which reports count beyond their organisation (in a group's, a
# country's and the Pact's figures): submitted or accepted. Used only through the
# `counted()` methods below.
_COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class PurchaseReportQuerySet(models.QuerySet["PurchaseReport"]):
    def editable(self) -> "PurchaseReportQuerySet":
        return self.filter(status__in=[ReportStatus.DRAFT, ReportStatus.QUERIED])

    def counted(self) -> "PurchaseReportQuerySet":
        """The reports whose lines count in every figure beyond their organisation."""
        return self.filter(status__in=_COUNTED_STATUSES)

    def accepted(self) -> "PurchaseReportQuerySet":
        return self.filter(status=ReportStatus.ACCEPTED)


class PurchaseReport(models.Model):
    """What one organisation bought in one reporting year."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="purchase_reports",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects: ClassVar[PurchaseReportQuerySet] = PurchaseReportQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("purchase report")
        verbose_name_plural = _("purchase reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="monitoring_one_report_per_organisation_and_year",
            )
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="monitoring_report_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "monitoring:report",
            kwargs={"slug": self.organisation.slug, "year": self.year},
        )

    @property
    def is_editable(self) -> bool:
        """Submitted and accepted reports are locked until they are reopened."""
        return self.status in (ReportStatus.DRAFT, ReportStatus.QUERIED)


class PurchaseLineQuerySet(models.QuerySet["PurchaseLine"]):
    def counted(self) -> "PurchaseLineQuerySet":
        """Lines of counted reports (see PurchaseReportQuerySet.counted)."""
        return self.filter(report__status__in=_COUNTED_STATUSES)


class PurchaseLine(models.Model):
    """One purchase: so many devices of one product group, bought in one way."""

    report = models.ForeignKey(
        PurchaseReport,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("report"),
    )
    product_group = models.ForeignKey(
        ProductGroup,
        on_delete=models.PROTECT,
        related_name="purchase_lines",
        verbose_name=_("product group"),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), validators=[MinValueValidator(1)]
    )
    condition = models.CharField(
        _("condition"),
        max_length=16,
        choices=Condition.choices,
        default=Condition.NEW,
    )
    expected_lifetime_years = models.DecimalField(
        _("expected lifetime (years)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(LIFETIME_MIN_YEARS),
            MaxValueValidator(LIFETIME_MAX_YEARS),
        ],
        help_text=_("Leave empty if not known: the product group's baseline is used."),
    )
    warranty_years = models.DecimalField(
        _("warranty (years)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0")),
            MaxValueValidator(WARRANTY_MAX_YEARS),
        ],
    )
    ecolabels = models.ManyToManyField(
        Ecolabel, blank=True, related_name="purchase_lines", verbose_name=_("ecolabels")
    )
    criteria = models.ManyToManyField(
        Criterion,
        blank=True,
        related_name="purchase_lines",
        verbose_name=_("Pact criteria applied"),
    )
    spend_eur = models.DecimalField(
        _("spend (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    country_of_use = models.CharField(
        _("country of use"), max_length=2, choices=country_choices
    )
    tender_reference = models.CharField(
        _("tender reference"), max_length=TENDER_REFERENCE_MAX_LENGTH, blank=True
    )
    devices_retired = models.PositiveIntegerField(
        _("devices retired"),
        default=0,
        help_text=_("How many devices this purchase replaces and that left."),
    )
    retired_to = models.CharField(
        _("retired devices went to"),
        max_length=16,
        choices=RetiredTo.choices,
        blank=True,
    )
    # Kept up to date by services and the importer, so dashboards can sum in SQL
    # without joining the many-to-many tables.
    has_ecolabel = models.BooleanField(_("has an ecolabel"), default=False)
    applies_base_criteria = models.BooleanField(
        _("applies every base criterion"), default=False
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    objects: ClassVar[PurchaseLineQuerySet] = PurchaseLineQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["pk"]
        verbose_name = _("purchase line")
        verbose_name_plural = _("purchase lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="monitoring_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(devices_retired=0) | ~Q(retired_to=""),
                name="monitoring_line_retired_devices_have_a_route",
            ),
        ]
        indexes = [
            models.Index(
                fields=[
                    "product_group",
                    "condition",
                    "expected_lifetime_years",
                    "country_of_use",
                ],
                name="monitoring_line_impact_key",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.quantity} × {self.product_group} ({self.get_condition_display()})"
        )


class LineQuery(models.Model):
    """A question the coordinator asks about one line, and the procurer's answer."""

    line = models.ForeignKey(
        PurchaseLine,
        on_delete=models.CASCADE,
        related_name="queries",
        verbose_name=_("line"),
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("question on a line")
        verbose_name_plural = _("questions on lines")

    def __str__(self) -> str:
        return str(self.question)[:60]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ChangeAction(models.TextChoices):
    LINE_ADDED = "line_added", _("Line added")
    LINE_CHANGED = "line_changed", _("Line changed")
    LINE_DELETED = "line_deleted", _("Line deleted")
    IMPORTED = "imported", _("Lines imported")
    REPLACED = "replaced", _("Lines replaced by an import")
    SUBMITTED = "submitted", _("Submitted")
    QUERIED = "queried", _("Question asked")
    ANSWERED = "answered", _("Question answered")
    ACCEPTED = "accepted", _("Accepted")
    REOPENED = "reopened", _("Reopened")


class ReportChange(models.Model):
    """One entry of a report's history: who did what, and the values before and after."""

    report = models.ForeignKey(
        PurchaseReport,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("report"),
    )
    # Not a foreign key: the history outlives deleted lines.
    line_id = models.PositiveBigIntegerField(_("line"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("report change")
        verbose_name_plural = _("report changes")
        indexes = [
            models.Index(fields=["report", "at"], name="monitoring_change_report")
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class DemandForecast(models.Model):
    """A tender an organisation plans: the demand signal shown to the market."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="demand_forecasts",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("tender name"), max_length=200)
    product_group = models.ForeignKey(
        ProductGroup,
        on_delete=models.PROTECT,
        related_name="demand_forecasts",
        verbose_name=_("product group"),
    )
    quantity = models.PositiveIntegerField(
        _("estimated quantity"), validators=[MinValueValidator(1)]
    )
    year = models.PositiveSmallIntegerField(
        _("planned year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("planned quarter"),
        null=True,
        blank=True,
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )
    level = models.CharField(
        _("intended criteria level"), max_length=16, choices=CriterionLevel.choices
    )
    criteria = models.ManyToManyField(
        Criterion,
        blank=True,
        related_name="demand_forecasts",
        verbose_name=_("intended criteria"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    created_at = models.DateTimeField(_("declared"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["year", "quarter", "title"]
        verbose_name = _("demand forecast")
        verbose_name_plural = _("demand forecasts")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="monitoring_forecast_quantity_positive",
            ),
        ]
        indexes = [
            models.Index(
                fields=["year", "product_group"], name="monitoring_forecast_key"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    STORING = "storing", _("Storing")
    DONE = "done", _("Stored")
    FAILED = "failed", _("Failed")


class ImportMode(models.TextChoices):
    ADD = "add", _("Add to the report's lines")
    REPLACE = "replace", _("Replace the report's lines")


class PurchaseImport(models.Model):
    """An uploaded file on its way into a report: checked first, stored on confirmation."""

    report = models.ForeignKey(
        PurchaseReport,
        on_delete=models.CASCADE,
        related_name="imports",
        verbose_name=_("report"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ImportStatus.choices,
        default=ImportStatus.PENDING,
    )
    mode = models.CharField(
        _("mode"), max_length=16, choices=ImportMode.choices, blank=True
    )
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows estimated"), default=0)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    device_count = models.PositiveBigIntegerField(_("devices"), default=0)
    spend_total = models.DecimalField(
        _("spend (EUR)"), max_digits=18, decimal_places=2, default=Decimal("0")
    )
    totals = models.JSONField(_("totals per product group"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    report_version = models.PositiveIntegerField(
        _("report version when checked"), default=0
    )
    # "." or ",": the decimal mark the file's amounts showed, said in the preview.
    decimal_mark = models.CharField(_("decimal mark"), max_length=1, blank=True)
    # Moved on every change of status and every progress report: an import that is
    # running and has not moved for IMPORT_STUCK_MINUTES is stuck (its worker died).
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("purchase import")
        verbose_name_plural = _("purchase imports")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "monitoring:import",
            kwargs={
                "slug": self.report.organisation.slug,
                "year": self.report.year,
                "pk": self.pk,
            },
        )

    @property
    def progress_percent(self) -> int:
        if self.status in (ImportStatus.CHECKED, ImportStatus.DONE):
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))

    @property
    def is_running(self) -> bool:
        return self.status in (
            ImportStatus.PENDING,
            ImportStatus.CHECKING,
            ImportStatus.STORING,
        )


class ReportSummaryQuerySet(models.QuerySet["ReportSummary"]):
    def counted(self) -> "ReportSummaryQuerySet":
        """Summaries of counted reports (see PurchaseReportQuerySet.counted)."""
        return self.filter(report__status__in=_COUNTED_STATUSES)


class ReportSummary(models.Model):
    """A report's lines summed per product group, condition and country of use.

    Derived data, kept equal to a GROUP BY over the lines by cfit.monitoring.summaries
    in the same transaction as every change to the report's lines, so that the Pact's
    figures and the dashboards add up a few rows per report instead of every line.
    Rebuild them all with `manage.py refresh_report_summaries`.
    """

    report = models.ForeignKey(
        PurchaseReport,
        on_delete=models.CASCADE,
        related_name="summaries",
        verbose_name=_("report"),
    )
    product_group = models.ForeignKey(
        ProductGroup,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("product group"),
    )
    condition = models.CharField(
        _("condition"), max_length=16, choices=Condition.choices
    )
    country_of_use = models.CharField(
        _("country of use"), max_length=2, choices=country_choices
    )
    devices = models.BigIntegerField(_("devices"), default=0)
    # The sum of quantity × expected lifetime over the lines that state a lifetime.
    device_years = models.DecimalField(
        _("device-years"), max_digits=20, decimal_places=2, default=Decimal("0")
    )
    devices_lifetime_unknown = models.BigIntegerField(
        _("devices without a stated lifetime"), default=0
    )
    devices_reused = models.BigIntegerField(_("devices retired to reuse"), default=0)
    devices_retired = models.BigIntegerField(_("devices retired"), default=0)
    devices_with_ecolabel = models.BigIntegerField(
        _("devices with an ecolabel"), default=0
    )
    devices_with_base_criteria = models.BigIntegerField(
        _("devices bought with every base criterion"), default=0
    )
    spend_eur = models.DecimalField(
        _("spend (EUR)"), max_digits=18, decimal_places=2, default=Decimal("0")
    )
    lines = models.PositiveIntegerField(_("lines"), default=0)

    objects: ClassVar[ReportSummaryQuerySet] = ReportSummaryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("report summary")
        verbose_name_plural = _("report summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "product_group", "condition", "country_of_use"],
                name="monitoring_summary_one_row_per_key",
            )
        ]
        indexes = [
            # Serves the impact totals from the index alone: the counted reports' rows
            # are found by report, and hold the keys and sums the formulas need
            # (cfit.impact.selectors.impact_by), without reading the table.
            models.Index(
                fields=[
                    "report",
                    "country_of_use",
                    "condition",
                    "product_group",
                    "devices",
                    "device_years",
                    "devices_lifetime_unknown",
                    "devices_reused",
                ],
                name="monitoring_summary_impact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.devices} × {self.product_group_id} ({self.condition})"
