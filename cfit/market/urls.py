from django.urls import path

from . import consultation_views, translation_views, views

app_name = "market"

urlpatterns = [
    path("", views.market_home, name="home"),
    path("parties/", views.party_list, name="parties"),
    path("parties/new/", views.party_register, name="party-register"),
    path("parties/join/", views.party_join, name="party-join"),
    path("parties/review/", views.party_review, name="party-review"),
    path("parties/<slug:slug>/", views.party_detail, name="party"),
    path(
        "parties/<slug:slug>/join/", views.party_request_join, name="party-request-join"
    ),
    path("parties/<slug:slug>/members/", views.party_members, name="party-members"),
    path(
        "parties/<slug:slug>/members/<int:pk>/decide/",
        views.party_member_decide,
        name="party-member-decide",
    ),
    path(
        "parties/<slug:slug>/members/<int:pk>/role/",
        views.party_member_role,
        name="party-member-role",
    ),
    path(
        "parties/<slug:slug>/members/<int:pk>/remove/",
        views.party_member_remove,
        name="party-member-remove",
    ),
    path("consultations/", consultation_views.consultation_list, name="consultations"),
    path(
        "consultations/new/",
        consultation_views.consultation_edit,
        name="consultation-new",
    ),
    path(
        "consultations/<int:pk>/",
        consultation_views.consultation_detail,
        name="consultation",
    ),
    path(
        "consultations/<int:pk>/edit/",
        consultation_views.consultation_edit,
        name="consultation-edit",
    ),
    path(
        "consultations/<int:pk>/questions/",
        consultation_views.question_add,
        name="question-add",
    ),
    path(
        "consultations/<int:pk>/questions/<int:question_pk>/delete/",
        consultation_views.question_delete,
        name="question-delete",
    ),
    path(
        "consultations/<int:pk>/send/",
        consultation_views.consultation_publish,
        name="consultation-publish",
    ),
    path(
        "consultations/<int:pk>/close/",
        consultation_views.consultation_close,
        name="consultation-close",
    ),
    path("consultations/<int:pk>/answer/", consultation_views.answer, name="answer"),
    path("consultations/<int:pk>/answers/", consultation_views.answers, name="answers"),
    path(
        "consultations/<int:pk>/answers.xlsx",
        consultation_views.answers_xlsx,
        name="answers-xlsx",
    ),
    path(
        "consultations/<int:pk>/files/<int:answer_pk>/",
        consultation_views.answer_file,
        name="answer-file",
    ),
    path(
        "consultations/<int:pk>/summary/",
        consultation_views.summary_publish,
        name="summary-publish",
    ),
    path("statements/", views.statement_list, name="statements"),
    path("statements/new/", views.statement_edit, name="statement-new"),
    path("statements/<slug:slug>/", views.statement_detail, name="statement"),
    path("statements/<slug:slug>/edit/", views.statement_edit, name="statement-edit"),
    path(
        "statements/<slug:slug>/translate/<str:language>/",
        translation_views.statement_translate,
        name="statement-translate",
    ),
    path(
        "consultations/<int:pk>/translate/<str:language>/",
        translation_views.consultation_translate,
        name="consultation-translate",
    ),
    path(
        "statements/<slug:slug>/publish/",
        views.statement_publish,
        name="statement-publish",
    ),
    path(
        "statements/<slug:slug>/endorse/",
        views.statement_endorse,
        name="statement-endorse",
    ),
    path(
        "statements/<slug:slug>/endorsements/<int:pk>/withdraw/",
        views.endorsement_withdraw,
        name="endorsement-withdraw",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.csv", views.calendar_csv, name="calendar-csv"),
    path(
        "calendar/tenders/<int:pk>/", views.calendar_entry_edit, name="calendar-entry"
    ),
    path(
        "calendar/tenders/<int:pk>/interest/",
        views.tender_interest,
        name="tender-interest",
    ),
    path("roadmap/", views.roadmap, name="roadmap"),
]
