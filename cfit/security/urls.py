from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
]
