"""The client page's card of scope overrides, fetched by the card so the client view stays small."""

from __future__ import annotations

from typing import Any

from django import template

from softtissue.clients.models import Client
from softtissue.treatments.models import Override

register = template.Library()


@register.inclusion_tag("treatments/_client_overrides.html")
def client_overrides(client: Client) -> dict[str, Any]:
    """Every override of the scope gate on the client's plans, newest first (one query)."""
    overrides = (
        Override.objects.filter(clinic_id=client.clinic_id, plan__episode__client=client)
        .select_related("by", "plan__episode")
        .order_by("-at", "-pk")
    )
    return {"client": client, "overrides": list(overrides)}
