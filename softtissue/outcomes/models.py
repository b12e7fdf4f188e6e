"""Outcome measures given within an episode, with the score the reasoning core computed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.assessments.models import Episode


class MeasureAdministration(models.Model):
    """One completed questionnaire: the answers as given and the score as published."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="measures")
    measure = models.CharField(max_length=40)  # the short measure id, e.g. "odi"
    answers = models.JSONField()  # official item order; null marks a missing item
    score = models.FloatField(null=True, blank=True)  # full precision; bands use this value
    scorable = models.BooleanField()
    band = models.CharField(max_length=100, blank=True)
    reason = models.CharField("why it could not be scored", max_length=300, blank=True)
    subscales = models.JSONField(default=dict)
    administered_at = models.DateTimeField(default=timezone.now)
    client_reported = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["administered_at", "pk"]
        indexes = [
            models.Index(fields=["episode", "measure", "administered_at"], name="admin_episode"),
            models.Index(fields=["clinic", "measure", "administered_at"], name="admin_clinic"),
            # The outcomes report reads one period of the clinic, whatever the measure.
            models.Index(fields=["clinic", "administered_at"], name="admin_clinic_period"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} on {self.administered_at:%d/%m/%Y}"


class QuestionnaireLink(models.Model):
    """A single-use, expiring link that shows one questionnaire to the client on a tablet."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=40)
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256; the token is never kept
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.measure} link"
