"""URLs of the clients pages."""

from django.urls import path

from softtissue.clients import history, intake, views

urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.create_client, name="create_client"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", views.edit_client, name="edit_client"),
    path("clients/<int:pk>/consent/", views.record_consent, name="record_consent"),
    path("clients/<int:pk>/history/", history.add_history_item, name="add_history_item"),
    path(
        "clients/<int:pk>/history/<int:item_pk>/end/",
        history.end_history_item,
        name="end_history_item",
    ),
    path("clients/<int:pk>/medications/", history.add_medication, name="add_medication"),
    path(
        "clients/<int:pk>/medications/<int:item_pk>/end/",
        history.end_medication,
        name="end_medication",
    ),
    path("clients/<int:pk>/intake-link/", intake.create_intake_link, name="create_intake_link"),
    path("intake/<str:token>/", intake.intake_form, name="intake_form"),
]
