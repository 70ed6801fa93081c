from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("me/tokens/", views.token_create, name="token-create"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/consent/", views.consent_update, name="consent"),
    path("open-data/datapackage.json", views.datapackage, name="datapackage"),
    path(
        "open-data/planned-tenders.ocds.json",
        views.planned_tenders_ocds,
        name="planned-tenders-ocds",
    ),
    re_path(
        r"^open-data/(?P<name>[a-z-]+)\.(?P<ext>csv|json)$",
        views.open_data_file,
        name="open-data-file",
    ),
]
