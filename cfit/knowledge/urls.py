from django.urls import path

from . import event_views, translation_views, views

app_name = "knowledge"

urlpatterns = [
    path("good-examples/", views.example_list, name="examples"),
    path("good-examples/new/", views.example_create, name="example-new"),
    path("good-examples/mine/", views.my_examples, name="my-examples"),
    path("good-examples/<slug:slug>/", views.example_detail, name="example"),
    path("good-examples/<slug:slug>/edit/", views.example_edit, name="example-edit"),
    path(
        "good-examples/<slug:slug>/documents/add/",
        views.document_add,
        name="document-add",
    ),
    path(
        "good-examples/<slug:slug>/documents/<int:pk>/",
        views.document_download,
        name="document",
    ),
    path(
        "good-examples/<slug:slug>/documents/<int:pk>/remove/",
        views.document_remove,
        name="document-remove",
    ),
    path(
        "good-examples/<slug:slug>/submit/", views.example_submit, name="example-submit"
    ),
    path(
        "good-examples/<slug:slug>/publish/",
        views.example_publish,
        name="example-publish",
    ),
    path(
        "good-examples/<slug:slug>/send-back/",
        views.example_send_back,
        name="example-send-back",
    ),
    path(
        "good-examples/<slug:slug>/withdraw/",
        views.example_withdraw,
        name="example-withdraw",
    ),
    path(
        "good-examples/<slug:slug>/comment/",
        views.example_comment,
        name="example-comment",
    ),
    path("news/", event_views.news_list, name="news"),
    path("news/feed/", event_views.NewsFeed(), name="news-feed"),
    path("news/new/", event_views.news_create, name="news-new"),
    path("news/<slug:slug>/", event_views.news_detail, name="news-item"),
    path("events/", event_views.event_list, name="events"),
    path("events/new/", event_views.event_create, name="event-new"),
    path("events/calendar.ics", event_views.calendar_public, name="calendar"),
    path(
        "events/calendar/members.ics",
        event_views.calendar_members,
        name="calendar-members",
    ),
    path(
        "events/calendar/groups/<slug:slug>.ics",
        event_views.calendar_group,
        name="calendar-group",
    ),
    path("events/<slug:slug>/", event_views.event_detail, name="event"),
    path("events/<slug:slug>/edit/", event_views.event_edit, name="event-edit"),
    path("events/<slug:slug>/event.ics", event_views.event_ics, name="event-ics"),
    path(
        "events/<slug:slug>/register/",
        event_views.event_register,
        name="event-register",
    ),
    path("events/<slug:slug>/cancel/", event_views.event_cancel, name="event-cancel"),
    path("contact/", event_views.contact, name="contact"),
    path(
        "good-examples/<slug:slug>/translate/<str:language>/",
        translation_views.example_translate,
        name="example-translate",
    ),
    path(
        "news/<slug:slug>/translate/<str:language>/",
        translation_views.news_translate,
        name="news-translate",
    ),
    path(
        "events/<slug:slug>/translate/<str:language>/",
        translation_views.event_translate,
        name="event-translate",
    ),
]
