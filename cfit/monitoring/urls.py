from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("template.xlsx", views.template_download, name="template"),
    path("periods/", views.period_list, name="periods"),
    path("periods/<int:year>/", views.period_edit, name="period-edit"),
    path("forecasts/", views.forecast_list, name="forecasts"),
    path("forecasts/add/", views.forecast_edit, name="forecast-add"),
    path("forecasts/<int:pk>/", views.forecast_edit, name="forecast-edit"),
    path("forecasts/<int:pk>/delete/", views.forecast_delete, name="forecast-delete"),
    path("<slug:slug>/<int:year>/", views.report_detail, name="report"),
    path("<slug:slug>/<int:year>/lines/add/", views.line_add, name="line-add"),
    path("<slug:slug>/<int:year>/lines/<int:pk>/", views.line_edit, name="line-edit"),
    path(
        "<slug:slug>/<int:year>/lines/<int:pk>/delete/",
        views.line_delete,
        name="line-delete",
    ),
    path(
        "<slug:slug>/<int:year>/lines/<int:pk>/question/",
        views.line_query,
        name="line-query",
    ),
    path(
        "<slug:slug>/<int:year>/questions/<int:pk>/answer/",
        views.query_answer,
        name="query-answer",
    ),
    path("<slug:slug>/<int:year>/upload/", views.upload, name="upload"),
    path(
        "<slug:slug>/<int:year>/imports/<int:pk>/", views.import_detail, name="import"
    ),
    path(
        "<slug:slug>/<int:year>/imports/<int:pk>/confirm/",
        views.import_confirm,
        name="import-confirm",
    ),
    path("<slug:slug>/<int:year>/export.csv", views.export_csv, name="export-csv"),
    path("<slug:slug>/<int:year>/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<slug:slug>/<int:year>/submit/", views.report_submit, name="submit"),
    path("<slug:slug>/<int:year>/accept/", views.report_accept, name="accept"),
    path("<slug:slug>/<int:year>/reopen/", views.report_reopen, name="reopen"),
    path("<slug:slug>/<int:year>/remind/", views.report_remind, name="remind"),
    path("<slug:slug>/<int:year>/history/", views.report_history, name="history"),
]
