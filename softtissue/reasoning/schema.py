"""The knowledge schema as data: which keys each kind of entry has and what each holds."""

from __future__ import annotations

from dataclasses import dataclass

# A field spec is a type code (str), a nested mapping spec (dict) or a list of mappings ([dict]).
# Type codes: text, date, int, number, bool, prob (0-1), lr (> 0), sources, enum:a|b,
# ref:<prefix>|<prefix>, refs:<prefix>, list:text, map (any mapping), custom (checked in code).
# A trailing "?" on a key marks it optional; "|null" on a code allows null.
FieldSpec = str | dict[str, "FieldSpec"] | list[dict[str, "FieldSpec"]]

REVIEWED: dict[str, FieldSpec] = {"sources": "sources", "reviewed": "date"}
SCOPE_OUTCOMES = ("allow", "warn", "require_clearance", "block")


@dataclass(frozen=True, slots=True)
class KindSpec:
    """One kind of knowledge entry: where it lives, its id prefix and its keys."""

    name: str
    pattern: str
    prefix: str
    fields: dict[str, FieldSpec]
    id_key: str = "id"


MOVEMENT: dict[str, FieldSpec] = {
    "id": "text",
    "label": "text",
    "normal_degrees": "number",
    "source": "custom",
    "note?": "text",
}
REHAB_PHASE: dict[str, FieldSpec] = {
    "phase": "int",
    "name": "text",
    "goals?": "text",
    "exercises": [{"exercise": "ref:exercise", "dosage?": "text"}],
    "progress_when?": "list:text",
}

REGION: dict[str, FieldSpec] = {
    "id": "text",
    "label": "text",
    "body_chart": "list:text",
    "movements": [MOVEMENT],
}
CATEGORY: dict[str, FieldSpec] = {
    "id": "text",
    "label": "text",
    "description": "text",
    "rank": "int",
    "derived_when?": "custom",
}
EXPLANATION: dict[str, FieldSpec] = {"id": "text", "text": "text"}
MEDICATION: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "implies": "custom",
    "note?": "text",
}


def _with_review(fields: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
    return {**fields, **REVIEWED}


SOURCE: dict[str, FieldSpec] = {
    "key": "text",
    "citation": "text",
    "doi?": "text",
    "url?": "text",
    "evidence": "enum:V|S|K|PROJECT",
    "note?": "text",
}
FINDING: dict[str, FieldSpec] = {
    "code": "text",
    "type": "enum:boolean|number|choice",
    "label": "text",
    "question": "text",
    "kind": "enum:history|symptom|sign|test|demographic|medical_history",
    "regions?": "refs:region",
    "unit?": "text",
    "min?": "number",
    "max?": "number",
    "choices?": "list:text",
    "note?": "text",
    "sources?": "sources",
    "reviewed?": "date",
}
# A published cluster: its LR depends on how many of its yes/no findings are positive.
CLUSTER: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "findings": "list:text",
    "positives": [{"min": "int", "max": "int", "lr": "lr"}],
    "basis": "enum:published|calculated|expert_estimate",
    "sources": "sources",
    "note?": "text",
}
# Findings of a condition that measure the same thing: only the strongest LR applies.
DEPENDENT: dict[str, FieldSpec] = {"findings": "list:text", "why": "text", "sources?": "sources"}
CONDITION: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "region": "ref:region",
    "tissue": "enum:muscle|tendon|ligament|fascia|joint|nerve|bone_stress|bursa|mixed",
    "category": "ref:category",
    "prior": "custom",
    "prior_basis": "enum:published|expert_estimate",
    "snomed?": "text",
    "features": "custom",
    "clusters?": [CLUSTER],
    "dependent?": [DEPENDENT],
    "exclude_first?": "refs:red-flag|condition",
    "non_specific?": "bool",
    "management?": {"techniques": "refs:technique", "advice?": "text"},
    "rehab?": [REHAB_PHASE],
    "timeline?": {"min_weeks": "number", "max_weeks": "number", "note?": "text"},
    "leaflet?": {"title": "text", "summary": "text", "body": "text", "tags?": "list:text"},
    "note?": "text",
}
SPECIAL_TEST: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "region": "ref:region",
    "finding": "custom",
    "target": "text",
    "condition?": "ref:condition",
    "procedure": "text",
    "positive": "text",
    "sensitivity": "prob|null",
    "specificity": "prob|null",
    "lr_positive": "lr|null",
    "lr_negative": "lr|null",
    "lr_basis": "enum:published|calculated|not_computable",
    "note?": "text",
}
EXERCISE: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "region": "ref:region",
    "purpose": "enum:mobility|stretch|strength|motor_control|plyometric",
    "dosage": "map",
    "instructions": "text",
    "progressions": "refs:exercise",
    "regressions": "refs:exercise",
    "equipment": "list:text",
    "note?": "text",
}
RED_FLAG: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "urgency": "enum:refer_emergency|refer_urgent|refer_soon|refer_routine",
    "when": "custom",
    "message": "text",
    "referral": "text",
    "regions?": "refs:region",
    "note?": "text",
}
URGENCY: dict[str, FieldSpec] = {
    "band": "enum:refer_emergency|refer_urgent|refer_soon|refer_routine",
    "label": "text",
    "how_soon": "text",
    "where": "text",
    "stops_treatment": "bool",
    "says": "list:text",
    "never_says": "list:text",
}
SAFETY_NET: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "regions?": "refs:region",
    "tell": "text",
    "seek_help": [
        {"band": "enum:refer_emergency|refer_urgent|refer_soon|refer_routine", "signs": "list:text"}
    ],
    "review": "text",
}
CONTRAINDICATION: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "tier": "enum:absolute|local|caution",
    "when": "custom",
    "outcome": "enum:block|avoid_region|require_clearance|warn",
    "limits": {"techniques?": "custom", "regions?": "custom"},
    "action": "text",
    "choice?": "text",
    "note?": "text",
}
TECHNIQUE: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "description": "text",
    "depth": "enum:light|moderate|deep",
    "kind": "enum:manual|stretch|adjunct|exercise|needling|joint|electro|advice",
    "note?": "text",
}
QUALIFICATION: dict[str, FieldSpec] = {
    "id": "text",
    "kind": "enum:qualification",
    "label": "text",
    "level": "int|null",
    "title": "text",
    "may_diagnose": "bool",
    "inherits": "ref:qualification|null",
    "assessment": "custom",
    "techniques": "custom",
    "conditions": "custom",
    "refer_to": "text",
    "note?": "text",
}
CPD: dict[str, FieldSpec] = {
    "id": "text",
    "kind": "enum:cpd",
    "label": "text",
    "grants": "refs:technique",
    "note?": "text",
}
INSURER: dict[str, FieldSpec] = {
    "id": "text",
    "name": "text",
    "covers": "refs:technique",
    "excludes_categories": "refs:category",
    "note?": "text",
}
CASE: dict[str, FieldSpec] = {
    "id": "text",
    "description": "text",
    "region?": "custom",
    "findings": "custom",
    "client?": "custom",
    "therapist?": "custom",
    "plan?": "custom",
    "pretest?": "custom",
    "pretest_source?": "text",
    "expect?": "custom",
    "note?": "text",
}

KINDS: tuple[KindSpec, ...] = (
    KindSpec("source", "sources/*.yaml", "", SOURCE, id_key="key"),
    KindSpec("finding", "findings/*.yaml", "", FINDING, id_key="code"),
    KindSpec("region", "regions.yaml", "region.", _with_review(REGION)),
    KindSpec("category", "categories.yaml", "category.", _with_review(CATEGORY)),
    KindSpec("explanation", "explanations.yaml", "explanation.", _with_review(EXPLANATION)),
    KindSpec("condition", "conditions/*.yaml", "condition.", _with_review(CONDITION)),
    KindSpec("special-test", "special_tests/*.yaml", "special-test.", _with_review(SPECIAL_TEST)),
    KindSpec("exercise", "exercises/*.yaml", "exercise.", _with_review(EXERCISE)),
    KindSpec("urgency", "urgencies.yaml", "", _with_review(URGENCY), id_key="band"),
    KindSpec("safety-net", "safety_nets.yaml", "safety-net.", _with_review(SAFETY_NET)),
    KindSpec("red-flag", "red_flags/*.yaml", "red-flag.", _with_review(RED_FLAG)),
    KindSpec(
        "contraindication",
        "contraindications.yaml",
        "contraindication.",
        _with_review(CONTRAINDICATION),
    ),
    KindSpec("medication", "medications.yaml", "medication.", _with_review(MEDICATION)),
    KindSpec("technique", "techniques.yaml", "technique.", _with_review(TECHNIQUE)),
    KindSpec("qualification", "qualifications.yaml", "qualification.", _with_review(QUALIFICATION)),
    KindSpec("cpd", "qualifications.yaml", "cpd.", _with_review(CPD)),
    KindSpec("insurer", "insurers.yaml", "insurer.", _with_review(INSURER)),
    KindSpec("case", "cases/*.yaml", "case.", _with_review(CASE)),
)

FEATURE_LEAF_KEYS = frozenset({"lr_positive", "lr_negative", "basis", "sources", "note"})
FEATURE_TEST_KEYS = frozenset({"test", "note"})
