"""URLs of the appointment pages."""

from django.urls import path

from softtissue.appointments import views

urlpatterns = [
    path("appointments/", views.appointment_list, name="appointment_list"),
    path(
        "clients/<int:client_id>/appointments/new/",
        views.book_appointment,
        name="book_appointment",
    ),
    path(
        "appointments/<int:appointment_id>/edit/",
        views.edit_appointment,
        name="edit_appointment",
    ),
]
