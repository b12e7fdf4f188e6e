"""URLs of the owner's privacy pages."""

from django.urls import path

from softtissue.privacy import views

urlpatterns = [
    path("privacy/retention/", views.retention_report, name="retention_report"),
    path("clients/<int:client_id>/privacy/", views.client_privacy, name="client_privacy"),
    path("clients/<int:client_id>/legal-hold/", views.place_legal_hold, name="place_legal_hold"),
    path("clients/<int:client_id>/legal-hold/lift/", views.lift_legal_hold, name="lift_legal_hold"),
    path("clients/<int:client_id>/erase/", views.erase_client, name="erase_client"),
    path(
        "clients/<int:client_id>/subject-access/",
        views.subject_access_export,
        name="subject_access_export",
    ),
]
