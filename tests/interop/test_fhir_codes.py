"""Every code in an export comes from an allowed system, and SNOMED CT codes from the knowledge."""

from __future__ import annotations

import pytest

from softtissue.accounts.models import User
from softtissue.assessments.questions import movement_labels
from softtissue.interop.fhir import client_bundle_json
from softtissue.interop.fhir.codes import ALLOWED, KNOWLEDGE, SNOMED, UCUM
from softtissue.reasoning import default_knowledge
from tests.interop.fhir_checks import codings, parse, resources
from tests.interop.fhir_record import CONDITION, full_record

# The Verhoeff check digit that ends every SNOMED CT identifier (SNOMED CT Technical
# Implementation Guide, 6.3 "SCTID check-digit"): a typo in a code in the YAML is caught here.
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(number: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def knowledge_ids() -> set[str]:
    kb = default_knowledge()
    ids = set(movement_labels())
    for table in (kb.conditions, kb.special_tests, kb.techniques, kb.exercises, kb.qualifications):
        ids.update(table)
    ids.update(f"measure.{key}" for key in kb.measures)
    return ids


@pytest.fixture
def bundle(alice: User) -> dict[str, object]:
    return parse(client_bundle_json(full_record(alice)))


def test_it_uses_only_allowed_codes(bundle: dict[str, object]) -> None:
    known = knowledge_ids()
    for coding in codings(bundle):  # type: ignore[arg-type]
        system, code = coding["system"], coding["code"]
        if system == KNOWLEDGE:
            assert code in known, code
        elif system == SNOMED:
            assert code in {str(c.get("snomed")) for c in default_knowledge().conditions.values()}
        else:
            assert code in ALLOWED.get(system, {}), (system, code)


def test_it_codes_the_condition_with_the_knowledge_base_snomed_code(
    bundle: dict[str, object],
) -> None:
    (condition,) = resources(bundle, "Condition")  # type: ignore[arg-type]
    snomed = [c for c in condition["code"]["coding"] if c["system"] == SNOMED]
    assert snomed == [
        {
            "system": SNOMED,
            "code": default_knowledge().conditions[CONDITION]["snomed"],
            "display": "Lateral elbow tendinopathy (tennis elbow)",
        }
    ]


def test_it_gives_quantities_ucum_units(bundle: dict[str, object]) -> None:
    quantities = [c for c in codings(bundle) if "value" in c]  # type: ignore[arg-type]
    assert quantities
    assert {q["system"] for q in quantities} == {UCUM}


def test_it_omits_snomed_where_the_knowledge_base_has_no_code(alice: User) -> None:
    kb = default_knowledge()
    uncoded = next(key for key, entry in kb.conditions.items() if not entry.get("snomed"))
    client = full_record(alice, letters=False)
    client.episodes.update(condition=uncoded)
    (condition,) = resources(parse(client_bundle_json(client)), "Condition")
    assert [c["system"] for c in condition["code"]["coding"]] == [KNOWLEDGE]


@pytest.mark.parametrize(
    "key", sorted(k for k, e in default_knowledge().conditions.items() if e.get("snomed"))
)
def test_it_keeps_only_well_formed_snomed_codes_in_the_knowledge_base(key: str) -> None:
    code = str(default_knowledge().conditions[key]["snomed"])
    assert code.isdigit() and 6 <= len(code) <= 18
    assert code[-3:-1] == "00", "the partition of a concept id is 00"
    assert verhoeff_valid(code)


def test_it_rejects_a_mistyped_snomed_code() -> None:
    assert verhoeff_valid("202855006")
    assert not verhoeff_valid("202855007")


def test_it_cites_the_terminology_for_every_snomed_code() -> None:
    kb = default_knowledge()
    coded = [entry for entry in kb.conditions.values() if entry.get("snomed")]
    assert coded
    assert "snomed-ct" in kb.sources
    for entry in coded:
        assert "snomed-ct" in entry["sources"], entry["id"]
