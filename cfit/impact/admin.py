"""FactorSets in the admin: a FactorSet that has been current is read-only, so that the
figures published with it can always be reproduced."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    ConditionFactor,
    ElectricityFactor,
    Equivalence,
    FactorSet,
    ProductFactor,
    Recompute,
    Scenario,
    ScenarioOption,
)


class _LockedWithFactorSet:
    """Inline rows can be changed only while their FactorSet has not been current."""

    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


class ProductFactorInline(_LockedWithFactorSet, admin.TabularInline):
    model = ProductFactor


class ConditionFactorInline(_LockedWithFactorSet, admin.TabularInline):
    model = ConditionFactor


class ElectricityFactorInline(_LockedWithFactorSet, admin.TabularInline):
    model = ElectricityFactor


class EquivalenceInline(_LockedWithFactorSet, admin.StackedInline):
    model = Equivalence


@admin.register(FactorSet)
class FactorSetAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "built_with", "is_current", "made_current_at"]
    readonly_fields = ["is_current", "made_current_at", "made_current_by", "created_at"]
    inlines = [
        ProductFactorInline,
        ConditionFactorInline,
        EquivalenceInline,
        ElectricityFactorInline,
    ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (obj.is_locked or obj.is_current):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Recompute)
class RecomputeAdmin(admin.ModelAdmin):
    list_display = [
        "factorset",
        "status",
        "reports_done",
        "reports_total",
        "created_at",
    ]
    readonly_fields = [f.name for f in Recompute._meta.fields]


class ScenarioOptionInline(admin.TabularInline):
    model = ScenarioOption
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "created_at"]
    inlines = [ScenarioOptionInline]
