"""The admin shows examples, news and events to staff; writes go through the pages.

Adding or changing them here would skip the services (search document, review,
notices, the waiting list), so the admin reads and deletes only.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Event, EventRegistration, GoodExample, NewsItem


class ReadAndDeleteAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GoodExample)
class GoodExampleAdmin(ReadAndDeleteAdmin):
    list_display = ["title", "organisation", "status", "visibility", "published_at"]
    list_filter = ["status", "visibility", "kind", "language", "is_demo"]
    search_fields = ["title", "organisation__name"]


@admin.register(NewsItem)
class NewsItemAdmin(ReadAndDeleteAdmin):
    list_display = ["title", "audience", "group", "published_at"]
    list_filter = ["audience", "is_demo"]
    search_fields = ["title"]


class RegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    fields = ["user", "status", "created_at"]
    readonly_fields = ["user", "status", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadAndDeleteAdmin):
    list_display = ["title", "kind", "starts_at", "time_zone", "audience", "capacity"]
    list_filter = ["kind", "audience", "is_demo"]
    search_fields = ["title"]
    inlines = [RegistrationInline]
