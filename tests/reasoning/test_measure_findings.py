"""Measure results as findings: a case file may record a STarT Back risk group."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from softtissue.reasoning import default_knowledge, evaluate, evaluation_json, load_case
from softtissue.reasoning.errors import CaseError

CASE = "findings: {{start_back_risk: {risk}, low_back_pain: true, pain_nrs: 5}}\nregion: {region}\n"


@pytest.mark.parametrize("risk", ["low", "medium", "high"])
def test_it_reads_the_risk_group_from_a_case_file(tmp_path: Path, risk: str) -> None:
    path = tmp_path / "back.yaml"
    path.write_text(CASE.format(risk=risk, region="lumbar-pelvis"), encoding="utf-8")
    kb = default_knowledge()
    case = load_case(path, kb)
    assert case.findings["start_back_risk"] == risk
    assert case.region == "region.lumbar-pelvis"
    result = evaluation_json(evaluate(case, kb))
    assert result["differential_summary"]["label"]


def test_it_reasons_about_start_back_high_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "back.yaml"
    path.write_text(CASE.format(risk="high", region="lumbar-pelvis"), encoding="utf-8")
    out = StringIO()
    call_command("reason", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) >= {"triage", "contraindications", "differential", "scope"}


@pytest.mark.parametrize("risk", ["very_high", "true", "3"])
def test_it_refuses_a_risk_group_the_tool_does_not_have(tmp_path: Path, risk: str) -> None:
    path = tmp_path / "back.yaml"
    path.write_text(CASE.format(risk=risk, region="lumbar-pelvis"), encoding="utf-8")
    with pytest.raises(CaseError) as error:
        load_case(path, default_knowledge())
    assert error.value.key == "findings.start_back_risk"
    assert error.value.problem.startswith("expected one of low, medium, high")
