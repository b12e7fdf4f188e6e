"""An episode's exercise programme, its client link and the sessions the client ticks off."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from softtissue.accounts.models import Clinic, Therapist
from softtissue.assessments.models import Episode
from softtissue.limits import PARAGRAPH

MAX_PHASE = 9


class Programme(models.Model):
    """The home exercise programme of one episode."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="programme")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(
        "notes for the client",
        blank=True,
        max_length=PARAGRAPH.max_chars,
        validators=[PARAGRAPH.validator],
    )

    def __str__(self) -> str:
        return f"Programme for episode {self.episode_id}"


class PrescribedExercise(models.Model):
    """One knowledge-base exercise in a programme, with its phase, dosage and place in order."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exercises")
    exercise = models.CharField(max_length=100)  # a knowledge id, e.g. exercise.chin-tuck
    phase = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_PHASE)]
    )
    dosage = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.exercise


class ProgrammeLink(models.Model):
    """An expiring, read-only link that shows the programme to the client."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256; the token is never kept
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Programme link until {self.expires_at:%d/%m/%Y}"


class AdherenceLog(models.Model):
    """Whether the client did their session of one exercise on one day."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    prescribed = models.ForeignKey(
        PrescribedExercise, on_delete=models.CASCADE, related_name="logs"
    )
    day = models.DateField()
    done = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prescribed", "day"], name="one_log_per_exercise_day")
        ]

    def __str__(self) -> str:
        return f"{self.prescribed} on {self.day}"
