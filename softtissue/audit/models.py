"""The audit trail: who viewed or changed what, when and from where; rows are never changed."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads and inserts only: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are never deleted.")


class AuditEvent(models.Model):
    """One request to a clinical page or one change of a clinical row: never its content."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        SUBMIT = "submit", "Submitted a form or API call"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        SIGN = "sign", "Signed"
        EXPORT = "export", "Exported"
        ERASE = "erase", "Erased a client's record"
        HOLD = "hold", "Placed a legal hold"
        RELEASE = "release", "Lifted a legal hold"
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Failed login"
        DENIED = "denied", "Refused (not allowed)"
        NOT_FOUND = "not_found", "Refused (not found)"
        BAD_REQUEST = "bad_request", "Refused (bad input)"
        ERROR = "error", "Server error"

    # The trail outlives what it describes: a deleted clinic, user or client keeps its events, so
    # these are plain numbers in the database (no constraint, nothing cascades into this table).
    clinic = models.ForeignKey(
        "accounts.Clinic",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)  # "clients.Client"
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The client the object belongs to, so "who saw this client" is one indexed filter.
    client_id = models.PositiveBigIntegerField("client", null=True, blank=True)
    url_name = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=10, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    remote_addr = models.GenericIPAddressField("from address", null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["clinic", "-at"], name="audit_clinic_at"),
            models.Index(fields=["clinic", "client_id", "-at"], name="audit_clinic_client"),
            models.Index(fields=["clinic", "user", "-at"], name="audit_clinic_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id or ''}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; any later save is refused."""
        if not self._state.adding:
            raise AppendOnlyError(f"Audit event {self.pk} is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused: the trail is append-only."""
        raise AppendOnlyError(f"Audit event {self.pk} is never deleted.")


class ChainAnchorQuerySet(models.QuerySet["ChainAnchor"]):
    """Reads and inserts only, as for audit events."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Chain anchors are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Chain anchors are never deleted.")


class ChainAnchor(models.Model):
    """The head of a clinic's signed-note chain as one signing left it, keyed with an HMAC.

    Kept outside the notes' tables (treatments/anchors.py writes and checks them), so deleting
    or un-signing the newest note, or passing a deleted note off as erased, leaves a head here
    that the notes no longer reach.
    """

    # Plain numbers, as in AuditEvent: the anchor outlives the rows it describes.
    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=10)  # "note" or "addendum"
    # The note signed (for an addendum, its note) and that note's client, as the trail knows them.
    note_number = models.PositiveBigIntegerField()
    client_number = models.PositiveBigIntegerField()
    head = models.CharField("chain head", max_length=64)
    at = models.DateTimeField(auto_now_add=True)
    # Which key made the HMAC: the first 16 hex digits of its SHA-256 (the key is never stored).
    key_id = models.CharField(max_length=16)
    hmac = models.CharField("HMAC", max_length=64)

    objects: ClassVar[models.Manager[ChainAnchor]] = ChainAnchorQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "sequence"], name="one_anchor_per_place")
        ]

    def __str__(self) -> str:
        return f"Chain head at place {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; any later save is refused."""
        if not self._state.adding:
            raise AppendOnlyError(f"Chain anchor {self.pk} is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refused: anchors are append-only."""
        raise AppendOnlyError(f"Chain anchor {self.pk} is never deleted.")
