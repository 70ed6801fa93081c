from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cfit.dashboards.caching import FiguresAdminMixin

from . import services
from .models import Membership, Organisation, PactText, Signature, SignatureStatus


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    fields = ("user", "role", "status", "requested_at")
    readonly_fields = ("requested_at",)
    autocomplete_fields = ("user",)


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    fields = ("role", "status", "signatory_name", "signatory_title", "approved_on")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(FiguresAdminMixin, admin.ModelAdmin):
    list_display = ("name", "country", "kind", "is_demo", "created_at")
    list_filter = ("country", "kind", "is_demo")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline, SignatureInline]


@admin.register(PactText)
class PactTextAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "published_on", "is_current")


@admin.register(Signature)
class SignatureAdmin(FiguresAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "role", "status", "signatory_name", "submitted_at")
    list_filter = ("status", "role", "organisation__country")
    search_fields = ("organisation__name", "signatory_name")
    readonly_fields = (
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "approved_on",
        "withdrawn_at",
    )
    autocomplete_fields = ("organisation",)
    actions = ["approve_selected"]

    @admin.action(description=_("Approve the selected pending signatures"))
    def approve_selected(self, request, queryset):
        approved = 0
        for signature in queryset.filter(status=SignatureStatus.PENDING):
            try:
                services.signature_approve(signature=signature, by=request.user)
                approved += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        self.message_user(request, _("%(n)d signatures approved.") % {"n": approved})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "status")
    list_filter = ("role", "status")
    search_fields = ("user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
