"""The current state of each kind of consent: the latest record of that kind wins."""

from __future__ import annotations

from softtissue.clients.models import Client, Consent


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
