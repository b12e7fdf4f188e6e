"""Episodes of care and their assessments: history, body chart, range of motion, special tests."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.models import Clinic, Therapist
from softtissue.clients.models import Client


class Episode(models.Model):
    """One presenting problem, from the day it is opened to discharge."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="episodes")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.SET_NULL, related_name="episodes"
    )
    presenting_problem = models.TextField()
    region = models.CharField("body region", max_length=60)
    opened_at = models.DateTimeField(default=timezone.now)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharge_reason = models.TextField(blank=True)
    # The condition the therapist has settled on treating (a knowledge condition id); the
    # differential suggests, the therapist decides, and outcomes are reported by it.
    condition = models.CharField("working impression being treated", max_length=100, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "client", "-opened_at"], name="episode_client")]

    def __str__(self) -> str:
        return self.presenting_problem[:60]

    def get_absolute_url(self) -> str:
        return reverse("episode_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Open until discharged."""
        return self.discharged_at is None


class Assessment(models.Model):
    """One structured assessment of an episode: the subjective history and coded findings."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial assessment"
        REASSESSMENT = "reassessment", "Re-assessment"

    class Onset(models.TextChoices):
        SUDDEN = "sudden", "Sudden"
        GRADUAL = "gradual", "Gradual"
        AFTER_TRAUMA = "after_trauma", "After an injury"

    class Irritability(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="assessments")
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    started_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INITIAL)
    onset = models.CharField(max_length=20, choices=Onset.choices, blank=True)
    mechanism = models.TextField("mechanism of injury", blank=True)
    symptom_duration_weeks = models.PositiveSmallIntegerField(
        "symptom duration (weeks)", null=True, blank=True, validators=[MaxValueValidator(1040)]
    )
    aggravating = models.TextField("aggravating factors", blank=True)
    easing = models.TextField("easing factors", blank=True)
    pattern_24h = models.TextField("24-hour pattern", blank=True)
    irritability = models.CharField(max_length=20, choices=Irritability.choices, blank=True)
    previous_episodes = models.BooleanField("previous episodes", null=True, blank=True)
    general_health = models.TextField(blank=True)
    goals = models.TextField("client's goals", blank=True)
    observation_notes = models.TextField("observation", blank=True)
    palpation_notes = models.TextField("palpation", blank=True)
    # Coded answers (screening and region questions): {finding_code: value} for the core.
    findings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "episode", "-started_at"], name="assessment_ep")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("assessment_detail", args=[self.pk])


class BodyChartMark(models.Model):
    """A symptom marked on the body chart: a coded area, side, type, intensity and depth."""

    class View(models.TextChoices):
        FRONT = "front", "Front"
        BACK = "back", "Back"

    class Side(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        CENTRE = "centre", "Centre"
        BILATERAL = "bilateral", "Both sides"

    class Symptom(models.TextChoices):
        PAIN = "pain", "Pain"
        ACHE = "ache", "Ache"
        PINS_AND_NEEDLES = "pins_and_needles", "Pins and needles"
        NUMBNESS = "numbness", "Numbness"
        STIFFNESS = "stiffness", "Stiffness"

    class Depth(models.TextChoices):
        SUPERFICIAL = "superficial", "Superficial"
        DEEP = "deep", "Deep"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="marks")
    area = models.CharField(max_length=40)
    view = models.CharField(max_length=10, choices=View.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    symptom = models.CharField(max_length=20, choices=Symptom.choices)
    intensity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    depth = models.CharField(max_length=12, choices=Depth.choices)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["clinic", "area", "symptom"], name="mark_area"),
            # An assessment's marks, read on every assessment page: without it SQLite (before
            # ANALYZE) took mark_area for the clinic and scanned every mark the clinic has.
            models.Index(fields=["clinic", "assessment"], name="mark_assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.get_symptom_display()} {self.area} ({self.side}) {self.intensity}/10"


class RangeOfMotion(models.Model):
    """One range-of-motion measurement: a knowledge movement id, side and degrees."""

    class Side(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        CENTRE = "centre", "Not sided"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="movements")
    movement_id = models.CharField("movement", max_length=60)
    side = models.CharField(max_length=10, choices=Side.choices)
    degrees = models.PositiveSmallIntegerField(validators=[MaxValueValidator(360)])
    painful = models.BooleanField(default=False)

    class Meta:
        ordering = ["movement_id", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "movement_id", "side"], name="one_measurement_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.movement_id} {self.side} {self.degrees}°"


class SpecialTestResult(models.Model):
    """A special test's result: positive, negative or not tested."""

    class Result(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        NOT_TESTED = "not_tested", "Not tested"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="test_results"
    )
    test_id = models.CharField("special test", max_length=80)
    result = models.CharField(max_length=12, choices=Result.choices)

    class Meta:
        ordering = ["test_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "test_id"], name="one_result_per_test")
        ]

    def __str__(self) -> str:
        return f"{self.test_id}: {self.result}"
