"""The sentences the core adds to its reasons, looked up in the knowledge by id."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

INSURANCE_QUALIFICATION = "explanation.insurance-follows-qualification"
INSURANCE_RED_FLAG = "explanation.insurance-red-flag"
INSURANCE_CONTRAINDICATION = "explanation.insurance-contraindication"
MAINTENANCE = "explanation.maintenance-massage"
NO_WORKING_IMPRESSION = "explanation.no-working-impression"
REQUIRED = (
    INSURANCE_QUALIFICATION,
    INSURANCE_RED_FLAG,
    INSURANCE_CONTRAINDICATION,
    MAINTENANCE,
    NO_WORKING_IMPRESSION,
)


def explain(kb: Knowledge, explanation_id: str) -> str:
    """The reviewed sentence for an explanation id."""
    return str(kb.explanations[explanation_id]["text"])


def sources_of(kb: Knowledge, explanation_id: str) -> tuple[str, ...]:
    """The sources behind an explanation."""
    return tuple(kb.explanations[explanation_id]["sources"])
