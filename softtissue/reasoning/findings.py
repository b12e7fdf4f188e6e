"""The finding vocabulary and validation of a findings mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from softtissue.reasoning.errors import CaseError

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

Value = bool | int | float | str
Findings = Mapping[str, Value]
FindingType = Literal["boolean", "number", "choice"]

FINDING_TYPES = ("boolean", "number", "choice")
FINDING_KINDS = ("history", "symptom", "sign", "test", "demographic", "medical_history")


@dataclass(frozen=True, slots=True)
class Finding:
    """One coded finding a therapist can record."""

    code: str
    type: FindingType
    label: str
    question: str
    kind: str
    regions: tuple[str, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()


def is_number(value: object) -> bool:
    """True for int or float but not bool (YAML and JSON both make booleans ints in Python)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def value_problem(finding: Finding, value: object) -> str | None:
    """What is wrong with this value for this finding, or None when it is acceptable."""
    if finding.type == "boolean":
        return None if isinstance(value, bool) else "expected true or false"
    if finding.type == "choice":
        if isinstance(value, str) and value in finding.choices:
            return None
        return f"expected one of {', '.join(finding.choices)}"
    if not is_number(value):
        return "expected a number"
    assert isinstance(value, int | float)
    low, high = finding.min, finding.max
    if (low is not None and value < low) or (high is not None and value > high):
        return f"expected a number {_range(low, high)}"
    return None


def _range(low: float | None, high: float | None) -> str:
    if high is None:
        return f"of at least {_num(low)}"
    if low is None:
        return f"of at most {_num(high)}"
    return f"from {_num(low)} to {_num(high)}"


def _num(value: float | None) -> str:
    return f"{value:g}"


def validate_findings(
    findings: Mapping[str, object], kb: Knowledge, file: str = "<input>", prefix: str = ""
) -> dict[str, Value]:
    """A checked copy of the findings; CaseError names the first bad key and what was expected."""
    checked: dict[str, Value] = {}
    for code, value in findings.items():
        key = f"{prefix}{code}"
        finding = kb.findings.get(code)
        if finding is None:
            raise CaseError(file, key, "unknown finding code")
        problem = value_problem(finding, value)
        if problem is not None:
            raise CaseError(file, key, f"{problem}, got {value!r}")
        assert isinstance(value, bool | int | float | str)
        checked[code] = value
    return checked
