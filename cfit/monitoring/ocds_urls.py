from django.urls import path

from . import ocds_views

app_name = "monitoring-ocds"

urlpatterns = [
    path("<slug:slug>/<int:year>/ocds/", ocds_views.ocds_upload, name="upload"),
    path(
        "<slug:slug>/<int:year>/ocds/complete/",
        ocds_views.ocds_complete,
        name="complete",
    ),
]
