"""The differential: candidate conditions ranked by prior odds times likelihood ratios."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.compiled import Cluster, Feature
from softtissue.reasoning.findings import Findings, Value

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

LABEL = "working impression"
# [PROJECT] Below an even chance no candidate is more likely than not, so the core says it does
# not have enough information rather than let a weak leader read as an answer.
ENOUGH_PROBABILITY = 0.5
# [PROJECT] Strength in plain words. A candidate that supported() accepts is "most likely" when
# it leads and "likely" otherwise; any other takes the first band whose floor it reaches.
MOST_LIKELY, LIKELY = "most likely", "likely"
STRENGTH_FLOORS = ((0.2, "possible"), (0.05, "less likely"), (0.0, "unlikely"))
# [PROJECT] An LR counts as published when the paper reports it, and also when it is calculated
# from the paper's sensitivity and specificity: both come from data, not from a clinician's guess.
PUBLISHED_BASES = frozenset({"published", "calculated"})
# [PROJECT] Each applied LR weighs |ln LR|, how far it moves the odds either way; a candidate is
# "mostly expert estimate" when estimates carry more than half of that weight.
MOSTLY = 0.5
# [PROJECT] Percentages are whole numbers and never 0 or 100: no working impression is certain.
PERCENT_MIN, PERCENT_MAX = 1, 99


@dataclass(frozen=True, slots=True)
class Movement:
    """A recorded finding, or a published cluster of findings, and the LR it carries."""

    finding: str  # a finding code, or a cluster's id
    value: Value  # the recorded value; for a cluster, how many of its findings are positive
    lr: float
    sources: tuple[str, ...]
    basis: str = "expert_estimate"
    members: tuple[str, ...] = ()  # a cluster's findings
    name: str | None = None  # a cluster's name
    why: str = ""  # why the LR was set aside; empty when it was applied


@dataclass(frozen=True, slots=True)
class Candidate:
    """A condition with its prior and posterior, what moved it and how firm the numbers are."""

    condition: str
    name: str
    probability: float
    prior: float
    because: tuple[Movement, ...]
    sources: tuple[str, ...]
    set_aside: tuple[Movement, ...] = ()
    prior_basis: str = "expert_estimate"  # published | expert_estimate | pretest (the case's)
    strength: str = ""

    @property
    def published(self) -> bool:
        """Every LR applied is published, and something moved it or its prior is not a guess."""
        if not all(m.basis in PUBLISHED_BASES for m in self.because):
            return False
        return bool(self.because) or self.prior_basis != "expert_estimate"

    @property
    def percent(self) -> int | None:
        """The posterior as a whole percentage, or None unless it rests on published numbers."""
        if not self.published:
            return None
        return min(PERCENT_MAX, max(PERCENT_MIN, math.floor(self.probability * 100 + 0.5)))

    @property
    def mostly_expert_estimate(self) -> bool:
        """Clinicians' estimates carry more than half of the weight of the LRs applied."""
        total = sum(_weight(m) for m in self.because)
        expert = sum(_weight(m) for m in self.because if m.basis not in PUBLISHED_BASES)
        return total > 0 and expert / total > MOSTLY


@dataclass(frozen=True, slots=True)
class Differential:
    """Candidates, most probable first, labelled as a working impression."""

    candidates: tuple[Candidate, ...]
    enough_information: bool
    message: str
    label: str = LABEL
    pretest_source: str | None = None
    # True when the therapist's scope excludes forming a working impression (Level 3).
    withheld: bool = False


def posterior(prior: float, lrs: list[float]) -> float:
    """Post-test probability from a prior and likelihood ratios treated as independent."""
    odds = prior / (1 - prior)
    for lr in lrs:
        odds *= lr
    return odds / (1 + odds)


def differential(
    findings: Findings,
    kb: Knowledge,
    region: str | None = None,
    pretest: Mapping[str, float] | None = None,
    pretest_source: str | None = None,
) -> Differential:
    """Rank the region's conditions (every condition when no region) on the recorded findings."""
    candidates = [
        _candidate(condition_id, findings, kb, pretest or {})
        for condition_id in kb.conditions_by_region.get(region, ())
    ]
    candidates.sort(key=lambda c: (-c.probability, c.condition))
    ranked = [
        dataclasses.replace(c, strength=strength(c, leads=index == 0))
        for index, c in enumerate(candidates)
    ]
    moved = any(c.because for c in ranked)
    enough = bool(ranked) and supported(ranked[0])
    message = _message(ranked, moved, enough)
    return Differential(tuple(ranked), enough, message, pretest_source=pretest_source)


def _candidate(
    condition_id: str, findings: Findings, kb: Knowledge, pretest: Mapping[str, float]
) -> Candidate:
    entry = kb.conditions[condition_id]
    applied, set_aside = weigh(findings, kb, condition_id)
    prior, basis = float(entry["prior"]), str(entry["prior_basis"])
    if condition_id in pretest:
        prior, basis = pretest[condition_id], "pretest"
    return Candidate(
        condition=condition_id,
        name=entry["name"],
        probability=posterior(prior, [m.lr for m in applied]),
        prior=prior,
        because=applied,
        sources=tuple(entry["sources"]),
        set_aside=set_aside,
        prior_basis=basis,
    )


def weigh(
    findings: Findings, kb: Knowledge, condition_id: str
) -> tuple[tuple[Movement, ...], tuple[Movement, ...]]:
    """The LRs applied to one condition and those set aside, each saying why."""
    features, clusters = kb.features[condition_id], kb.clusters[condition_id]
    singles = [m for feature in features if (m := _single(feature, findings)) is not None]
    why: dict[int, str] = {}  # index in singles -> why it was set aside
    hits: list[Movement] = []
    hits_aside: list[Movement] = []
    for component in _components(clusters):
        scored = [hit for cluster in component if (hit := _hit(cluster, findings)) is not None]
        codes = {code for cluster in component for code in cluster.findings}
        members = [i for i, m in enumerate(singles) if m.finding in codes]
        if scored:
            best = _strongest(scored)
            hits.append(best)
            hits_aside += [
                dataclasses.replace(
                    hit, why=f"overlaps the {best.name}, which moves the odds more; one counts"
                )
                for hit in scored
                if hit is not best
            ]
            for i in members:
                why[i] = _counted_in(best, singles[i].finding)
            continue
        if members:
            kept = _strongest([singles[i] for i in members])
            label = kb.findings[kept.finding].label
            for i in members:
                if singles[i] is not kept:
                    why[i] = _unscored(component, singles[i].finding, label, findings)
    for group in kb.dependent[condition_id]:
        members = [i for i, m in enumerate(singles) if m.finding in group.findings]
        if members:
            kept = _strongest([singles[i] for i in members])
            label = kb.findings[kept.finding].label
            for i in members:
                if singles[i] is not kept:
                    why[i] = f"{group.why} Only the strongest ({label}) counts."
    applied = [m for i, m in enumerate(singles) if i not in why] + hits
    aside = [dataclasses.replace(m, why=why[i]) for i, m in enumerate(singles) if i in why]
    return tuple(applied), tuple(aside + hits_aside)


def _single(feature: Feature, findings: Findings) -> Movement | None:
    code = feature.leaf.finding
    if code not in findings:
        return None
    lr = feature.lr_positive if feature.leaf.matches(findings) else feature.lr_negative
    if lr is None:
        return None
    return Movement(code, findings[code], lr, feature.sources, feature.basis)


def _hit(cluster: Cluster, findings: Findings) -> Movement | None:
    """The cluster's published LR, when every finding is recorded and the count has one."""
    if not all(code in findings for code in cluster.findings):
        return None
    positives = sum(findings[code] is True for code in cluster.findings)
    lr = cluster.lr_for(positives)
    if lr is None:
        return None
    return Movement(
        cluster.id, positives, lr, cluster.sources, cluster.basis, cluster.findings, cluster.name
    )


def _components(clusters: Sequence[Cluster]) -> list[list[Cluster]]:
    """Clusters joined when they share a finding, since their findings then overlap."""
    components: list[tuple[set[str], list[Cluster]]] = []
    for cluster in clusters:
        codes, joined = set(cluster.findings), [cluster]
        for other in [c for c in components if c[0] & codes]:
            components.remove(other)
            codes, joined = codes | other[0], other[1] + joined
        components.append((codes, joined))
    return [joined for _, joined in components]


def _counted_in(hit: Movement, code: str) -> str:
    if code in hit.members:
        return f"counted in the {hit.name} ({hit.value} of {len(hit.members)} positive) instead"
    return f"not independent of the {hit.name}, which counts instead"


def _unscored(component: list[Cluster], code: str, kept: str, findings: Findings) -> str:
    cluster = next(c for c in component if code in c.findings)
    if all(member in findings for member in cluster.findings):
        positives = sum(findings[member] is True for member in cluster.findings)
        reason = f"no LR is published for {positives} of {len(cluster.findings)} positive"
    else:
        reason = "not all of its findings are recorded"
    return (
        f"in the {cluster.name}, whose findings are not independent; the cluster cannot be "
        f"scored ({reason}), so only the strongest ({kept}) counts"
    )


def _strongest(movements: list[Movement]) -> Movement:
    """The movement furthest from an LR of 1; the first one on a tie."""
    return max(movements, key=_weight)


def _weight(movement: Movement) -> float:
    return abs(math.log(movement.lr))


def supported(leader: Candidate) -> bool:
    """The leader is a working impression only if the findings raised it and it is likely."""
    # A leader that sits at (or below) its prior is ranked by prevalence alone, not by anything
    # recorded about this client, so it must not read as an answer.
    # isclose: odds and back again can leave an unmoved prior a hair above itself.
    raised = leader.probability > leader.prior
    raised = raised and not math.isclose(leader.probability, leader.prior, rel_tol=1e-9)
    return raised and leader.probability >= ENOUGH_PROBABILITY


def strength(candidate: Candidate, leads: bool) -> str:
    """The candidate's strength in plain words ([PROJECT] bands at the top of this module)."""
    if supported(candidate):
        return MOST_LIKELY if leads else LIKELY
    return next(word for floor, word in STRENGTH_FLOORS if candidate.probability >= floor)


def _message(candidates: Sequence[Candidate], moved: bool, enough: bool) -> str:
    if not candidates:
        return "No conditions are listed for this region; this is not a working impression."
    if not moved:
        return "Not enough information: no recorded finding changed any candidate."
    leader = candidates[0]
    if enough:
        message = f"Working impression: {leader.name} is the most likely of these candidates."
        if leader.mostly_expert_estimate:
            message += (
                " Most of the weight behind it is clinicians' estimates, not published figures,"
                " so read it as a ranking, not a probability."
            )
        return message
    if leader.probability <= leader.prior:
        return (
            f"Not enough information: nothing recorded points towards {leader.name}; "
            "it leads on how common it is alone. Record more findings."
        )
    return (
        "Not enough information: no candidate is more likely than not. "
        "Record more findings before forming a working impression."
    )
