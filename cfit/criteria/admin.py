from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cfit.dashboards.caching import figures_changed_on_commit

from .caching import CriteriaAdminMixin, criteria_changed
from .models import (
    Criterion,
    CriterionParameter,
    CriterionVersion,
    Ecolabel,
    ProductGroup,
    TenderSelection,
    TenderSelectionItem,
)


@admin.register(ProductGroup)
class ProductGroupAdmin(CriteriaAdminMixin, admin.ModelAdmin):
    """Product groups are data: the secretariat adds one here and it appears everywhere,
    in the criteria base and in the dashboards' figures and filters."""

    stale_after_write = (criteria_changed, figures_changed_on_commit)

    list_display = [
        "name",
        "code",
        "cpv_codes",
        "baseline_lifetime_years",
        "impact_archetype",
        "in_pact_scope",
        "sort_order",
    ]
    list_editable = ["in_pact_scope", "sort_order"]
    list_filter = ["in_pact_scope"]
    search_fields = ["name", "code", "cpv_codes"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Ecolabel)
class EcolabelAdmin(CriteriaAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "website", "sort_order"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class VersionInline(admin.TabularInline):
    model = CriterionVersion
    fields = ["number", "status", "title", "level", "approved_at"]
    readonly_fields = ["number", "status", "title", "level", "approved_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Criterion)
class CriterionAdmin(CriteriaAdminMixin, admin.ModelAdmin):
    """Read-only: criteria change only through drafting, review and approval on the site."""

    list_display = ["code", "title", "level"]
    list_filter = ["level", "product_groups"]
    search_fields = ["code", "title"]
    readonly_fields = ["code", "title", "level", "product_groups"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False


class ParameterInline(admin.TabularInline):
    model = CriterionParameter
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CriterionVersion)
class CriterionVersionAdmin(CriteriaAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "title", "status", "level", "kind", "approved_at"]
    list_filter = ["status", "level", "kind", "category", "source"]
    search_fields = ["criterion__code", "title", "tender_text"]
    inlines = [ParameterInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Approved versions are cited by tenders: never edited in place.
        return False


class SelectionItemInline(admin.TabularInline):
    model = TenderSelectionItem
    extra = 0
    readonly_fields = ["version", "parameter_values"]
    can_delete = False


@admin.register(TenderSelection)
class TenderSelectionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "product_group", "level", "updated_at"]
    list_filter = ["product_group", "level"]
    readonly_fields = ["organisation", "created_by", "created_at", "updated_at"]
    inlines = [SelectionItemInline]
    verbose_name = _("saved tender selection")
