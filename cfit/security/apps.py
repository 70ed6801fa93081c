from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cfit.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        # Sign-ins, failures and lockouts happen inside Django, allauth and axes: their
        # signals are the only door to record them. The system check warns about a cache
        # that only one process sees.
        from django.contrib import admin

        from . import checks, signals  # noqa: F401
        from .admin_input import guard_related_choices

        # Every admin form refuses a related key no database can hold (a form error,
        # not a 500); the admins are all registered by now.
        guard_related_choices(admin.site)
