"""`softtissue reason CASE_FILE --json`: the output contract and one-line errors for bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command


def reason(path: Path) -> dict[str, object]:
    out = StringIO()
    call_command("reason", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert isinstance(result, dict)
    return result


def run_cli(path: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOFTTISSUE_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "softtissue", "reason", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_it_stops_for_saddle_anaesthesia_whatever_the_level(tmp_path: Path) -> None:
    case = tmp_path / "ces.yaml"
    case.write_text(
        "findings: {saddle_anaesthesia: true, pain_nrs: 6}\n"
        "region: lumbar-pelvis\n"
        "therapist: {qualifications: [physiotherapist]}\n"
        "plan: {condition_category: minor-soft-tissue-post-acute, techniques: [effleurage]}\n"
    )
    result = reason(case)
    triage = result["triage"]
    assert isinstance(triage, dict)
    assert triage["urgency"] == "refer_emergency"
    assert "red-flag.cauda-equina" in [flag["id"] for flag in triage["flags"]]
    scope = result["scope"]
    assert isinstance(scope, dict)
    assert scope["outcome"] == "refer_emergency"
    assert scope["overridable"] is False


def test_it_answers_none_when_nothing_fires(tmp_path: Path) -> None:
    case = tmp_path / "quiet.json"
    case.write_text(json.dumps({"findings": {"pain_nrs": 3}}))
    result = reason(case)
    assert result["triage"] == {"urgency": "none", "flags": []}
    assert result["scope"] is None
    assert set(result) >= {"triage", "contraindications", "differential", "scope"}


def test_it_blocks_a_level_3_therapist_from_a_fresh_hamstring_strain(tmp_path: Path) -> None:
    case = tmp_path / "hamstring.yaml"
    case.write_text(
        "findings: {diagnosed_by_clinician: true, days_since_injury: 7}\n"
        "region: leg\n"
        "therapist: {qualifications: [smt-l3]}\n"
        "plan: {condition: hamstring-strain, techniques: [soft-tissue-release]}\n"
    )
    scope = reason(case)["scope"]
    assert isinstance(scope, dict)
    assert scope["outcome"] == "block"
    assert scope["referral"]


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        ("findings: {no_such_finding: true}\n", ".yaml", "findings.no_such_finding"),
        ("findings: {pain_nrs: 14}\n", ".yaml", "findings.pain_nrs"),
        ("findings: [unclosed\n", ".yaml", "yaml"),
        ('{"findings": {"pain_nrs": 3}', ".json", "json"),
    ],
)
def test_it_refuses_a_bad_case_file_in_one_line(
    tmp_path: Path, content: str, suffix: str, expected: str
) -> None:
    case = tmp_path / f"bad{suffix}"
    case.write_text(content)
    result = run_cli(case, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(case) in lines[0]
    assert expected in lines[0].lower()
