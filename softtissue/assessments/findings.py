"""The assessment's findings mapping for the core, built from plain data (no Django, no clock)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from softtissue.reasoning import ClientFacts, Knowledge, client_findings
from softtissue.reasoning.findings import Value, value_problem

# Body-chart symptoms that are findings in their own right.
MARK_FINDINGS = {"pins_and_needles": "pins_and_needles", "numbness": "numbness"}
PAIN_SYMPTOMS = ("pain", "ache")
TEST_VALUES = {"positive": True, "negative": False}
# The band labels of measure.start_back, as the core names them, to start_back_risk's choices.
START_BACK_RISK = {"low risk": "low", "medium risk": "medium", "high risk": "high"}


@dataclass(frozen=True, slots=True)
class MarkFacts:
    """The part of a body-chart mark the core reasons over."""

    symptom: str
    intensity: int


@dataclass(frozen=True, slots=True)
class FindingInputs:
    """Everything recorded about a client and an assessment that can become a finding."""

    onset: str = ""
    symptom_duration_weeks: int | None = None
    previous_episodes: bool | None = None
    answers: Mapping[str, object] = field(default_factory=dict)
    tests: Mapping[str, str] = field(default_factory=dict)
    marks: tuple[MarkFacts, ...] = ()
    rom_deficit: bool = False
    age: int | None = None
    sex: str = ""
    history_codes: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    start_back_band: str = ""  # the band of the episode's latest scored STarT Back, if any


def build_findings(inputs: FindingInputs, kb: Knowledge) -> dict[str, Value]:
    """The {finding_code: value} mapping, explicit answers winning over what is inferred."""
    # Weakest first: the client record, then what the body chart, range of motion and the
    # measures imply, then what the therapist recorded in so many words (answers, history, tests).
    conditions = tuple(code for code in inputs.history_codes if code in kb.findings)
    medications = tuple(m for m in inputs.medications if m in kb.medications)
    facts = ClientFacts(age=inputs.age, conditions=conditions, medications=medications)
    findings: dict[str, Value] = client_findings(facts, kb)
    if inputs.sex in ("female", "male"):
        findings["sex"] = inputs.sex
    findings.update(_from_marks(inputs.marks))
    if inputs.rom_deficit:
        findings["reduced_rom"] = True
    if inputs.start_back_band in START_BACK_RISK:
        findings["start_back_risk"] = START_BACK_RISK[inputs.start_back_band]
    for code, value in inputs.answers.items():
        finding = kb.findings.get(code)
        if finding is not None and value_problem(finding, value) is None:
            assert isinstance(value, bool | int | float | str)
            findings[code] = value
    if inputs.onset:
        findings["onset"] = inputs.onset
    if inputs.symptom_duration_weeks is not None:
        findings["symptom_duration_weeks"] = inputs.symptom_duration_weeks
    if inputs.previous_episodes is not None:
        findings["previous_episodes"] = inputs.previous_episodes
    for test_id, result in inputs.tests.items():
        test = kb.special_tests.get(test_id)
        if test is not None and result in TEST_VALUES:
            findings[str(test["finding"])] = TEST_VALUES[result]
    return findings


def _from_marks(marks: tuple[MarkFacts, ...]) -> dict[str, Value]:
    found: dict[str, Value] = {}
    for mark in marks:
        if mark.symptom in MARK_FINDINGS:
            found[MARK_FINDINGS[mark.symptom]] = True
    pain = [m.intensity for m in marks if m.symptom in PAIN_SYMPTOMS]
    if pain:
        found["pain_nrs"] = max(pain)
    return found
