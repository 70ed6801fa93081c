from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("signatories/", views.signatory_list, name="signatories"),
    path("organisations/new/", views.organisation_register, name="register"),
    path("organisations/join/", views.organisation_join, name="join"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path(
        "organisations/<slug:slug>/join/", views.membership_request, name="request-join"
    ),
    path(
        "organisations/<slug:slug>/members/", views.organisation_members, name="members"
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/decide/",
        views.membership_decide,
        name="member-decide",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/role/",
        views.membership_role,
        name="member-role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        views.membership_remove,
        name="member-remove",
    ),
    path("organisations/<slug:slug>/sign/", views.signature_new, name="sign"),
    path(
        "organisations/<slug:slug>/signatures/<int:pk>/withdraw/",
        views.signature_withdraw,
        name="signature-withdraw",
    ),
    path("secretariat/signatures/", views.review_list, name="review-list"),
    path("secretariat/signatures/<int:pk>/", views.review_detail, name="review-detail"),
]
