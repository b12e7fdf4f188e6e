"""Shapes precomputed at load time so that answering a case stays cheap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from softtissue.reasoning.rules import Leaf, Rule


@dataclass(frozen=True, slots=True)
class Feature:
    """A condition's finding with the likelihood ratios it applies."""

    leaf: Leaf
    lr_positive: float | None
    lr_negative: float | None
    sources: tuple[str, ...]


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
