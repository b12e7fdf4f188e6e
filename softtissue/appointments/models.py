"""Appointments: when a client is booked in, with whom, and whether they came."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from softtissue.accounts.models import Clinic, Therapist
from softtissue.clients.models import Client

# A day's treatment list never needs more; a longer value is a typing mistake.
MAX_DURATION_MINUTES = 8 * 60


class Appointment(models.Model):
    """A booking for one client: reception's diary entry, never clinical content."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ATTENDED = "attended", "Attended"
        CANCELLED = "cancelled", "Cancelled"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"

    class Source(models.TextChoices):
        SOFTTISSUE = "softtissue", "Booked here"
        CLINIKO = "cliniko", "Imported from Cliniko"
        CSV = "csv", "Imported from a CSV file"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="appointments")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    starts_at = models.DateTimeField("starts")
    duration_minutes = models.PositiveSmallIntegerField("length (minutes)", default=60)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    admin_note = models.CharField(
        "note for reception",
        max_length=200,
        blank=True,
        help_text="Practical things only, such as parking or access. No health information.",
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SOFTTISSUE)
    # The other system's id, so importing the same appointment twice is noticed.
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["clinic", "starts_at"], name="appointment_day"),
            models.Index(fields=["client", "starts_at"], name="appointment_client"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "source", "external_id"],
                condition=~Q(external_id=""),
                name="appointment_external_id_once",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="appointment_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} appointment {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("edit_appointment", args=[self.pk])
