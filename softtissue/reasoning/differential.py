"""The differential: candidate conditions ranked by prior odds times likelihood ratios."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.findings import Findings, Value

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

LABEL = "working impression"
# [PROJECT] Below an even chance no candidate is more likely than not, so the core says it does
# not have enough information rather than let a weak leader read as an answer.
ENOUGH_PROBABILITY = 0.5


@dataclass(frozen=True, slots=True)
class Movement:
    """One recorded finding that moved a candidate, by the likelihood ratio applied."""

    finding: str
    value: Value
    lr: float
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A condition with its prior and posterior probability and what moved it."""

    condition: str
    name: str
    probability: float
    prior: float
    because: tuple[Movement, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Differential:
    """Candidates, most probable first, labelled as a working impression."""

    candidates: tuple[Candidate, ...]
    enough_information: bool
    message: str
    label: str = LABEL


def posterior(prior: float, lrs: list[float]) -> float:
    """Post-test probability from a prior and likelihood ratios treated as independent."""
    odds = prior / (1 - prior)
    for lr in lrs:
        odds *= lr
    return odds / (1 + odds)


def differential(findings: Findings, kb: Knowledge, region: str | None = None) -> Differential:
    """Rank the region's conditions (every condition when no region) on the recorded findings."""
    candidates: list[Candidate] = []
    for condition_id in kb.conditions_by_region.get(region, ()):
        entry = kb.conditions[condition_id]
        movements: list[Movement] = []
        for feature in kb.features[condition_id]:
            code = feature.leaf.finding
            if code not in findings:
                continue
            lr = feature.lr_positive if feature.leaf.matches(findings) else feature.lr_negative
            if lr is not None:
                movements.append(Movement(code, findings[code], lr, feature.sources))
        prior = float(entry["prior"])
        candidates.append(
            Candidate(
                condition=condition_id,
                name=entry["name"],
                probability=posterior(prior, [m.lr for m in movements]),
                prior=prior,
                because=tuple(movements),
                sources=tuple(entry["sources"]),
            )
        )
    candidates.sort(key=lambda c: (-c.probability, c.condition))
    moved = any(c.because for c in candidates)
    enough = bool(candidates) and supported(candidates[0])
    return Differential(tuple(candidates), enough, _message(candidates, moved, enough))


def supported(leader: Candidate) -> bool:
    """The leader is a working impression only if the findings raised it and it is likely."""
    # A leader that sits at (or below) its prior is ranked by prevalence alone, not by anything
    # recorded about this client, so it must not read as an answer.
    return leader.probability > leader.prior and leader.probability >= ENOUGH_PROBABILITY


def _message(candidates: list[Candidate], moved: bool, enough: bool) -> str:
    if not candidates:
        return "No conditions are listed for this region; this is not a working impression."
    if not moved:
        return "Not enough information: no recorded finding changed any candidate."
    leader = candidates[0]
    if enough:
        return f"Working impression: {leader.name} is the most likely of these candidates."
    if leader.probability <= leader.prior:
        return (
            f"Not enough information: nothing recorded points towards {leader.name}; "
            "it leads on how common it is alone. Record more findings."
        )
    return (
        "Not enough information: no candidate is more likely than not. "
        "Record more findings before forming a working impression."
    )
