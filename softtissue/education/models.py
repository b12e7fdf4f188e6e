"""A record that a leaflet was given to a client."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client


class LeafletGiven(models.Model):
    """A condition leaflet handed to (or printed for) a client."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="leaflets_given")
    condition_id = models.CharField(max_length=100)
    given_at = models.DateTimeField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["client", "given_at"], name="leaflet_given_by_client")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The leaflet's title, or its condition id if the knowledge no longer has it."""
        from softtissue.education.leaflets import leaflet_for

        leaflet = leaflet_for(self.condition_id)
        return leaflet.title if leaflet else self.condition_id
