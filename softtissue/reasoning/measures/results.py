"""The answers the scoring core gives: a score, its subscales, and a change between two."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SubScore:
    """One subscale's score, or why it could not be scored."""

    score: float | None
    scorable: bool
    band: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Score:
    """A measure's score at full precision, its band, and its subscales."""

    measure: str
    score: float | None
    scorable: bool
    band: str | None
    reason: str | None
    subscales: dict[str, SubScore] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The shape the `score` command prints with --json."""
        return {
            "measure": self.measure,
            "score": self.score,
            "scorable": self.scorable,
            "band": self.band,
            "reason": self.reason,
            "subscales": {
                name: {
                    "score": sub.score,
                    "scorable": sub.scorable,
                    "band": sub.band,
                    "reason": sub.reason,
                }
                for name, sub in self.subscales.items()
            },
        }


@dataclass(frozen=True, slots=True)
class Change:
    """Change between two administrations, positive when the client improved."""

    measure: str
    difference: float | None
    relative: float | None
    judged: bool
    important: bool
    beyond_mdc: bool | None
    criterion: str | None
    reason: str | None
    subscales: dict[str, Change] = field(default_factory=dict)
