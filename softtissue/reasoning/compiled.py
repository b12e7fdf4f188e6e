"""Shapes precomputed at load time so that answering a case stays cheap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from softtissue.reasoning.rules import Leaf, Rule


@dataclass(frozen=True, slots=True)
class Feature:
    """A condition's finding with the likelihood ratios it applies and where they come from."""

    leaf: Leaf
    lr_positive: float | None
    lr_negative: float | None
    sources: tuple[str, ...]
    basis: str


@dataclass(frozen=True, slots=True)
class ClusterBand:
    """A published LR for a cluster when min to max of its members (inclusive) are positive."""

    min: int
    max: int
    lr: float


@dataclass(frozen=True, slots=True)
class Cluster:
    """A published cluster of yes/no findings whose LR depends on how many are positive."""

    id: str
    name: str
    findings: tuple[str, ...]
    bands: tuple[ClusterBand, ...]
    basis: str
    sources: tuple[str, ...]

    def lr_for(self, positives: int) -> float | None:
        """The published LR for this many positive members, or None if none was published."""
        return next((b.lr for b in self.bands if b.min <= positives <= b.max), None)


@dataclass(frozen=True, slots=True)
class DependentGroup:
    """Findings of one condition that measure the same thing: only the strongest LR applies."""

    findings: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A red flag or contraindication with its compiled rule tree."""

    id: str
    rule: Rule


@dataclass(frozen=True, slots=True)
class QualificationScope:
    """A qualification's scope maps after inheritance has been applied."""

    id: str
    title: str
    refer_to: str
    assessment: Mapping[str, str]
    techniques: Mapping[str, str]
    conditions: Mapping[str, str]
    sources: tuple[str, ...]
