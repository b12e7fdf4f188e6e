"""Outcome measures given within an episode, with the score the reasoning core computed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.assessments.models import Episode
from softtissue.audit.recording import muted


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

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            refresh_series(self.episode, self.measure)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # A cascade (erasing a client, deleting an episode) does not come through here: the
        # series goes with the episode by its own foreign key.
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            refresh_series(self.episode, self.measure)
        return deleted


class MeasureSeries(models.Model):
    """One measure within one episode: its first and latest scorable administration."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=40)
    # The episode's working impression, copied so that the report needs no join to episodes.
    condition = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField()  # when the baseline was given
    baseline_score = models.FloatField(null=True, blank=True)
    latest_score = models.FloatField(null=True, blank=True)
    followed_up = models.BooleanField()  # a scorable administration after the baseline

    class Meta:
        verbose_name_plural = "measure series"
        constraints = [
            models.UniqueConstraint(fields=["episode", "measure"], name="series_episode_measure")
        ]
        # The outcomes report reads the series that began in one period of the clinic; every
        # column it counts is in the index, so it never visits the table (SQLite or PostgreSQL).
        indexes = [
            models.Index(
                fields=[
                    "clinic",
                    "started_at",
                    "measure",
                    "condition",
                    "baseline_score",
                    "latest_score",
                    "followed_up",
                ],
                name="series_clinic_started",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} from {self.started_at:%d/%m/%Y}"


def refresh_series(episode: Episode, measure: str) -> None:
    """Make the episode's series for this measure match its scorable administrations."""
    given = MeasureAdministration.objects.filter(
        episode_id=episode.pk, measure=measure, scorable=True
    ).only("clinic_id", "score", "administered_at")
    baseline = given.order_by("administered_at", "pk").first()
    # Derived from the administration just audited: an event of its own would say nothing new.
    with muted():
        if baseline is None:
            MeasureSeries.objects.filter(episode_id=episode.pk, measure=measure).delete()
            return
        latest = given.order_by("-administered_at", "-pk").first() or baseline
        MeasureSeries.objects.update_or_create(
            episode_id=episode.pk,
            measure=measure,
            defaults={
                "clinic_id": baseline.clinic_id,
                "condition": episode.condition,
                "started_at": baseline.administered_at,
                "baseline_score": baseline.score,
                "latest_score": latest.score,
                "followed_up": latest.pk != baseline.pk,
            },
        )


def follow_impression(
    sender: type[Episode], instance: Episode, created: bool, **kwargs: Any
) -> None:
    """Copy an episode's changed working impression to its series (post_save of Episode)."""
    update_fields = kwargs.get("update_fields")
    if created or kwargs.get("raw") or (update_fields and "condition" not in update_fields):
        return
    MeasureSeries.objects.filter(episode_id=instance.pk).exclude(
        condition=instance.condition
    ).update(condition=instance.condition)


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
