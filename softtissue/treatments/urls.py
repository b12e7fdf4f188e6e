"""URLs of the treatment plan and SOAP note pages."""

from django.urls import path

from softtissue.treatments import overrides, views

urlpatterns = [
    path("episodes/<int:episode_id>/plans/new/", views.create_plan, name="create_plan"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/acknowledge/", views.acknowledge_scope, name="acknowledge_scope"),
    path("plans/<int:pk>/override/", views.override_scope, name="override_scope"),
    path("plans/<int:pk>/clearance/", views.record_clearance, name="record_clearance"),
    path("clearances/<int:pk>/", views.download_clearance, name="download_clearance"),
    path("episodes/<int:episode_id>/notes/new/", views.create_note, name="create_note"),
    path("notes/<int:pk>/", views.note_detail, name="note_detail"),
    path("notes/<int:pk>/edit/", views.edit_note, name="edit_note"),
    path("notes/<int:pk>/sign/", views.sign_note, name="sign_note"),
    path("notes/<int:pk>/addenda/", views.add_addendum, name="add_addendum"),
    path("overrides/", overrides.list_overrides, name="list_overrides"),
    path("overrides/export.csv", overrides.export_overrides, name="export_overrides"),
]
