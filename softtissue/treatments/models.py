"""Treatment plans, the scope gate's records, and signed SOAP notes with their addenda."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from softtissue.accounts.models import Clinic, Therapist, User
from softtissue.assessments.models import Episode


class SignedRecordError(Exception):
    """A signed note or addendum cannot be changed or deleted."""


# [PROJECT] A plan is reviewed within two years of being made: a later date is a slip of the
# keyboard (9999), not a plan, and a review before the plan existed (1900) means nothing.
REVIEW_WITHIN_YEARS = 2


def long_date(day: date) -> str:
    """1 June 2027."""
    return f"{day.day} {day:%B} {day.year}"


def years_after(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February (the earlier day)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def session_date_problem(day: date, opened: date | None, today: date) -> str:
    """Why a session cannot have happened on this day, or "" (not after today, nor before the
    episode opened)."""
    if day > today:
        return (
            f"The session date {long_date(day)} is after today ({long_date(today)}): a note "
            "records a session that has happened."
        )
    if opened is not None and day < opened:
        return (
            f"The session date {long_date(day)} is before this episode was opened "
            f"({long_date(opened)}): choose the day of the session."
        )
    return ""


def review_date_problem(day: date, made: date) -> str:
    """Why a plan made on `made` cannot be reviewed on this day, or "" (not before the plan is
    made, nor more than REVIEW_WITHIN_YEARS after)."""
    if day < made:
        return (
            f"The review date {long_date(day)} is before the plan is made "
            f"({long_date(made)}): choose a later date."
        )
    latest = years_after(made, REVIEW_WITHIN_YEARS)
    if day > latest:
        return (
            f"The review date {long_date(day)} is more than {REVIEW_WITHIN_YEARS} years after "
            f"the plan is made: review it by {long_date(latest)} at the latest."
        )
    return ""


class TreatmentPlan(models.Model):
    """The plan for an episode: goals, what is treated, techniques by region, frequency, review."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plans")
    # PROTECT: a therapist who leaves is deactivated, never deleted; their plans stay theirs.
    therapist = models.ForeignKey(
        Therapist, null=True, on_delete=models.PROTECT, related_name="plans"
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

    def clean(self) -> None:
        """A review date from the day the plan is made to REVIEW_WITHIN_YEARS later."""
        super().clean()
        if self.review_on is not None and self.created_at is not None:
            problem = review_date_problem(self.review_on, timezone.localdate(self.created_at))
            if problem:
                raise ValidationError({"review_on": problem})


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


# [PROJECT] What "a reason of at least a sentence" means: at least 20 characters and 4 words, of
# which at least 3 differ. A word is two or more letters that are not one letter repeated, so
# "ok ok ok ok ok ok ok" and a key held down ("aaaaaaaaaaaaaaaaaaaaaaa") are refused.
REASON_MIN_CHARACTERS = 20
REASON_MIN_WORDS = 4
REASON_MIN_DIFFERENT_WORDS = 3
REASON_MAX_CHARACTERS = 2000
_LETTERS = re.compile(r"[^\W\d_]{2,}")
ASK_FOR_REASON = "say in a sentence why you are going ahead despite the scope gate"
NO_REASON = "An override needs a written reason."
# The core's outcomes as the pages name them (treatments/_outcome.html says the same).
OUTCOME_LABELS = {
    "allow": "Allowed",
    "warn": "Warning",
    "require_clearance": "Needs medical clearance",
    "block": "Blocked",
    "refer_routine": "Refer (routine)",
    "refer_soon": "Refer within days",
    "refer_urgent": "Refer the same day",
    "refer_emergency": "Emergency referral",
}


def reason_problem(text: str) -> str:
    """What is wrong with an override's reason, or "" when it explains the override."""
    text = " ".join(text.split())
    if not text:
        return f"{NO_REASON} Please {ASK_FOR_REASON}."
    if len(text) > REASON_MAX_CHARACTERS:
        return (
            f"The reason is {len(text)} characters long: keep it to {REASON_MAX_CHARACTERS} "
            "and put the detail in the session notes."
        )
    if len(text) < REASON_MIN_CHARACTERS:
        return (
            f"The reason is only {len(text)} characters long: {ASK_FOR_REASON}, "
            f"in at least {REASON_MIN_CHARACTERS} characters."
        )
    words = [word.casefold() for word in _LETTERS.findall(text) if len(set(word.casefold())) > 1]
    if len(words) < REASON_MIN_WORDS:
        counted = f"{len(words)} word" if len(words) == 1 else f"{len(words)} words"
        return (
            f"The reason has only {counted}: {ASK_FOR_REASON}, "
            f"in at least {REASON_MIN_WORDS} words."
        )
    if len(set(words)) < REASON_MIN_DIFFERENT_WORDS:
        return f"The reason repeats the same words: {ASK_FOR_REASON}."
    return ""


def validate_override_reason(value: str) -> None:
    """Refuse a reason that does not explain the override (the rule of `reason_problem`)."""
    problem = reason_problem(value)
    if problem:
        raise ValidationError(problem, code="reason")


class Override(models.Model):
    """A therapist's decision to proceed despite the scope gate: what they overrode, and why."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="overrides")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(validators=[validate_override_reason])
    # A copy of the decision as it stood when it was overridden, so the record stays true if the
    # plan's decision is worked out again later.
    outcome = models.CharField("outcome overridden", max_length=30)
    # [{"subject", "outcome", "reason"}]: the decision's items that gave it that outcome.
    reasons = models.JSONField("reasons overridden", default=list)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["clinic", "-at"], name="override_clinic_at")]

    def __str__(self) -> str:
        return f"Override by {self.by} on {self.at:%d %b %Y}"

    @property
    def outcome_label(self) -> str:
        """The overridden outcome as the pages name it."""
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


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

    # PROTECT on every key the signature covers (signing.note_content): deleting the row it
    # points at would otherwise rewrite or delete signed notes behind the signed-note guard.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    # PROTECT: an episode with notes is a clinical record and is kept, never deleted with them.
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="notes")
    # PROTECT: a therapist who leaves is deactivated, never deleted; their notes stay theirs.
    therapist = models.ForeignKey(
        Therapist, null=True, on_delete=models.PROTECT, related_name="notes"
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

    def clean(self) -> None:
        """A session date from the day the episode opened to today."""
        super().clean()
        if self.session_date is None:
            return
        opened = timezone.localdate(self.episode.opened_at) if self.episode_id else None
        problem = session_date_problem(self.session_date, opened, timezone.localdate())
        if problem:
            raise ValidationError({"session_date": problem})


class Addendum(SignedRecord):
    """A later, signed addition to a signed note; it joins the same chain."""

    # PROTECT, as the note's keys: the signature covers the clinic and the note.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
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
