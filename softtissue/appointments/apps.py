"""App config for appointments."""

from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    """Clients' appointments, booked by reception or imported from another system."""

    name = "softtissue.appointments"
    label = "appointments"
    verbose_name = "Appointments"
