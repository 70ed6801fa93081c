from django.urls import path

from . import views

app_name = "impact"

urlpatterns = [
    path("", views.methodology, name="methodology"),
    path("factorsets/<slug:version>/", views.factorset_detail, name="factorset"),
    path(
        "factorsets/<slug:version>/compare/",
        views.factorset_compare,
        name="compare",
    ),
    path(
        "factorsets/<slug:version>/make-current/",
        views.factorset_make_current,
        name="make-current",
    ),
    path(
        "factorsets/<slug:version>/recompute/",
        views.recompute_start,
        name="recompute",
    ),
    path("recomputes/<int:pk>/", views.recompute_progress, name="recompute-progress"),
    path("planner/", views.planner, name="planner"),
    path("planner/export.csv", views.planner_export, name="planner-export"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path(
        "scenarios/<int:pk>/export.csv", views.scenario_export, name="scenario-export"
    ),
    path("scenarios/<int:pk>/delete/", views.scenario_delete, name="scenario-delete"),
    path("pact/", views.pact_figures, name="pact"),
    path("organisations/<slug:slug>/", views.organisation_figures, name="organisation"),
    path("groups/<slug:slug>/", views.group_figures, name="group"),
    path("reports/<int:pk>/", views.report_figures, name="report"),
]
