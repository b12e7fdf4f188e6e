"""Contraindications: absolute, local and caution rules that fire on the client's findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.findings import Findings
from softtissue.reasoning.rules import fire

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

ALL = "all"


@dataclass(frozen=True, slots=True)
class ContraindicationHit:
    """A contraindication that fired and what it limits."""

    id: str
    name: str
    tier: str
    outcome: str
    techniques: tuple[str, ...]
    regions: tuple[str, ...]
    action: str
    because: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def relevant(self) -> bool:
        """False when the planned techniques or regions fall outside what it limits."""
        return bool(self.techniques) and bool(self.regions)


def contraindications(
    findings: Findings,
    kb: Knowledge,
    techniques: Sequence[str] = (),
    regions: Sequence[str] = (),
    affected: str | None = None,
) -> tuple[ContraindicationHit, ...]:
    """Contraindications that fire, their limits narrowed to the planned techniques and regions."""
    hits: list[ContraindicationHit] = []
    for compiled in kb.contraindication_rules:
        because = fire(compiled.rule, findings)
        if because is None:
            continue
        entry = kb.contraindications[compiled.id]
        limits = entry["limits"]
        hits.append(
            ContraindicationHit(
                id=compiled.id,
                name=entry["name"],
                tier=entry["tier"],
                outcome=entry["outcome"],
                techniques=_narrow(limits.get("techniques", ALL), techniques),
                regions=_narrow(area(limits.get("regions", ALL), affected), regions),
                action=entry["action"],
                because=because,
                sources=tuple(entry["sources"]),
            )
        )
    return tuple(hits)


def area(limit: str | list[str], affected: str | None) -> str | list[str]:
    """A limit's regions, with "affected" read as the assessed region when it is known."""
    # The findings behind an "affected" limit are asked about "the area to be treated" (a
    # wound, bruising, a recent injury there), so with the assessed region known that is the
    # area; without it only the therapist can see where, and the word is kept.
    if limit == "affected" and affected is not None:
        return [affected]
    return limit


def _narrow(limit: str | list[str], planned: Sequence[str]) -> tuple[str, ...]:
    if isinstance(limit, str):
        return tuple(planned) if planned and limit == ALL else (limit,)
    if not planned:
        return tuple(limit)
    return tuple(item for item in planned if item in limit)
