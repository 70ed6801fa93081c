from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
from .operations import views as operations_views

admin.site.site_header = _("Circular & Fair ICT Pact: administration")
admin.site.site_title = _("cfit administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("pact/", views.pact_text, name="pact-text"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("cfit.accounts.urls")),
    path("", include("cfit.organisations.urls")),
    path("groups/", include("cfit.groups.urls")),
    path("criteria/", include("cfit.criteria.urls")),
    path("reports/", include("cfit.monitoring.urls")),
    path("impact/", include("cfit.impact.urls")),
    path("dashboards/", include("cfit.dashboards.urls")),
    path("admin/", admin.site.urls),
    path("health/", operations_views.health, name="health"),
]
