"""FactorSets in the admin: a FactorSet that has been current is read-only, so that the
figures published with it can always be reproduced."""

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .factorsets import FactorSetDataError, factorset_data, store_factorset
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
    actions = ["copy_as_new_version"]
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

    @admin.action(
        description=gettext_lazy("Copy as a new version, to change and compare"),
        permissions=["add"],
    )
    def copy_as_new_version(
        self, request: HttpRequest, queryset: QuerySet[FactorSet]
    ) -> None:
        for factorset in queryset:
            data = factorset_data(factorset)
            data["version"] = _next_version(factorset.version)
            data["title"] = _("Copy of %(version)s") % {"version": factorset.version}
            try:
                with transaction.atomic():
                    store_factorset(data)
            except FactorSetDataError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _(
                        "FactorSet %(version)s is made: change its factors, then compare."
                    )
                    % {"version": data["version"]},
                )


def _next_version(version: str) -> str:
    """The first free "<version>-copyN" slug."""
    n = 1
    while FactorSet.objects.filter(version=f"{version}-copy{n}").exists():
        n += 1
    return f"{version}-copy{n}"[:40]


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

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A recompute is started by the service when a FactorSet changes; an empty
        # one made here would have no FactorSet to recompute.
        return False


class ScenarioOptionInline(admin.TabularInline):
    model = ScenarioOption
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "created_at"]
    inlines = [ScenarioOptionInline]
