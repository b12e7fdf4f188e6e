"""Consent records: keeping one, and the current state of each kind (the latest record wins)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.clients.models import Client, Consent


def keep_consent(client: Client, checked: dict[str, Any], recorded_by: User) -> Consent:
    """Keep a consent given or withdrawn, from a valid ConsentForm's cleaned data, as of now."""
    return Consent.objects.create(
        clinic_id=client.clinic_id,
        client=client,
        kind=checked["kind"],
        given=checked["given"],
        method=checked["method"],
        signed_name=checked["signed_name"],
        recorded_at=timezone.now(),
        recorded_by=recorded_by,
    )


def current_consents(client: Client) -> dict[str, Consent | None]:
    """The latest consent record of each kind (None when never asked); uses a prefetch if made."""
    latest: dict[str, Consent | None] = dict.fromkeys(Consent.Kind.values)
    for consent in client.consents.all():
        held = latest.get(consent.kind)
        if held is None or (consent.recorded_at, consent.pk) > (held.recorded_at, held.pk):
            latest[consent.kind] = consent
    return latest


def has_consent(client: Client, kind: str) -> bool:
    """True when the latest record of this kind of consent is a consent given."""
    if kind not in Consent.Kind.values:
        raise ValueError(f"Unknown consent kind {kind!r}")
    consent = current_consents(client)[kind]
    return consent is not None and consent.given
