from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cfit.security.models import SecurityAction
from cfit.security.services import audit_record

from .models import User

# What decides what a person may reach across the site.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "groups")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        changed = [name for name in ACCESS_FIELDS if name in form.changed_data]
        if not changed:
            return
        user = form.instance
        words = {
            "is_active": gettext("active: %s"),
            "is_staff": gettext("may open the administration: %s"),
            "is_superuser": gettext("all permissions: %s"),
        }
        details = [
            words[name] % (gettext("yes") if getattr(user, name) else gettext("no"))
            for name in changed
            if name in words
        ]
        if "groups" in changed:
            names = ", ".join(g.name for g in user.groups.all()) or gettext("none")
            details.append(gettext("groups: %s") % names)
        audit_record(
            action=SecurityAction.ACCESS_CHANGED,
            actor=request.user,  # type: ignore[arg-type]
            target=user.email,
            details="; ".join(details),
            request=request,
        )
