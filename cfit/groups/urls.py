from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/read/", views.notices_mark_read, name="notices-read"),
    path(
        "strategic-buyer-group/",
        views.strategic_buyer_group,
        name="strategic-buyer-group",
    ),
    path("strategic-buyer-group/issues/new/", views.issue_create, name="issue-create"),
    path("strategic-buyer-group/issues/<int:pk>/", views.issue_detail, name="issue"),
    path("working-groups/", views.working_group_list, name="working-groups"),
    path(
        "working-groups/propose/",
        views.working_group_propose,
        name="working-group-propose",
    ),
    path(
        "working-groups/<slug:slug>/",
        views.working_group_detail,
        name="working-group",
    ),
    path(
        "working-groups/<slug:slug>/decide/",
        views.working_group_decide,
        name="working-group-decide",
    ),
    path(
        "working-groups/<slug:slug>/close/",
        views.working_group_close,
        name="working-group-close",
    ),
    path(
        "working-groups/<slug:slug>/join/",
        views.working_group_join,
        name="working-group-join",
    ),
    path(
        "working-groups/<slug:slug>/leave/",
        views.working_group_leave,
        name="working-group-leave",
    ),
    path(
        "working-groups/<slug:slug>/documents/new/",
        views.document_upload,
        name="document-upload",
    ),
    path(
        "working-groups/<slug:slug>/documents/<int:pk>/",
        views.document_download,
        name="document",
    ),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/edit/", views.group_edit, name="edit"),
    path("<slug:slug>/join/", views.group_join, name="join"),
    path("<slug:slug>/leave/", views.group_leave, name="leave"),
    path(
        "<slug:slug>/coordinate/",
        views.group_coordination_offer,
        name="coordination-offer",
    ),
    path(
        "<slug:slug>/coordinate/decide/",
        views.group_coordination_decide,
        name="coordination-decide",
    ),
    path("<slug:slug>/members/", views.group_members, name="members"),
    path("<slug:slug>/members/news/", views.group_news_post, name="news-post"),
    path(
        "<slug:slug>/members/discussion/",
        views.group_discussion_post,
        name="discussion-post",
    ),
    path("<slug:slug>/requests/", views.group_requests, name="requests"),
    path(
        "<slug:slug>/requests/<int:pk>/",
        views.group_request_decide,
        name="request-decide",
    ),
]
