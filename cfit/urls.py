from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext_lazy as _

from cfit.knowledge.sitemaps import SITEMAPS

from . import views
from .accounts import views as accounts_views
from .api import views as api_views
from .api.api import api
from .operations import views as operations_views

admin.site.site_header = _("Circular & Fair ICT Pact: administration")
admin.site.site_title = _("cfit administration")

# The pages people read: English at the bare address, `/nl/…`, `/fr/…`, `/de/…`, `/es/…`
# in the other languages (cfit/lib/i18n.py decides which one a person gets).
pages: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("pact/", views.pact_text, name="pact-text"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("cfit.accounts.urls")),
    path("", include("cfit.organisations.urls")),
    path("groups/", include("cfit.groups.urls")),
    path("criteria/", include("cfit.criteria.urls")),
    path("reports/", include("cfit.monitoring.ocds_urls")),
    path("reports/", include("cfit.monitoring.urls")),
    path("impact/", include("cfit.impact.urls")),
    path("dashboards/", include("cfit.dashboards.urls")),
    path("secretariat/audit/", include("cfit.security.urls")),
    path("", include("cfit.knowledge.urls")),
    path("market/", include("cfit.market.urls")),
]

# One address in every language: machines (API, open data files, health, sitemap) read
# them, and their addresses must not change with a reader's language. The admin is the
# secretariat's tool with Django's own translations; it follows the person's stored
# language without a prefix, so its addresses stay those in the documentation.
urlpatterns = [
    path("language/", accounts_views.language_choose, name="language"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/v1/docs/", api_views.docs, name="api-docs"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", api_views.api_not_found),
    path("", include("cfit.api.urls")),
    path("admin/", admin.site.urls),
    path("health/", operations_views.health, name="health"),
    *i18n_patterns(*pages, prefix_default_language=False),
]
