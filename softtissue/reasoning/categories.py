"""The condition category a presentation belongs to, derived from its findings, not declared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from softtissue.reasoning.findings import Findings
from softtissue.reasoning.rules import fire

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

MAINTENANCE = "category.maintenance"


@dataclass(frozen=True, slots=True)
class Derivation:
    """The strictest category the findings put the presentation in, and what put it there."""

    category: str
    because: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def injury(self) -> bool:
        """True when the findings show more than maintenance work."""
        return self.category != MAINTENANCE


def rank(category: str, kb: Knowledge) -> int:
    """How restrictive a category is, from maintenance (0) upwards."""
    return int(kb.categories[category]["rank"])


def derive_category(findings: Findings, kb: Knowledge, impression: str | None = None) -> Derivation:
    """The strictest category among the injury features, positive tests and the impression."""
    found: list[Derivation] = []
    for compiled in kb.category_rules:
        because = fire(compiled.rule, findings)
        if because is not None:
            found.append(Derivation(compiled.id, because, _sources(compiled.id, kb)))
    for test in kb.special_tests.values():
        # A positive test that the knowledge ties to a condition points to that condition's
        # kind of problem (a positive Lachman is a ligament injury, whoever records it).
        code, condition = str(test["finding"]), test.get("condition")
        if condition is not None and findings.get(code) is True:
            found.extend(_from_condition(str(condition), (code,), kb))
    if impression is not None:
        found.extend(_from_condition(impression, (), kb))
    if not found:
        return Derivation(MAINTENANCE, (), _sources(MAINTENANCE, kb))
    strictest = max(rank(d.category, kb) for d in found)
    deciding = [d for d in found if rank(d.category, kb) == strictest]
    category = min(d.category for d in deciding)
    because = tuple(dict.fromkeys(c for d in deciding if d.category == category for c in d.because))
    return Derivation(category, because, _sources(category, kb))


def _from_condition(condition: str, because: tuple[str, ...], kb: Knowledge) -> list[Derivation]:
    entry = kb.conditions[condition]
    # A non-specific pain presentation (non-specific low back pain, mechanical neck pain) is not
    # an injury in itself: its category then comes from the findings (duration, injury features).
    if entry.get("non_specific") is True:
        return []
    category = str(entry["category"])
    return [Derivation(category, because, _sources(category, kb))]


def _sources(category: str, kb: Knowledge) -> tuple[str, ...]:
    return tuple(kb.categories[category]["sources"])
