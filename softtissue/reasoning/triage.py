"""Red-flag triage: which referral rules fire on the findings, worst urgency first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.findings import Findings
from softtissue.reasoning.rules import fire

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

URGENCY_ORDER = ("none", "refer_routine", "refer_soon", "refer_urgent", "refer_emergency")
_RANK = {urgency: rank for rank, urgency in enumerate(URGENCY_ORDER)}


@dataclass(frozen=True, slots=True)
class Flag:
    """A red flag that fired, with the findings that fired it."""

    rule_id: str
    urgency: str
    message: str
    referral: str
    because: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Triage:
    """The worst urgency among the flags that fired ("none" when none did)."""

    urgency: str
    flags: tuple[Flag, ...]
    stops_treatment: bool = False


def urgency_rank(urgency: str) -> int:
    """Position of an urgency from none (0) to refer_emergency (4)."""
    return _RANK[urgency]


def triage(findings: Findings, kb: Knowledge) -> Triage:
    """Red flags that fire on these findings, worst urgency first."""
    flags: list[Flag] = []
    for compiled in kb.red_flag_rules:
        because = fire(compiled.rule, findings)
        if because is None:
            continue
        entry = kb.red_flags[compiled.id]
        flags.append(
            Flag(
                rule_id=compiled.id,
                urgency=entry["urgency"],
                message=entry["message"],
                referral=entry["referral"],
                because=because,
                sources=tuple(entry["sources"]),
            )
        )
    flags.sort(key=lambda flag: (-_RANK[flag.urgency], flag.rule_id))
    if not flags:
        return Triage(urgency="none", flags=())
    worst = flags[0].urgency
    # Whether a band stops treatment today is part of the band's definition in the knowledge.
    stops = bool(kb.urgencies[worst]["stops_treatment"])
    return Triage(urgency=worst, flags=tuple(flags), stops_treatment=stops)
