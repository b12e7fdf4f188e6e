"""Facts about the client, the therapist and the planned treatment that the core reasons over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.findings import Findings, Value

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """The client's age, pregnancy, medical-history finding codes and medication ids."""

    age: int | None = None
    pregnant: bool | None = None
    conditions: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TherapistFacts:
    """The therapist's qualifications, CPD certificates and insurance."""

    qualifications: tuple[str, ...]
    cpd: tuple[str, ...] = ()
    insurance: str | None = None
    insurance_expired: bool = False


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """What the therapist intends to treat, with which techniques, where."""

    condition: str | None = None
    condition_category: str | None = None
    techniques: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


def client_findings(client: ClientFacts, kb: Knowledge) -> dict[str, Value]:
    """The client's facts as findings: age, pregnancy, history codes and what medicines imply."""
    findings: dict[str, Value] = {}
    if client.age is not None:
        findings["age"] = client.age
    if client.pregnant is not None:
        findings["pregnant"] = client.pregnant
    for code in client.conditions:
        findings[code] = True
    for medication in client.medications:
        if medication not in kb.medications:
            raise CaseError("<input>", "client.medications", f"unknown id {medication!r}")
        for code in kb.medications[medication]["implies"]:
            findings[code] = True
    return findings


def merge_findings(
    findings: Findings, client: ClientFacts | None, kb: Knowledge
) -> dict[str, Value]:
    """Recorded findings with the client's facts added; a recorded value wins over the record."""
    if client is None:
        return dict(findings)
    return {**client_findings(client, kb), **findings}
