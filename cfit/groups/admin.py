from django.contrib import admin

from cfit.dashboards.caching import FiguresAdminMixin

from .models import (
    BuyerGroup,
    BuyerGroupMembership,
    ComplexIssue,
    ComplexIssueReply,
    GroupPost,
    Notice,
    WorkingGroup,
    WorkingGroupDocument,
    WorkingGroupMembership,
)


class BuyerGroupMembershipInline(admin.TabularInline):
    model = BuyerGroupMembership
    extra = 0
    fields = ("organisation", "status", "is_founding_member", "requested_at")
    readonly_fields = ("requested_at",)
    autocomplete_fields = ("organisation",)


@admin.register(BuyerGroup)
class BuyerGroupAdmin(FiguresAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "country", "coordinator", "is_demo")
    list_filter = ("kind", "country", "is_demo")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("coordinator",)
    inlines = [BuyerGroupMembershipInline]


@admin.register(BuyerGroupMembership)
class BuyerGroupMembershipAdmin(FiguresAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "group", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("organisation__name", "group__name")
    autocomplete_fields = ("organisation", "group")
    readonly_fields = ("requested_by", "decided_by")


@admin.register(GroupPost)
class GroupPostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "group", "kind", "author", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "body", "group__name")
    raw_id_fields = ("author", "organisation", "group")


class ComplexIssueReplyInline(admin.StackedInline):
    model = ComplexIssueReply
    extra = 0
    raw_id_fields = ("author", "organisation")


@admin.register(ComplexIssue)
class ComplexIssueAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "organisation", "created_at")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "organisation")
    inlines = [ComplexIssueReplyInline]


class WorkingGroupMembershipInline(admin.TabularInline):
    model = WorkingGroupMembership
    extra = 0
    raw_id_fields = ("user", "organisation")


class WorkingGroupDocumentInline(admin.TabularInline):
    model = WorkingGroupDocument
    extra = 0
    fields = ("title", "file_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = True


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "topic", "status", "proposed_by_organisation", "created_at")
    list_filter = ("status", "topic", "is_demo")
    search_fields = ("name", "purpose")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("proposed_by", "proposed_by_organisation", "decided_by")
    filter_horizontal = ("product_groups",)
    inlines = [WorkingGroupMembershipInline, WorkingGroupDocumentInline]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("recipient", "text", "created_at", "read_at")
    search_fields = ("recipient__email", "text")
    raw_id_fields = ("recipient",)
