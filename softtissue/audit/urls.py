"""URLs of the owner's audit log."""

from django.urls import path

from softtissue.audit import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
