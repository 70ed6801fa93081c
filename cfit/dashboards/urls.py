from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.pact, name="pact"),
    path("report/<int:year>.pdf", views.pact_report, name="pact-report"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path(
        "organisations/<slug:slug>/lines/",
        views.organisation_lines,
        name="organisation-lines",
    ),
    path("groups/<slug:slug>/", views.group, name="group"),
    path("countries/", views.countries, name="countries"),
    path("product-groups/", views.product_groups, name="product-groups"),
]
