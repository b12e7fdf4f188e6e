"""The alerts at the top of a client's page: contraindications, missing consent, red flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.utils import timezone

from softtissue.clients.consent import has_consent
from softtissue.clients.models import Client, Consent
from softtissue.reasoning import (
    ClientFacts,
    ContraindicationHit,
    client_findings,
    contraindications,
    default_knowledge,
)

Severity = Literal["stop", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"stop": 0, "warning": 1, "info": 2}
TIER_SEVERITY: dict[str, Severity] = {"absolute": "stop", "local": "warning", "caution": "warning"}


@dataclass(frozen=True, slots=True)
class Alert:
    """Something the therapist must see before treating, with why and where it comes from."""

    severity: Severity
    title: str
    detail: str
    sources: tuple[str, ...] = ()


def client_facts(client: Client, today: date) -> ClientFacts:
    """The client's age, current history codes and current medication ids, for the core."""
    history = tuple(
        item.finding_code
        for item in client.history_items.all()
        if item.is_current and item.finding_code
    )
    medications = tuple(
        med.knowledge_id for med in client.medications.all() if med.is_current and med.knowledge_id
    )
    return ClientFacts(
        age=client.age_on(today),
        conditions=tuple(dict.fromkeys(history)),
        medications=tuple(dict.fromkeys(medications)),
    )


def contraindication_alert(hit: ContraindicationHit) -> Alert:
    """A contraindication the core found, as an alert."""
    tier = {
        "absolute": "Absolute contraindication: no treatment",
        "local": "Local contraindication: avoid the area",
        "caution": "Caution",
    }
    return Alert(
        severity=TIER_SEVERITY.get(hit.tier, "warning"),
        title=hit.name,
        detail=f"{tier.get(hit.tier, 'Caution')}. {hit.action}",
        sources=hit.sources,
    )


def client_alerts(client: Client, today: date | None = None) -> list[Alert]:
    """Every alert for this client, the most serious first."""
    kb = default_knowledge()
    facts = client_facts(client, today or timezone.localdate())
    alerts = [
        contraindication_alert(hit) for hit in contraindications(client_findings(facts, kb), kb)
    ]
    if not has_consent(client, Consent.Kind.ASSESSMENT_TREATMENT):
        alerts.append(
            Alert(
                "stop",
                "No consent to assessment and treatment",
                "Record the client's consent before an assessment or treatment starts.",
            )
        )
    alerts.extend(red_flags(client))
    return sorted(alerts, key=lambda alert: SEVERITY_ORDER[alert.severity])


def red_flags(client: Client) -> list[Alert]:
    """Red flags from the latest assessment, when the assessments app provides them."""
    # The assessments app is written alongside this one and may not have its alerts module
    # yet; until it does, a client page simply has no red-flag alerts to show.
    try:
        from softtissue.assessments.alerts import red_flag_alerts
    except ModuleNotFoundError as error:
        if error.name != "softtissue.assessments.alerts":
            raise
        return []
    provider: Callable[[Client], list[Alert]] = red_flag_alerts
    return list(provider(client))
