from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ApiToken, OpenDataConsent, OpenDataSettings


@admin.register(OpenDataSettings)
class OpenDataSettingsAdmin(admin.ModelAdmin):
    """The licence of the open data: CC BY 4.0 until the secretariat sets another."""

    list_display = ("licence_name", "licence_title", "attribution")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not OpenDataSettings.objects.exists()

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: Any
    ) -> None:
        obj.pk = 1  # one row
        super().save_model(request, obj, form, change)


@admin.action(description=_("Revoke the chosen tokens"))
def revoke(modeladmin: Any, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
    for token in queryset:
        services.token_revoke(token=token, by=request.user)  # type: ignore[arg-type]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their person on the profile page; here they can be revoked."""

    list_display = ("name", "user", "organisation", "scope", "expires_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "user__email", "organisation__name")
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = [revoke]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OpenDataConsent)
class OpenDataConsentAdmin(admin.ModelAdmin):
    list_display = (
        "organisation",
        "publish_planned_tenders",
        "decided_by",
        "decided_at",
    )
    readonly_fields = ("decided_by", "decided_at")
    autocomplete_fields = ("organisation",)

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: Any
    ) -> None:
        services.consent_set(
            organisation=obj.organisation,
            by=request.user,  # type: ignore[arg-type]
            publish_planned_tenders=obj.publish_planned_tenders,
        )
