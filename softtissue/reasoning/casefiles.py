"""Case files (a client's findings, facts and plan, JSON or YAML) read into checked Case objects."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from softtissue.reasoning.errors import CaseError
from softtissue.reasoning.facts import ClientFacts, PlanRequest, TherapistFacts
from softtissue.reasoning.findings import Value, validate_findings
from softtissue.reasoning.loading import parse_yaml
from softtissue.reasoning.scope import OUTCOME_ORDER
from softtissue.reasoning.triage import URGENCY_ORDER

if TYPE_CHECKING:
    from softtissue.reasoning.knowledge import Knowledge

_TOP_KEYS = ("findings", "region", "client", "therapist", "plan", "pretest", "pretest_source")
_VIGNETTE_KEYS = ("id", "description", "expect", "sources", "reviewed", "note")
_SECTIONS = {
    "client": ("conditions", "medications", "pregnant", "age"),
    "therapist": ("qualifications", "cpd", "insurance", "insurance_expired"),
    "plan": ("condition", "condition_category", "techniques", "regions"),
    "expect": ("triage", "flags", "not_flags", "top3", "contraindications", "scope"),
}


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a vignette expects the core to answer."""

    triage: str | None = None
    flags: tuple[str, ...] = ()
    not_flags: tuple[str, ...] = ()
    top3: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()
    scope: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """A checked case: findings plus optional region, client, therapist, plan and expectations."""

    file: str
    findings: Mapping[str, Value]
    id: str | None = None
    description: str | None = None
    region: str | None = None
    client: ClientFacts | None = None
    therapist: TherapistFacts | None = None
    plan: PlanRequest | None = None
    expect: Expectation | None = None
    pretest: Mapping[str, float] = field(default_factory=dict)
    pretest_source: str | None = None


def load_case(path: Path, kb: Knowledge | None = None) -> Case:
    """Read a .json, .yaml or .yml case file; CaseError names the file, key and expectation."""
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise CaseError(file, None, "expected a .json, .yaml or .yml file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CaseError(file, None, f"cannot read the file: {error.strerror}") from error
    data = _parse_text(text, file, suffix)
    if kb is None:
        # Imported here because knowledge.py imports this module to read its vignettes.
        from softtissue.reasoning.knowledge import default_knowledge

        kb = default_knowledge()
    return parse_case(data, kb, file)


def _parse_text(text: str, file: str, suffix: str) -> object:
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CaseError(
                file, None, f"malformed JSON at line {error.lineno}: {error.msg}"
            ) from error
    try:
        return parse_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise CaseError(file, None, f"malformed YAML{line}") from error


def parse_case(data: object, kb: Knowledge, file: str, vignette: bool = False) -> Case:
    """Check a decoded case mapping against the knowledge base and build a Case."""
    if not isinstance(data, Mapping):
        raise CaseError(file, None, "expected a mapping with findings at the top level")
    allowed = _TOP_KEYS + _VIGNETTE_KEYS
    for key in data:
        # Vignettes' top-level keys were already checked against the schema with the knowledge.
        if key not in allowed and not vignette:
            raise CaseError(file, str(key), f"unknown key; expected one of {', '.join(allowed)}")
    if not isinstance(data.get("findings"), Mapping):
        raise CaseError(file, "findings", "expected a mapping of finding codes to values")
    sections = {name: _section(data, name, file) for name in _SECTIONS}
    region = _ident(data.get("region"), "region", kb.regions, file, "region")
    return Case(
        file=file,
        findings=validate_findings(data["findings"], kb, file, prefix="findings."),
        id=_text(data.get("id"), file, "id"),
        description=_text(data.get("description"), file, "description"),
        region=region,
        client=None if sections["client"] is None else _client(sections["client"], kb, file),
        therapist=None
        if sections["therapist"] is None
        else _therapist(sections["therapist"], kb, file),
        plan=None if sections["plan"] is None else _plan(sections["plan"], kb, file),
        expect=None if sections["expect"] is None else _expect(sections["expect"], kb, file),
        pretest=_pretest(data.get("pretest"), region, kb, file),
        pretest_source=_text(data.get("pretest_source"), file, "pretest_source"),
    )


def _pretest(value: object, region: str | None, kb: Knowledge, file: str) -> dict[str, float]:
    """The case's own pretest probabilities, which replace the knowledge's priors."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CaseError(file, "pretest", "expected a mapping of condition ids to probabilities")
    pretest: dict[str, float] = {}
    for key, probability in value.items():
        path = f"pretest.{key}"
        condition = str(_ident(key, "condition", kb.conditions, file, path))
        if region is not None and kb.conditions[condition].get("region") != region:
            raise CaseError(file, path, f"{condition} is not a condition of {region}")
        if not (
            isinstance(probability, int | float)
            and not isinstance(probability, bool)
            and 0 < probability < 1
        ):
            raise CaseError(
                file, path, f"expected a probability above 0 and below 1, got {probability!r}"
            )
        pretest[condition] = float(probability)
    return pretest


def _section(data: Mapping[str, object], name: str, file: str) -> Mapping[str, object] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise CaseError(file, name, "expected a mapping")
    for key in value:
        if key not in _SECTIONS[name]:
            expected = ", ".join(_SECTIONS[name])
            raise CaseError(file, f"{name}.{key}", f"unknown key; expected one of {expected}")
    return value


def _text(value: object, file: str, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise CaseError(file, key, "expected text")


def _ident(
    value: object, prefix: str, known: Mapping[str, object], file: str, key: str
) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CaseError(file, key, f"expected a {prefix} id")
    full = value if value.startswith(f"{prefix}.") else f"{prefix}.{value}"
    if full not in known:
        raise CaseError(file, key, f"unknown {prefix} id {value!r}")
    return full


def _idents(
    value: object, prefix: str, known: Mapping[str, object], file: str, key: str
) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CaseError(file, key, f"expected a list of {prefix} ids")
    return tuple(
        str(_ident(item, prefix, known, file, f"{key}[{i}]")) for i, item in enumerate(value)
    )


def _flag(value: object, file: str, key: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise CaseError(file, key, "expected true or false")


def _client(section: Mapping[str, object], kb: Knowledge, file: str) -> ClientFacts:
    age = section.get("age")
    if age is not None:
        validate_findings({"age": age}, kb, file, prefix="client.")
        if not isinstance(age, int):
            raise CaseError(file, "client.age", f"expected a whole number of years, got {age!r}")
    conditions = section.get("conditions") or []
    if not isinstance(conditions, list):
        raise CaseError(file, "client.conditions", "expected a list of medical-history codes")
    for index, code in enumerate(conditions):
        finding = kb.findings.get(code) if isinstance(code, str) else None
        if finding is None or finding.type != "boolean":
            raise CaseError(
                file, f"client.conditions[{index}]", f"unknown medical-history code {code!r}"
            )
    return ClientFacts(
        age=age if isinstance(age, int) else None,
        pregnant=_flag(section.get("pregnant"), file, "client.pregnant"),
        conditions=tuple(conditions),
        medications=_idents(
            section.get("medications"), "medication", kb.medications, file, "client.medications"
        ),
    )


def _therapist(section: Mapping[str, object], kb: Knowledge, file: str) -> TherapistFacts:
    return TherapistFacts(
        qualifications=_idents(
            section.get("qualifications"),
            "qualification",
            kb.qualifications,
            file,
            "therapist.qualifications",
        ),
        cpd=_idents(section.get("cpd"), "cpd", kb.cpd, file, "therapist.cpd"),
        insurance=_ident(
            section.get("insurance"), "insurer", kb.insurers, file, "therapist.insurance"
        ),
        insurance_expired=bool(
            _flag(section.get("insurance_expired"), file, "therapist.insurance_expired")
        ),
    )


def _plan(section: Mapping[str, object], kb: Knowledge, file: str) -> PlanRequest:
    return PlanRequest(
        condition=_ident(
            section.get("condition"), "condition", kb.conditions, file, "plan.condition"
        ),
        condition_category=_ident(
            section.get("condition_category"),
            "category",
            kb.categories,
            file,
            "plan.condition_category",
        ),
        techniques=_idents(
            section.get("techniques"), "technique", kb.techniques, file, "plan.techniques"
        ),
        regions=_idents(section.get("regions"), "region", kb.regions, file, "plan.regions"),
    )


def _expect(section: Mapping[str, object], kb: Knowledge, file: str) -> Expectation:
    triage, scope = section.get("triage"), section.get("scope")
    if triage is not None and triage not in URGENCY_ORDER:
        raise CaseError(file, "expect.triage", f"expected one of {', '.join(URGENCY_ORDER)}")
    if scope is not None and scope not in OUTCOME_ORDER:
        raise CaseError(file, "expect.scope", f"expected one of {', '.join(OUTCOME_ORDER)}")
    return Expectation(
        triage=str(triage) if triage is not None else None,
        flags=_idents(section.get("flags"), "red-flag", kb.red_flags, file, "expect.flags"),
        not_flags=_idents(
            section.get("not_flags"), "red-flag", kb.red_flags, file, "expect.not_flags"
        ),
        top3=_idents(section.get("top3"), "condition", kb.conditions, file, "expect.top3"),
        contraindications=_idents(
            section.get("contraindications"),
            "contraindication",
            kb.contraindications,
            file,
            "expect.contraindications",
        ),
        scope=str(scope) if scope is not None else None,
    )
