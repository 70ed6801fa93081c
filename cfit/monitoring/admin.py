from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from . import summaries
from .models import (
    DemandForecast,
    LineQuery,
    PurchaseImport,
    PurchaseLine,
    PurchaseReport,
    ReportChange,
    ReportingPeriod,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "deadline", "open"]


class PurchaseLineInline(admin.TabularInline):
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
    readonly_fields = ["version"]
    show_change_link = True


@admin.register(PurchaseReport)
class PurchaseReportAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "status", "submitted_at", "accepted_at"]
    list_filter = ["year", "status"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "submitted_by", "accepted_by"]
    inlines = [PurchaseLineInline]

    @transaction.atomic
    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        summaries.refresh_report(form.instance.pk)


@admin.register(PurchaseLine)
class PurchaseLineAdmin(admin.ModelAdmin):
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

    # Lines changed here keep their report's summary rows up to date too.
    @transaction.atomic
    def save_model(
        self, request: HttpRequest, obj: PurchaseLine, form: Any, change: bool
    ) -> None:
        old_report = (
            PurchaseLine.objects.filter(pk=obj.pk)
            .values_list("report_id", flat=True)
            .first()
        )
        super().save_model(request, obj, form, change)
        summaries.refresh_reports({obj.report_id, old_report or obj.report_id})

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: PurchaseLine) -> None:
        super().delete_model(request, obj)
        summaries.refresh_report(obj.report_id)

    @transaction.atomic
    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[PurchaseLine]
    ) -> None:
        reports = set(queryset.values_list("report_id", flat=True))
        super().delete_queryset(request, queryset)
        summaries.refresh_reports(reports)


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
