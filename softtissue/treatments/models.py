"""Treatment plans, the scope gate's records, and signed SOAP notes with their addenda."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from softtissue.accounts.models import Clinic, Therapist, User
from softtissue.assessments.models import Episode


class SignedRecordError(Exception):
    """A signed note or addendum cannot be changed or deleted."""


class TreatmentPlan(models.Model):
    """The plan for an episode: goals, what is treated, techniques by region, frequency, review."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plans")
    therapist = models.ForeignKey(
        Therapist, null=True, on_delete=models.SET_NULL, related_name="plans"
    )
    created_at = models.DateTimeField(default=timezone.now)
    goals = models.TextField(
        help_text="Specific and measurable, e.g. 'run 5 km pain-free by June'."
    )
    condition = models.CharField("condition treated", max_length=100, blank=True)
    condition_category = models.CharField(max_length=100, blank=True)
    frequency = models.CharField(max_length=100, help_text="e.g. weekly for 4 weeks")
    review_on = models.DateField("review date")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "episode", "-created_at"], name="plan_episode")]

    def __str__(self) -> str:
        return f"Plan of {self.created_at:%d %b %Y}"


class PlanTechnique(models.Model):
    """One technique planned for one region (knowledge ids)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="techniques")
    technique = models.CharField(max_length=100)
    region = models.CharField(max_length=60)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.technique} ({self.region})"


class ScopeDecision(models.Model):
    """The scope gate's answer for a plan, as the core gave it, and who acknowledged a warning."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    plan = models.OneToOneField(
        TreatmentPlan, on_delete=models.CASCADE, related_name="scope_decision"
    )
    outcome = models.CharField(max_length=30)
    overridable = models.BooleanField()
    referral = models.TextField(blank=True)
    # [{"subject", "outcome", "reason"}] exactly as the core explained its decision.
    items = models.JSONField(default=list)
    decided_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.outcome


class Override(models.Model):
    """A therapist's recorded decision to proceed despite the scope gate, with their reason."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="overrides")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    def __str__(self) -> str:
        return f"Override by {self.by} on {self.at:%d %b %Y}"


def clearance_path(instance: MedicalClearance, filename: str) -> str:
    """Uploaded clearances live under the clinic's folder with a neutral name."""
    return f"clearances/{instance.clinic_id}/{timezone.now():%Y%m%d%H%M%S}.pdf"


class MedicalClearance(models.Model):
    """A doctor's or other clinician's clearance to treat: an uploaded PDF or a written note."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="clearances")
    given_by = models.CharField("cleared by", max_length=200)
    given_on = models.DateField("date of clearance")
    note = models.TextField(blank=True)
    document = models.FileField("clearance (PDF)", upload_to=clearance_path, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Clearance from {self.given_by}"


class SignedRecord(models.Model):
    """Shared by notes and addenda: once signed, the row can be neither changed nor deleted."""

    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    # Position in the clinic's chain, shared by notes and addenda: 1, 2, 3 ... in signing order.
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to a row that is already signed."""
        if self._stored_signed():
            raise SignedRecordError(
                f"{self._meta.verbose_name} {self.pk} is signed: add an addendum"
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse to delete a signed row."""
        if self._stored_signed():
            raise SignedRecordError(f"{self._meta.verbose_name} {self.pk} is signed: it is kept")
        return super().delete(*args, **kwargs)

    def _stored_signed(self) -> bool:
        if self.pk is None:
            return False
        stored = type(self)._default_manager.filter(pk=self.pk).values_list("signed_at", flat=True)
        return stored.first() is not None


class TreatmentNote(SignedRecord):
    """A SOAP note of one session: a draft until signed, then locked into the clinic's chain."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    # PROTECT: an episode with notes is a clinical record and is kept, never deleted with them.
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="notes")
    therapist = models.ForeignKey(
        Therapist, null=True, on_delete=models.SET_NULL, related_name="notes"
    )
    session_date = models.DateField(default=timezone.localdate)
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    # [{"technique": id, "region": id, "dosage": text}]
    techniques = models.JSONField(default=list, blank=True)
    response = models.TextField("client response", blank=True)
    advice = models.TextField("advice given", blank=True)
    plan = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-session_date", "-pk"]
        indexes = [models.Index(fields=["clinic", "episode", "-session_date"], name="note_episode")]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "sequence"], name="one_note_per_chain_place")
        ]

    def __str__(self) -> str:
        return f"Note of {self.session_date:%d %b %Y}"


class Addendum(SignedRecord):
    """A later, signed addition to a signed note; it joins the same chain."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(TreatmentNote, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name_plural = "addenda"
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "sequence"], name="one_addendum_per_chain_place"
            )
        ]

    def __str__(self) -> str:
        return f"Addendum to note {self.note_id}"
