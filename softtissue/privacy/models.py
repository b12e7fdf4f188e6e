"""Legal holds that stop erasure, and what is left of an erased client's signed notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client


class LegalHold(models.Model):
    """A reason (a claim, a complaint, an investigation) to keep a client's record: no erasure."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "client"], name="hold_client")]

    def __str__(self) -> str:
        return f"Legal hold placed {self.placed_at:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        """Until it is lifted."""
        return self.lifted_at is None


class ErasedLink(models.Model):
    """A signed note or addendum of an erased client: its place and hashes, no content.

    The chain of signed notes runs through every client of the clinic. Erasing one client's
    notes would break it for everyone, so the link stays as its stored hashes only: the next
    link still follows it, and verify-notes trusts the hash it can no longer recompute.
    """

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        ADDENDUM = "addendum", "Addendum"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The erased note's number (for an addendum, its note's), as the audit trail knows it.
    note_number = models.PositiveBigIntegerField()
    client_number = models.PositiveBigIntegerField()
    content_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64, blank=True)
    erased_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["clinic", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "sequence"], name="one_erased_link_per_place")
        ]

    def __str__(self) -> str:
        return f"Erased {self.kind} at place {self.sequence}"
