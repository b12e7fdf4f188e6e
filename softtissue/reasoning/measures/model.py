"""Outcome-measure definitions as loaded from knowledge/measures/*.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher_is_worse", "higher_is_better"]
ItemSense = Literal["worse", "better"]


@dataclass(frozen=True, slots=True)
class Item:
    """One position on the answer line, with the values it accepts."""

    number: int
    code: str
    label: str
    allowed: tuple[int, ...]
    higher_means: ItemSense
    reverse: bool

    def describe_allowed(self) -> str:
        """The allowed values in words, as a range when they are consecutive."""
        low, high = self.allowed[0], self.allowed[-1]
        if list(self.allowed) == list(range(low, high + 1)) and len(self.allowed) > 2:
            return f"{low} to {high}"
        return ", ".join(str(value) for value in self.allowed)


@dataclass(frozen=True, slots=True)
class Subscale:
    """A separately scored group of items."""

    name: str
    label: str
    items: tuple[int, ...]
    min_answered: int
    range_min: float
    range_max: float


@dataclass(frozen=True, slots=True)
class Band:
    """An interpretation band; `upper` is its inclusive upper edge (None for the top band)."""

    label: str
    upper: float | None


@dataclass(frozen=True, slots=True)
class Threshold:
    """A published change threshold (MCID or MDC) with its source."""

    value: float
    units: str
    criterion: str
    source: str
    relative_percent: float | None


@dataclass(frozen=True, slots=True)
class Licence:
    """Who holds the instrument and whether its item wording may be reproduced."""

    name: str
    holder: str
    reproduce_items: bool


@dataclass(frozen=True, slots=True)
class MeasureDefinition:
    """An outcome measure: items, scoring rule, bands and change thresholds."""

    key: str
    id: str
    name: str
    description: str
    items: tuple[Item, ...]
    min_items: int
    direction: Direction
    range_min: float
    range_max: float
    scoring: str
    missing_rule: str
    min_answered: int
    subscales: tuple[Subscale, ...]
    bands: tuple[Band, ...]
    mcid: Threshold | None
    mdc: Threshold | None
    licence: Licence
    choices: tuple[str, ...]
    sources: tuple[str, ...]
    reviewed: str
    file: str
