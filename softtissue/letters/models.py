"""Letters about an episode: referral, medical clearance request and discharge, kept as PDF."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.models import Clinic, Therapist
from softtissue.assessments.models import Episode
from softtissue.limits import ADDRESS, LETTER, PARAGRAPH


class LetterImmutableError(Exception):
    """A generated letter was about to be changed or deleted."""


# The parts of a letter the therapist checks and completes, in the order the letter reads.
BODY_FIELDS = (
    "recipient",
    "recipient_name",
    "recipient_address",
    "reason",
    "history",
    "findings",
    "treatment",
    "outcomes",
    "current_status",
    "request",
    "advice",
)


class Letter(models.Model):
    """A letter as sent: the text the therapist checked and the PDF rendered from it, unchanged."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral letter"
        CLEARANCE = "clearance", "Medical clearance request"
        DISCHARGE = "discharge", "Discharge summary"

    class Recipient(models.TextChoices):
        GP = "gp", "GP"
        PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
        EMERGENCY = "emergency", "A&E handover"
        OTHER = "other", "Other clinician"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    # PROTECT: a letter sent is part of the clinical record; its episode is kept with it.
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.CharField("recipient", max_length=20, choices=Recipient.choices)
    recipient_name = models.CharField("recipient's name", max_length=200)
    recipient_address = models.TextField(
        "recipient's address",
        blank=True,
        validators=[ADDRESS.validator],
    )
    reason = models.TextField(validators=[LETTER.validator])
    history = models.TextField(blank=True, validators=[LETTER.validator])
    findings = models.TextField(blank=True, validators=[LETTER.validator])
    treatment = models.TextField(
        "treatment so far and response",
        blank=True,
        validators=[LETTER.validator],
    )
    outcomes = models.TextField("outcome measures", blank=True, validators=[LETTER.validator])
    current_status = models.TextField("current status", blank=True, validators=[LETTER.validator])
    request = models.TextField(
        "what is asked of the recipient",
        blank=True,
        validators=[LETTER.validator],
    )
    advice = models.TextField("advice given", blank=True, validators=[LETTER.validator])
    # Written by the application from the consent record, never typed.
    consent_statement = models.TextField("consent to share", validators=[PARAGRAPH.validator])
    therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The rendered letter is kept in the database, not under MEDIA_ROOT: it is small, it is
    # backed up, scoped and deleted with the clinic's other rows, and no file URL can leak it.
    html = models.TextField(editable=False)
    pdf = models.BinaryField(editable=False)
    pdf_sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "episode", "-created_at"], name="letter_ep")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d %b %Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Letters are written once: a kept letter is never changed."""
        if self.pk is not None:
            raise LetterImmutableError("A generated letter cannot be changed: write a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("letter_detail", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """A kept letter is part of the clinical record and is not deleted on its own."""
        raise LetterImmutableError("A generated letter is part of the record: it is not deleted.")

    @property
    def filename(self) -> str:
        """A download name that carries no health data."""
        return f"letter-{self.pk}-{self.kind}.pdf"
