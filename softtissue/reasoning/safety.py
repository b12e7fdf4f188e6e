"""Safety-netting: what to tell the client, and when to come back, when nothing stops treatment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.loading import Entry
from softtissue.reasoning.triage import Triage

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge


@dataclass(frozen=True, slots=True)
class WarningSigns:
    """Signs that send the client for help, and where to go (the band's words)."""

    band: str
    where: str
    signs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SafetyNet:
    """Advice for the client: what today's screening means, warning signs, when to come back."""

    id: str
    name: str
    tell: str
    seek_help: tuple[WarningSigns, ...]
    review: str
    sources: tuple[str, ...]


def safety_nets(result: Triage, region: str | None, kb: Knowledge) -> tuple[SafetyNet, ...]:
    """The region's safety nets, then the general one; none when a red flag stops treatment."""
    # When a flag stops treatment the client is being referred, and the flag's own referral
    # words are what they must hear; a "come back if" card would contradict them.
    if result.stops_treatment:
        return ()
    nets = [
        _net(entry, kb)
        for entry in kb.safety_nets.values()
        if region is not None and region in (entry.get("regions") or ())
    ]
    nets += [_net(entry, kb) for entry in kb.safety_nets.values() if not entry.get("regions")]
    return tuple(nets)


def _net(entry: Entry, kb: Knowledge) -> SafetyNet:
    return SafetyNet(
        id=str(entry["id"]),
        name=str(entry["name"]),
        tell=str(entry["tell"]),
        seek_help=tuple(
            WarningSigns(
                band=str(group["band"]),
                where=str(kb.urgencies[group["band"]]["where"]),
                signs=tuple(group["signs"]),
            )
            for group in entry["seek_help"]
        ),
        review=str(entry["review"]),
        sources=tuple(entry["sources"]),
    )
