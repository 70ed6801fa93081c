from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from cfit.dashboards.caching import figures_changed

from . import services
from .models import (
    DemandForecast,
    LineQuery,
    PurchaseImport,
    PurchaseLine,
    PurchaseReport,
    ReportChange,
    ReportingPeriod,
)
from .services import LINE_FIELDS


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "deadline", "open"]


class PurchaseLineInline(admin.TabularInline):
    """The report's lines, to read: a line is changed on its own page, through the
    monitoring services, so that its flags, the summaries and the history follow."""

    model = PurchaseLine
    extra = 0
    fields = [
        "product_group",
        "quantity",
        "condition",
        "expected_lifetime_years",
        "country_of_use",
        "version",
    ]
    readonly_fields = (
        "product_group",
        "quantity",
        "condition",
        "expected_lifetime_years",
        "country_of_use",
        "version",
    )
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PurchaseReport)
class PurchaseReportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "status", "submitted_at", "accepted_at"]
    list_filter = ["year", "status"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "submitted_by", "accepted_by"]
    # The review's steps (submit, query, accept, reopen) are the services' and the
    # report pages'; here they are read only, so that the history stays whole.
    readonly_fields = [
        "status",
        "submitted_at",
        "submitted_by",
        "accepted_at",
        "accepted_by",
        "version",
    ]
    inlines = [PurchaseLineInline]

    def save_model(
        self, request: HttpRequest, obj: PurchaseReport, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(figures_changed)


@admin.register(PurchaseLine)
class PurchaseLineAdmin(admin.ModelAdmin):
    """A door like any other: every save and delete goes through the services."""

    list_display = [
        "report",
        "product_group",
        "quantity",
        "condition",
        "country_of_use",
    ]
    list_filter = ["product_group", "condition"]
    raw_id_fields = ["report"]
    filter_horizontal = ["ecolabels", "criteria"]
    readonly_fields = [
        "has_ecolabel",
        "applies_base_criteria",
        "version",
        "created_at",
        "updated_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A line stays in its report: moving it would rewrite two reports' history.
        return [*self.readonly_fields, "report"] if obj else self.readonly_fields

    def save_model(
        self, request: HttpRequest, obj: PurchaseLine, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        values = {name: data[name] for name in LINE_FIELDS if name in data}
        try:
            if change:
                saved = services.line_update(
                    line=obj,
                    by=request.user,  # type: ignore[arg-type]
                    expected_version=PurchaseLine.objects.values_list(
                        "version", flat=True
                    ).get(pk=obj.pk),
                    values=values,
                    ecolabels=list(data["ecolabels"]),
                    criteria=list(data["criteria"]),
                    allow_locked=True,
                )
            else:
                saved = services.line_create(
                    report=data["report"],
                    by=request.user,  # type: ignore[arg-type]
                    values=values,
                    ecolabels=list(data["ecolabels"]),
                    criteria=list(data["criteria"]),
                    allow_locked=True,
                )
        except services.StaleEdit as stale:
            messages.error(request, str(stale))
            return
        obj.pk = saved.pk

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        """The services set the ecolabels and criteria with the line."""

    def delete_model(self, request: HttpRequest, obj: PurchaseLine) -> None:
        services.line_delete(
            line=obj,
            by=request.user,  # type: ignore[arg-type]
            expected_version=obj.version,
            allow_locked=True,
        )

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[PurchaseLine]
    ) -> None:
        with transaction.atomic():
            for line in queryset.select_related("report", "product_group"):
                self.delete_model(request, line)


@admin.register(ReportChange)
class ReportChangeAdmin(admin.ModelAdmin):
    list_display = ["report", "action", "by", "at"]
    list_filter = ["action"]
    raw_id_fields = ["report", "by"]

    def has_change_permission(
        self, request: HttpRequest, obj: ReportChange | None = None
    ) -> bool:
        return False  # the history is a record; it is not edited


@admin.register(LineQuery)
class LineQueryAdmin(admin.ModelAdmin):
    list_display = ["line", "asked_at", "answered_at"]
    raw_id_fields = ["line", "asked_by", "answered_by"]


@admin.register(DemandForecast)
class DemandForecastAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "product_group",
        "quantity",
        "year",
        "quarter",
        "level",
    ]
    list_filter = ["year", "product_group", "level"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(PurchaseImport)
class PurchaseImportAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "report",
        "status",
        "line_count",
        "problem_count",
        "created_at",
    ]
    list_filter = ["status"]
    raw_id_fields = ["report", "created_by"]
