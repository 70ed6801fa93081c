from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import services
from .models import (
    ConsultationQuestion,
    Endorsement,
    MarketConsultation,
    MarketParty,
    Milestone,
    StatementOfDemand,
)


@admin.register(MarketParty)
class MarketPartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "status"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["name"]
    # Verification goes through the service: from the secretariat's page, not here.
    readonly_fields = ["status", "decided_by", "decided_at", "refusal_reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class QuestionInline(admin.TabularInline):
    model = ConsultationQuestion
    extra = 0
    can_delete = False
    readonly_fields = ["position", "text", "kind", "choices", "criterion", "required"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MarketConsultation)
class MarketConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_at", "closes_at", "is_published"]
    inlines = [QuestionInline]
    # Consultations are run from their pages, where the services keep the rules.

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StatementOfDemand)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["title", "from_year", "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["statement", "organisation", "endorsed_at", "withdrawn_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    """The secretariat keeps the roadmap here; every save goes through the service."""

    list_display = ["title", "theme", "target_year", "status"]
    list_filter = ["theme", "status"]
    filter_horizontal = ["consultations", "criterion_versions", "statements"]

    def save_model(
        self, request: HttpRequest, obj: Milestone, form: Any, change: bool
    ) -> None:
        services.milestone_save(milestone=obj, by=request.user)  # type: ignore[arg-type]
