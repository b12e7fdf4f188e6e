"""Every problem the knowledge check reports, each named by file and id."""

from __future__ import annotations

from pathlib import Path

import pytest

from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.knowledge import build_knowledge, load_knowledge
from softtissue.reasoning.summary import check_knowledge
from tests.reasoning.conftest import FIXTURE_KB, mutated_kb

# (file, old text, new text, expected problem); an empty old text appends the new one.
PROBLEMS = [
    (
        "cases/broken.yaml",
        "",
        "- id: case.x\n- {id: [unclosed\n",
        "cases/broken.yaml: malformed YAML at line 3",
    ),
    (
        "techniques.yaml",
        "",
        "- {id: technique.x, name: \x07}\n",
        "techniques.yaml: malformed YAML: ",
    ),
    ("cases/other.yaml", "", "key: value\n", "cases/other.yaml: expected a list of entries"),
    ("medications.yaml", "", "- just text\n", "medications.yaml: entry 2 is not a mapping"),
    ("medications.yaml", "", "- {name: No id}\n", "medications.yaml: entry without a id"),
    (
        "medications.yaml",
        "medication.warfarin",
        "drug.warfarin",
        "drug.warfarin: id must be dotted kebab-case starting medication.",
    ),
    (
        "medications.yaml",
        "medication.warfarin",
        "medication.Warfarin",
        "id must be dotted kebab-case",
    ),
    ("findings/general.yaml", "code: fever", "code: Fever", "Fever: finding codes are snake_case"),
    (
        "techniques.yaml",
        "",
        "- {id: technique.cupping, name: C, description: D, depth: light, kind: manual,"
        " sources: [src-a], reviewed: 2026-11-27}\n",
        "technique.cupping: duplicate id, also defined in techniques.yaml",
    ),
    (
        "sources/base.yaml",
        "",
        "- {key: src-a, citation: Again., evidence: V}\n",
        "sources/base.yaml: src-a: duplicate id",
    ),
    (
        "sources/extra.yaml",
        "",
        "- {key: src-a, citation: Again., evidence: V}\n",
        "sources/extra.yaml: src-a: duplicate id, also defined in sources/base.yaml",
    ),
    (
        "techniques.yaml",
        "depth: light, kind: adjunct",
        "depth: light, kind: adjunct, colour: red",
        "technique.taping-kinesiology: unknown key colour",
    ),
    ("techniques.yaml", "name: Cupping, ", "", "technique.cupping: missing key name"),
    (
        "regions.yaml",
        "  movements: []",
        "  movements: {}",
        "movements: expected a list",
    ),
    (
        "regions.yaml",
        "{id: elbow-flexion, label: Elbow flexion, normal_degrees: 150, source: src-a}",
        "flexion",
        "movements[0]: expected a mapping",
    ),
    (
        "regions.yaml",
        "normal_degrees: 150",
        "normal_degrees: lots",
        "movements[0].normal_degrees: expected a number",
    ),
    (
        "regions.yaml",
        "source: src-a}",
        "source: src-zzz}",
        "movements[0].source: unknown source 'src-zzz'",
    ),
    (
        "regions.yaml",
        "  body_chart: [knee]",
        "  body_chart: knee",
        "body_chart: expected a list of text",
    ),
    ("techniques.yaml", "name: Cupping", "name: ''", "name: expected text"),
    (
        "techniques.yaml",
        "depth: moderate",
        "depth: very",
        "depth: expected one of light, moderate, deep",
    ),
    (
        "techniques.yaml",
        "kind: adjunct, sources: [src-a], reviewed: 2026-11-27}\n- {id: technique.cupping",
        "kind: adjunct, sources: [src-a], reviewed: 27/11/2026}\n- {id: technique.cupping",
        "reviewed: expected an ISO date",
    ),
    (
        "techniques.yaml",
        "name: Cupping, description: Cups., depth: moderate, kind: adjunct, sources: [src-a]",
        "name: Cupping, description: Cups., depth: moderate, kind: adjunct, sources: []",
        "sources: expected a non-empty list of source keys",
    ),
    (
        "techniques.yaml",
        "name: Cupping, description: Cups., depth: moderate, kind: adjunct, sources: [src-a]",
        "name: Cupping, description: Cups., depth: moderate, kind: adjunct, sources: [nobody-2020]",
        "technique.cupping: sources: unknown source 'nobody-2020'",
    ),
    ("qualifications.yaml", "  level: 3", "  level: three", "level: expected an integer"),
    (
        "qualifications.yaml",
        "  may_diagnose: false\n  inherits: null",
        "  may_diagnose: no way\n  inherits: null",
        "may_diagnose: expected true or false",
    ),
    (
        "qualifications.yaml",
        "inherits: qualification.smt-l3",
        "inherits: qualification.smt-l9",
        "inherits: unknown qualification id 'qualification.smt-l9'",
    ),
    (
        "qualifications.yaml",
        "  grants: [technique.taping-kinesiology]",
        "  grants: technique.taping-kinesiology",
        "cpd.taping: grants: expected a list of ids",
    ),
    (
        "qualifications.yaml",
        "  grants: [technique.taping-kinesiology]",
        "  grants: [region.elbow]",
        "grants: unknown technique id 'region.elbow'",
    ),
    (
        "qualifications.yaml",
        "  grants: [technique.taping-kinesiology]",
        "  grants: [7]",
        "grants: unknown technique id 7",
    ),
    (
        "qualifications.yaml",
        "  assessment: {orthopaedic_special_tests: warn, working_impression: block}",
        "  assessment: []",
        "qualification.smt-l3: assessment: expected a mapping",
    ),
    (
        "qualifications.yaml",
        "  assessment: {orthopaedic_special_tests: warn, working_impression: block}",
        "  assessment: {orthopaedic_special_tests: maybe}",
        "assessment.orthopaedic_special_tests: expected one of allow, warn, block",
    ),
    (
        "qualifications.yaml",
        "technique.cupping: cpd",
        "technique.cupping: sometimes",
        "techniques.technique.cupping: expected one of allow, warn, cpd, block",
    ),
    (
        "qualifications.yaml",
        "category.maintenance: allow",
        "category.massage: allow",
        "conditions: unknown category id 'category.massage'",
    ),
    (
        "qualifications.yaml",
        "  inherits: null",
        "  inherits: qualification.smt-l4",
        "qualification.smt-l3: inherits: qualification.smt-l4 inherits back from it",
    ),
    (
        "special_tests/elbow.yaml",
        "  sensitivity: 0.84",
        "  sensitivity: 84",
        "sensitivity: expected a proportion from 0 to 1",
    ),
    (
        "special_tests/elbow.yaml",
        "  lr_positive: 4.2",
        "  lr_positive: 0",
        "lr_positive: expected a likelihood ratio above 0",
    ),
    (
        "special_tests/elbow.yaml",
        "  finding: test_cozen",
        "  finding: age",
        "special-test.cozen: finding: 'age' is not a boolean finding",
    ),
    (
        "exercises/elbow.yaml",
        "  dosage: {sets: 3, reps: 15}",
        "  dosage: three sets",
        "dosage: expected a mapping",
    ),
    (
        "medications.yaml",
        "implies: [anticoagulant_medication]",
        "implies: [age]",
        "medication.warfarin: implies: expected a list of boolean findings",
    ),
    (
        "medications.yaml",
        "implies: [anticoagulant_medication]",
        "implies: anticoagulant_medication",
        "implies: expected a list of boolean findings",
    ),
    (
        "findings/general.yaml",
        "choices: [sudden, gradual, after_trauma], ",
        "",
        "onset: choices are required for, and only for, type choice",
    ),
    (
        "findings/general.yaml",
        "type: boolean, label: Fever",
        "type: boolean, choices: [a], label: Fever",
        "fever: choices are required for, and only for",
    ),
    (
        "findings/general.yaml",
        "type: boolean, label: Fever",
        "type: boolean, unit: degrees, label: Fever",
        "fever: min, max and unit are only for type number",
    ),
    ("findings/general.yaml", "min: 0, max: 10", "min: 10, max: 0", "pain_nrs: min is above max"),
    (
        "findings/general.yaml",
        "kind: symptom, regions: [region.elbow]",
        "kind: symptom, regions: [region.toe]",
        "night_pain: regions: unknown region id 'region.toe'",
    ),
    (
        "contraindications.yaml",
        "  outcome: avoid_region",
        "  outcome: block",
        "contraindication.open-wound: outcome: a local contraindication has outcome avoid_region",
    ),
    (
        "contraindications.yaml",
        "  limits: {regions: affected}",
        "  limits: affected",
        "limits: expected a mapping",
    ),
    (
        "contraindications.yaml",
        "  limits: {regions: affected}",
        "  limits: {regions: somewhere}",
        "limits.regions: expected all or affected or a list",
    ),
    (
        "contraindications.yaml",
        "  limits: {regions: affected}",
        "  limits: {techniques: [technique.massage]}",
        "limits.techniques: unknown technique id 'technique.massage'",
    ),
    (
        "red_flags/core.yaml",
        "  urgency: refer_urgent",
        "  urgency: soon",
        "red-flag.infection: urgency: expected one of",
    ),
    (
        "red_flags/core.yaml",
        "  when:\n    at_least:",
        "  whence:\n    at_least:",
        "red-flag.infection: missing key when",
    ),
    (
        "red_flags/core.yaml",
        "      - {finding: saddle_anaesthesia, is: true}",
        "      - {finding: saddle_numbness, is: true}",
        "red-flag.cauda-equina: when.any_of[0]: unknown finding 'saddle_numbness'",
    ),
    (
        "red_flags/core.yaml",
        "    any_of:",
        "    one_of:",
        "red-flag.cauda-equina: when: unknown operator one_of",
    ),
    (
        "contraindications.yaml",
        "  when: {finding: fever, is: true}",
        "  when: {}",
        "unknown operator (none)",
    ),
    (
        "red_flags/core.yaml",
        "    any_of:",
        "    all_of: []\n    any_of:",
        "when: unknown operator all_of, any_of",
    ),
    (
        "red_flags/core.yaml",
        "      - not: {finding: diagnosed_by_clinician, is: true}",
        "      - not: [diagnosed_by_clinician]",
        "when.all_of[1].not: expected a mapping",
    ),
    ("red_flags/core.yaml", "      count: 2\n", "", "when.at_least: expected keys count and of"),
    (
        "red_flags/core.yaml",
        "      count: 2\n",
        "      count: 0\n",
        "when.at_least.count: expected a whole number of at least 1",
    ),
    (
        "red_flags/core.yaml",
        "all_of: [{finding: weakness, is: true}, {finding: pain_nrs, min: 8}]",
        "all_of: []",
        "when.any_of[1].all_of: expected a non-empty list",
    ),
    (
        "red_flags/core.yaml",
        "{finding: weakness, is: true}",
        "{finding: weakness, equals: true}",
        "when.any_of[1].all_of[0]: unknown operator equals",
    ),
    (
        "red_flags/core.yaml",
        "{finding: weakness, is: true}",
        "{finding: weakness}",
        "expected exactly one of is, min, max, in",
    ),
    (
        "red_flags/core.yaml",
        "{finding: weakness, is: true}",
        "{finding: weakness, is: yes please}",
        "weakness is: expected true or false",
    ),
    (
        "red_flags/core.yaml",
        "{finding: pain_nrs, min: 8}",
        "{finding: pain_nrs, is: 8}",
        "pain_nrs is: is needs a boolean or choice finding",
    ),
    (
        "red_flags/core.yaml",
        "{finding: pain_nrs, min: 8}",
        "{finding: pain_nrs, min: 80}",
        "pain_nrs min: expected a number from 0 to 10",
    ),
    (
        "red_flags/core.yaml",
        "{finding: pain_nrs, min: 8}",
        "{finding: weakness, max: 1}",
        "weakness max: max needs a number finding",
    ),
    (
        "red_flags/core.yaml",
        "{finding: pain_nrs, min: 8}",
        "{finding: weakness, in: [true]}",
        "weakness in: in is only for choice findings",
    ),
    (
        "red_flags/core.yaml",
        "{finding: onset, is: gradual}",
        "{finding: onset, in: gradual}",
        "onset in: expected a non-empty list of choices",
    ),
    (
        "red_flags/core.yaml",
        "{finding: onset, is: gradual}",
        "{finding: onset, in: [gradual, slowly]}",
        "onset in: unknown choices ['slowly']",
    ),
    (
        "red_flags/core.yaml",
        "{finding: onset, is: gradual}",
        "{finding: onset, is: slowly}",
        "onset is: expected one of sudden, gradual, after_trauma",
    ),
    (
        "conditions/elbow.yaml",
        "  prior: 0.1",
        "  prior: 1",
        "condition.medial-elbow-tendinopathy: prior: expected a probability between 0 and 1",
    ),
    (
        "conditions/elbow.yaml",
        "  prior: 0.1",
        "  prior: true",
        "prior: expected a probability between 0 and 1, got True",
    ),
    (
        "conditions/elbow.yaml",
        "  tissue: tendon\n  category: category.chronic-complex-msk\n  prior: 0.1",
        "  tissue: tendon\n  category: category.chronic\n  prior: 0.1",
        "category: unknown category id 'category.chronic'",
    ),
    (
        "conditions/elbow.yaml",
        "  exclude_first: [red-flag.cauda-equina,",
        "  exclude_first: [technique.cupping,",
        "exclude_first: unknown red-flag or condition id 'technique.cupping'",
    ),
    (
        "conditions/elbow.yaml",
        "    - {test: special-test.other}",
        "    - {test: special-test.cozen}",
        "condition.medial-elbow-tendinopathy: features[2].test: special-test.cozen informs"
        " condition.lateral-elbow-tendinopathy, not this condition",
    ),
    (
        "conditions/elbow.yaml",
        "    - {test: special-test.other}",
        "    - {test: special-test.missing}",
        "features[2].test: unknown special test 'special-test.missing'",
    ),
    (
        "conditions/elbow.yaml",
        "    - {test: special-test.other}",
        "    - {test: special-test.other, lr_positive: 2}",
        "features[2]: unknown key lr_positive beside test",
    ),
    (
        "conditions/elbow.yaml",
        "    - {test: special-test.other}",
        "    - {lr_positive: 2}",
        "features[2]: expected a finding with its likelihood ratios, or a test",
    ),
    (
        "conditions/elbow.yaml",
        "    - {test: special-test.other}",
        "    - {finding: nothing, is: true, lr_positive: 2, basis: published, sources: [src-a]}",
        "features[2]: unknown finding 'nothing'",
    ),
    (
        "conditions/elbow.yaml",
        "min: 5, lr_positive: 1.5",
        "min: 5, lr_positive: 0",
        "features[1].lr_positive: expected a likelihood ratio above 0, got 0",
    ),
    (
        "conditions/elbow.yaml",
        "min: 5, lr_positive: 1.5",
        "min: 5",
        "features[1].lr_positive: expected a likelihood ratio above 0, got None",
    ),
    (
        "conditions/elbow.yaml",
        "min: 5, lr_positive: 1.5",
        "min: 5, lr_positive: 1.5, lr_negative: nil",
        "features[1].lr_negative: expected a likelihood ratio above 0",
    ),
    (
        "conditions/elbow.yaml",
        "lr_positive: 1.5, basis: calculated",
        "lr_positive: 1.5, basis: guess",
        "features[1].basis: expected published, calculated or expert_estimate",
    ),
    (
        "conditions/elbow.yaml",
        "basis: calculated, sources: [src-a]",
        "basis: calculated",
        "features[1].sources: expected a non-empty list of source keys",
    ),
    (
        "conditions/elbow.yaml",
        "basis: calculated, sources: [src-a]",
        "basis: calculated, sources: [nobody]",
        "features[1].sources: unknown source 'nobody'",
    ),
    (
        "conditions/elbow.yaml",
        "  features:\n    - {finding: onset",
        "  features: {}\n  notes:\n    - {finding: onset",
        "features: expected a list",
    ),
    (
        "conditions/elbow.yaml",
        "        - {exercise: exercise.eccentric-wrist-extension}",
        "        - {exercise: exercise.curl}",
        "rehab[0].exercises[1].exercise: unknown exercise id 'exercise.curl'",
    ),
    (
        "cases/elbow.yaml",
        "  findings: {saddle_anaesthesia: true}",
        "  findings: {saddle_anaesthesia: maybe}",
        "case.saddle: findings.saddle_anaesthesia: expected true or false",
    ),
    (
        "cases/elbow.yaml",
        "  findings: {saddle_anaesthesia: true}",
        "  finding: {saddle_anaesthesia: true}",
        "case.saddle: unknown key finding",
    ),
    # Values of the wrong shape are reported, never crash the check.
    ("contraindications.yaml", "  tier: absolute", "  tier: [absolute]", "tier: expected one of"),
    (
        "regions.yaml",
        "  movements: []",
        "  movements: 5",
        "movements: expected a list",
    ),
    (
        "qualifications.yaml",
        "  inherits: null",
        "  inherits: [x]",
        "inherits: unknown",
    ),
    (
        "findings/general.yaml",
        "[sudden, gradual, after_trauma]",
        "[1, 2]",
        "choices: expected",
    ),
    ("findings/general.yaml", "regions: [region.elbow]", "regions: [1]", "unknown region id 1"),
    (
        "findings/general.yaml",
        "min: 0, max: 10",
        "min: low, max: 10",
        "min: expected a number",
    ),
    (
        "medications.yaml",
        "implies: [anticoagulant_medication]",
        "implies: [[a]]",
        "implies:",
    ),
    (
        "special_tests/elbow.yaml",
        "  sources: [src-a]",
        "  sources: 5",
        "sources: expected",
    ),
    (
        "conditions/elbow.yaml",
        "basis: calculated, sources: [src-a]",
        "basis: calculated, sources: 5",
        "features[1].sources: expected a non-empty list of source keys",
    ),
    (
        "cases/elbow.yaml",
        "qualifications: [smt-l4]",
        "qualifications: [null]",
        "therapist.qualifications: expected a list of qualification ids",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), PROBLEMS)
def test_it_reports_the_problem(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    problems = [str(p) for p in check_knowledge(mutated_kb(tmp_path, file, old, new))]
    assert any(expected in p for p in problems), problems


def test_it_finds_no_problem_in_the_fixture() -> None:
    assert check_knowledge(FIXTURE_KB) == []


def test_it_raises_the_first_problem_on_load(tmp_path: Path) -> None:
    directory = mutated_kb(tmp_path, "techniques.yaml", "depth: moderate", "depth: very")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)
    assert raised.value.file == "techniques.yaml"
    assert raised.value.entry_id == "technique.cupping"


def test_it_reports_unmet_vignette_expectations(tmp_path: Path) -> None:
    directory = mutated_kb(
        tmp_path, "cases/elbow.yaml", "triage: refer_emergency", "triage: refer_routine"
    )
    problems = [str(p) for p in check_knowledge(directory)]
    assert problems == [
        "cases/elbow.yaml: case.saddle: triage: expected refer_routine, got refer_emergency"
    ]


def test_it_treats_an_empty_file_as_no_entries(tmp_path: Path) -> None:
    directory = mutated_kb(tmp_path, "exercises/empty.yaml", "", "# nothing yet\n")
    kb, problems = build_knowledge(directory)
    assert problems == []
    assert len(kb.exercises) == 2
