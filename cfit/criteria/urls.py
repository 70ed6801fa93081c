from django.urls import path

from . import translation_views, views

app_name = "criteria"

urlpatterns = [
    path("", views.criterion_list, name="list"),
    path("product-groups/", views.product_group_list, name="product-groups"),
    path("ecolabels/", views.ecolabel_list, name="ecolabels"),
    path("base/<slug:group>/", views.base_level, name="base"),
    path("tender-builder/", views.tender_builder, name="builder"),
    path("tenders/", views.selection_list, name="selections"),
    path("tenders/<int:pk>/", views.selection_detail, name="selection"),
    path(
        "tenders/<int:pk>/download/<str:export_format>/",
        views.selection_export,
        name="selection-export",
    ),
    path("tenders/<int:pk>/delete/", views.selection_delete, name="selection-delete"),
    path("drafts/", views.draft_list, name="drafts"),
    path("new/", views.criterion_new, name="new"),
    path("import/", views.criteria_import, name="import"),
    path("usage/", views.usage, name="usage"),
    path(
        "translations/",
        translation_views.translation_overview,
        name="translations",
    ),
    path(
        "translations/export/",
        translation_views.translation_export,
        name="translations-export",
    ),
    path(
        "translations/import/",
        translation_views.translation_import,
        name="translations-import",
    ),
    path("<str:code>/", views.criterion_detail, name="detail"),
    path("<str:code>/new-version/", views.version_new, name="version-new"),
    path("<str:code>/v<int:number>/", views.version_detail, name="version"),
    path(
        "<str:code>/translations/<str:language>/",
        translation_views.version_translation,
        name="version-translation",
    ),
    path("<str:code>/v<int:number>/edit/", views.version_edit, name="version-edit"),
    path(
        "<str:code>/v<int:number>/decide/",
        views.version_decide,
        name="version-decide",
    ),
]
