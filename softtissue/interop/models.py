"""Personal API tokens: named, revocable, read-only or read-write, kept only as a hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from softtissue.accounts.models import Clinic

TOKEN_PREFIX = "st_"  # noqa: S105 - a public marker, not a secret


class ApiToken(models.Model):
    """A user's personal token for the REST API in one clinic; the plain text is never stored."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["clinic", "user"], name="api_token_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        """Usable until revoked."""
        return self.revoked_at is None
