"""A client's record exported as a FHIR R4B Bundle: every resource type, valid, self-contained."""

from __future__ import annotations

import base64
from collections import Counter

import pytest

from softtissue.accounts.models import User
from softtissue.clients.models import Client
from softtissue.interop.fhir import client_bundle_json
from softtissue.letters.models import Letter
from tests.interop.fhir_checks import parse, references, resources
from tests.interop.fhir_record import full_record

EXPECTED_TYPES = {
    "Organization",
    "Practitioner",
    "PractitionerRole",
    "Patient",
    "Consent",
    "Condition",
    "EpisodeOfCare",
    "Encounter",
    "Observation",
    "QuestionnaireResponse",
    "Procedure",
    "CarePlan",
    "ServiceRequest",
    "DocumentReference",
}


@pytest.fixture
def priya(alice: User) -> Client:
    return full_record(alice)


def test_it_exports_every_resource_type(priya: Client) -> None:
    bundle = parse(client_bundle_json(priya))
    assert bundle["type"] == "collection"
    assert {r["resourceType"] for r in resources(bundle)} == EXPECTED_TYPES


def test_it_counts_what_the_record_holds(priya: Client) -> None:
    counts = Counter(r["resourceType"] for r in resources(parse(client_bundle_json(priya))))
    # one assessment and two notes (one signed, one draft)
    assert counts["Encounter"] == 3
    # two techniques of the signed note; the draft's technique is not yet done
    assert counts["Procedure"] == 2
    # range of motion, two special tests done (the third not tested), two measures
    assert counts["Observation"] == 5
    assert counts["QuestionnaireResponse"] == 2
    assert counts["Consent"] == 2
    assert counts["ServiceRequest"] == 1  # only the referral letter makes a request
    assert counts["DocumentReference"] == 2


def test_it_resolves_every_reference_inside_the_bundle(priya: Client) -> None:
    bundle = parse(client_bundle_json(priya))
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert len(full_urls) == len(bundle["entry"])
    made = references(bundle)
    assert made
    assert set(made) <= full_urls
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_it_gives_the_same_ids_on_every_export(priya: Client) -> None:
    first = [e["fullUrl"] for e in parse(client_bundle_json(priya))["entry"]]
    second = [e["fullUrl"] for e in parse(client_bundle_json(priya))["entry"]]
    assert first == second


def test_it_records_the_working_impression_as_provisional(priya: Client) -> None:
    (condition,) = resources(parse(client_bundle_json(priya)), "Condition")
    assert condition["verificationStatus"]["coding"][0]["code"] == "provisional"
    assert condition["code"]["text"] == "Lateral elbow tendinopathy (tennis elbow)"
    (episode,) = resources(parse(client_bundle_json(priya)), "EpisodeOfCare")
    assert episode["diagnosis"][0]["condition"]["reference"] == f"urn:uuid:{condition['id']}"


def test_it_measures_range_of_motion_in_degrees(priya: Client) -> None:
    bundle = parse(client_bundle_json(priya))
    (rom,) = [
        o
        for o in resources(bundle, "Observation")
        if "valueQuantity" in o and o["valueQuantity"].get("code") == "deg"
    ]
    assert rom["valueQuantity"]["value"] == 135
    assert rom["bodySite"]["text"] == "Right"
    assert rom["category"][0]["coding"][0]["code"] == "exam"


def test_it_reports_special_tests_positive_and_negative(priya: Client) -> None:
    bundle = parse(client_bundle_json(priya))
    tests = {
        o["code"]["coding"][0]["code"]: o["interpretation"][0]["coding"][0]["code"]
        for o in resources(bundle, "Observation")
        if o["code"]["coding"][0]["code"].startswith("special-test.")
    }
    assert tests == {"special-test.cozen": "POS", "special-test.mill": "NEG"}


def test_it_says_why_a_measure_could_not_be_scored(priya: Client) -> None:
    bundle = parse(client_bundle_json(priya))
    scores = {
        o["code"]["coding"][0]["code"]: o
        for o in resources(bundle, "Observation")
        if o["category"][0]["coding"][0]["code"] == "survey"
    }
    assert scores["measure.nprs"]["valueQuantity"]["value"] == 6
    assert "valueQuantity" not in scores["measure.odi"]
    assert scores["measure.odi"]["dataAbsentReason"]["text"]
    answers = {r["id"] for r in resources(bundle, "QuestionnaireResponse")}
    assert (
        scores["measure.nprs"]["derivedFrom"][0]["reference"].removeprefix("urn:uuid:") in answers
    )


def test_it_embeds_each_letter_pdf_unchanged(priya: Client) -> None:
    bundle = parse(client_bundle_json(priya))
    kept = {bytes(letter.pdf) for letter in Letter.objects.filter(episode__client=priya)}
    exported = {
        base64.b64decode(d["content"][0]["attachment"]["data"])
        for d in resources(bundle, "DocumentReference")
    }
    assert exported == kept


def test_it_leaves_out_other_clients(priya: Client, alice: User) -> None:
    other = full_record(alice, first_name="Ola", letters=False)
    bundle = parse(client_bundle_json(priya))
    names = {r["name"][0]["given"][0] for r in resources(bundle, "Patient")}
    assert names == {"Priya"}
    assert f"urn:uuid:{other.pk}" not in references(bundle)


def test_it_exports_a_client_with_nothing_recorded(alice: User) -> None:
    from datetime import date

    bare = Client.objects.create(
        clinic=alice.membership.clinic,
        first_name="Ann",
        last_name="Lee",
        date_of_birth=date(1990, 1, 1),
    )
    bundle = parse(client_bundle_json(bare))
    assert {r["resourceType"] for r in resources(bundle)} == {"Organization", "Patient"}
    (patient,) = resources(bundle, "Patient")
    assert patient["gender"] == "unknown"


def test_it_names_the_therapist_and_their_qualification(priya: Client) -> None:
    bundle = parse(client_bundle_json(priya))
    (practitioner,) = resources(bundle, "Practitioner")
    assert practitioner["name"][0]["given"] == ["Alice"]
    (qualification,) = practitioner["qualification"]
    assert qualification["code"]["coding"][0]["code"] == "qualification.stt-l5"
    assert qualification["issuer"]["display"] == "ITEC"
    assert qualification["period"]["start"] == "2020-06-01"
    (role,) = resources(bundle, "PractitionerRole")
    assert role["practitioner"]["reference"] == f"urn:uuid:{practitioner['id']}"
