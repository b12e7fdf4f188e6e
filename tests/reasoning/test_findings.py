"""Validating a findings mapping against the vocabulary."""

from __future__ import annotations

import pytest

from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.findings import validate_findings
from softtissue.reasoning.knowledge import Knowledge


@pytest.mark.parametrize(
    "findings",
    [
        {},
        {"fever": False, "pain_nrs": 0, "onset": "sudden"},
        {"pain_nrs": 10, "age": 120.0, "weight_kg": -3},
    ],
)
def test_it_accepts_valid_findings(kb: Knowledge, findings: dict[str, object]) -> None:
    assert validate_findings(findings, kb) == findings


@pytest.mark.parametrize(
    ("findings", "message"),
    [
        ({"temperature": 38}, "<input>: temperature: unknown finding code"),
        ({"fever": "yes"}, "<input>: fever: expected true or false, got 'yes'"),
        ({"fever": 1}, "<input>: fever: expected true or false, got 1"),
        ({"onset": "slowly"}, "<input>: onset: expected one of sudden, gradual, after_trauma"),
        ({"onset": 3}, "<input>: onset: expected one of sudden"),
        ({"pain_nrs": 11}, "<input>: pain_nrs: expected a number from 0 to 10, got 11"),
        ({"pain_nrs": -1}, "<input>: pain_nrs: expected a number from 0 to 10, got -1"),
        ({"pain_nrs": True}, "<input>: pain_nrs: expected a number, got True"),
        ({"age": 0.5, "pain_nrs": "4"}, "<input>: pain_nrs: expected a number, got '4'"),
        ({"age": 121.5}, "<input>: age: expected a number from 0 to 120, got 121.5"),
        (
            {"age": 0.5, "days_since_injury": -1},
            "<input>: days_since_injury: expected a number of at least 0",
        ),
        (
            {"swelling_grade": 3.5},
            "<input>: swelling_grade: expected a number of at most 3, got 3.5",
        ),
    ],
)
def test_it_names_the_bad_key(kb: Knowledge, findings: dict[str, object], message: str) -> None:
    with pytest.raises(CaseError) as raised:
        validate_findings(findings, kb)
    assert str(raised.value).startswith(message)


def test_it_names_the_file_and_prefix(kb: Knowledge) -> None:
    with pytest.raises(CaseError) as raised:
        validate_findings({"fever": 2}, kb, file="case.json", prefix="findings.")
    assert (raised.value.file, raised.value.key) == ("case.json", "findings.fever")
