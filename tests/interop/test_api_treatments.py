"""API for treatment plans and SOAP notes: the scope gate runs, signed notes stay as signed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, Qualification, User
from softtissue.assessments.models import Assessment, Episode
from softtissue.treatments.models import (
    Addendum,
    ScopeDecision,
    TreatmentNote,
    TreatmentPlan,
)
from tests.interop.api_helpers import assert_error, bearer
from tests.treatments.conftest import L3, L5, make_episode

ELBOW = "condition.lateral-elbow-tendinopathy"
STR_ELBOW = {"technique": "technique.soft-tissue-release", "region": "region.elbow"}


def send(web: WebClient, method: str, path: str, body: object = None, **headers: str) -> Any:
    """A JSON request to the API; the response."""
    data = "" if body is None else json.dumps(body)
    return web.generic(
        method.upper(), f"/api/v1{path}", data, content_type="application/json", **headers
    )


def plan_body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "goals": "Grip a kettle without pain (NRS 0) within 6 weeks",
        "condition": ELBOW,
        "frequency": "Weekly for 4 weeks",
        "review_on": (timezone.localdate() + timedelta(days=42)).isoformat(),
        "techniques": [STR_ELBOW],
    }
    body.update(extra)
    return body


def note_body(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "session_date": timezone.localdate().isoformat(),
        "subjective": "Elbow better, 3/10 gripping",
        "objective": "Pain-free grip 22 kg",
        "techniques": [{**STR_ELBOW, "dosage": "5 minutes, moderate"}],
        "response": "Eased during treatment",
    }
    body.update(extra)
    return body


@pytest.fixture
def elbow(clinic_a: Clinic, alice: User) -> Episode:
    """Alice, a Level 5 soft tissue therapist, treats a chronic lateral elbow tendinopathy."""
    Qualification.objects.create(therapist=alice.therapist, knowledge_id=L5)
    return make_episode(clinic_a, alice, "region.elbow", ELBOW, {})


@pytest.fixture
def plan(web: WebClient, elbow: Episode, alice: User) -> dict[str, Any]:
    web.force_login(alice)
    response = send(web, "post", f"/episodes/{elbow.pk}/plans", plan_body())
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def draft(web: WebClient, plan: dict[str, Any]) -> dict[str, Any]:
    response = send(web, "post", f"/episodes/{plan['episode_id']}/notes", note_body())
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_it_creates_a_plan_through_the_scope_gate(
    web: WebClient, plan: dict[str, Any], elbow: Episode
) -> None:
    assert plan["scope"]["outcome"] == "allow"
    assert plan["clearance"] == {"may_treat": True, "needs": ""}
    assert plan["techniques"] == [{**STR_ELBOW, "name": "Soft tissue release (STR)"}]
    assert ScopeDecision.objects.get(plan_id=plan["id"]).outcome == "allow"
    assert web.get(f"/api/v1/plans/{plan['id']}").json() == plan
    listed = web.get(f"/api/v1/episodes/{elbow.pk}/plans").json()
    assert listed["count"] == 1 and listed["items"] == [plan]


def test_it_keeps_a_blocked_plan_with_its_reasons_and_refuses_sessions(
    web: WebClient, clinic_a: Clinic, alice: User
) -> None:
    Qualification.objects.create(therapist=alice.therapist, knowledge_id=L3)
    hamstring = make_episode(
        clinic_a,
        alice,
        "region.leg",
        "condition.hamstring-strain",
        {"diagnosed_by_clinician": True},
    )
    web.force_login(alice)
    body = plan_body(
        condition="condition.hamstring-strain",
        techniques=[{"technique": "technique.soft-tissue-release", "region": "region.leg"}],
    )
    created = send(web, "post", f"/episodes/{hamstring.pk}/plans", body).json()
    assert created["scope"]["outcome"] == "block"
    assert created["scope"]["items"] and all(i["reason"] for i in created["scope"]["items"])
    assert created["clearance"] == {"may_treat": False, "needs": "refer"}
    refused = send(web, "post", f"/episodes/{hamstring.pk}/notes", note_body(techniques=[]))
    assert_error(refused, 409)
    assert "scope gate has not cleared treatment" in refused.json()["detail"]
    assert not TreatmentNote.objects.exists()


def test_it_acknowledges_a_warning_before_sessions(
    web: WebClient, clinic_a: Clinic, alice: User
) -> None:
    Qualification.objects.create(therapist=alice.therapist, knowledge_id=L3)
    episode = make_episode(clinic_a, alice, "region.elbow", ELBOW, {})
    web.force_login(alice)
    body = plan_body(
        condition="",
        condition_category="category.maintenance",
        techniques=[{"technique": "technique.deep-transverse-friction", "region": "region.elbow"}],
    )
    created = send(web, "post", f"/episodes/{episode.pk}/plans", body).json()
    assert created["clearance"] == {"may_treat": False, "needs": "acknowledge"}
    acknowledged = send(web, "post", f"/plans/{created['id']}/acknowledge")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["clearance"]["may_treat"] is True
    assert ScopeDecision.objects.get(plan_id=created["id"]).acknowledged_by == alice


def test_it_refuses_to_acknowledge_an_allowed_plan(web: WebClient, plan: dict[str, Any]) -> None:
    response = send(web, "post", f"/plans/{plan['id']}/acknowledge")
    assert_error(response, 409)
    assert response.json()["detail"] == "Only a warning can be acknowledged."


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"colour": "red"}, ["body", "colour"], "Extra inputs are not permitted"),
        ({"review_on": "soon"}, ["body", "review_on"], "valid date"),
        ({"goals": 7}, ["body", "goals"], "valid string"),
        (
            {"techniques": [{"technique": "technique.reiki", "region": "region.elbow"}]},
            ["body", "techniques", 0, "technique"],
            "The knowledge base does not know technique.reiki",
        ),
        (
            {"techniques": [STR_ELBOW, STR_ELBOW]},
            ["body", "techniques"],
            "listed twice",
        ),
        ({"condition": ""}, ["body", "condition"], "Choose the condition treated"),
    ],
)
def test_it_refuses_a_bad_plan_and_keeps_nothing(
    web: WebClient,
    elbow: Episode,
    alice: User,
    change: dict[str, Any],
    loc: list[str | int],
    message: str,
) -> None:
    web.force_login(alice)
    response = send(web, "post", f"/episodes/{elbow.pk}/plans", plan_body(**change))
    assert_error(response, 422)
    errors = response.json()["errors"]
    assert any(e["loc"] == loc and message in e["msg"] for e in errors), errors
    assert not TreatmentPlan.objects.exists() and not ScopeDecision.objects.exists()


def test_it_records_reads_and_changes_a_draft(
    web: WebClient, draft: dict[str, Any], elbow: Episode
) -> None:
    assert draft["status"] == "draft" and draft["sequence"] is None
    assert draft["techniques"] == [{**STR_ELBOW, "dosage": "5 minutes, moderate"}]
    changed = send(web, "patch", f"/notes/{draft['id']}", {"subjective": "Edited before signing"})
    assert changed.status_code == 200
    assert changed.json()["subjective"] == "Edited before signing"
    assert changed.json()["objective"] == "Pain-free grip 22 kg"
    assert changed.json()["techniques"] == draft["techniques"]
    assert web.get(f"/api/v1/notes/{draft['id']}").json() == changed.json()
    listed = web.get(f"/api/v1/episodes/{elbow.pk}/notes").json()
    assert [n["id"] for n in listed["items"]] == [draft["id"]]


def test_it_refuses_a_note_before_a_plan(web: WebClient, elbow: Episode, alice: User) -> None:
    web.force_login(alice)
    response = send(web, "post", f"/episodes/{elbow.pk}/notes", note_body())
    assert_error(response, 409)
    assert "Write a treatment plan" in response.json()["detail"]
    assert not TreatmentNote.objects.exists()


def test_it_gates_a_technique_the_plan_did_not_name(web: WebClient, plan: dict[str, Any]) -> None:
    rows = [{"technique": "technique.joint-manipulation", "region": "region.elbow"}]
    response = send(
        web, "post", f"/episodes/{plan['episode_id']}/notes", note_body(techniques=rows)
    )
    assert_error(response, 409)
    assert "outside what you may do" in response.json()["detail"]
    assert not TreatmentNote.objects.exists()


def test_it_refuses_a_bad_change_and_keeps_the_draft(web: WebClient, draft: dict[str, Any]) -> None:
    for body in (
        {"subjective": "x", "mood": "good"},
        {"techniques": [{"technique": "technique.reiki", "region": "region.elbow"}]},
        {"session_date": "yesterday"},
    ):
        assert_error(send(web, "patch", f"/notes/{draft['id']}", body), 422)
    assert TreatmentNote.objects.get().subjective == "Elbow better, 3/10 gripping"


def test_it_signs_a_note_and_refuses_to_change_it(web: WebClient, draft: dict[str, Any]) -> None:
    signed = send(web, "post", f"/notes/{draft['id']}/sign")
    assert signed.status_code == 200
    body = signed.json()
    assert (body["status"], body["sequence"], body["previous_hash"]) == ("signed", 1, "")
    assert len(body["content_hash"]) == 64
    before = TreatmentNote.objects.values().get()
    changed = send(web, "patch", f"/notes/{draft['id']}", {"subjective": "Rewritten later"})
    assert_error(changed, 409)
    assert "signed and cannot be changed" in changed.json()["detail"]
    again = send(web, "post", f"/notes/{draft['id']}/sign")
    assert "already signed" in assert_error(again, 409)["detail"]
    assert TreatmentNote.objects.values().get() == before


def test_it_refuses_to_sign_after_a_red_flag_is_recorded(
    web: WebClient, draft: dict[str, Any], elbow: Episode, alice: User
) -> None:
    Assessment.objects.create(
        clinic=elbow.clinic,
        episode=elbow,
        therapist=alice.therapist,
        findings={"saddle_anaesthesia": True},
        started_at=timezone.now(),
    )
    response = send(web, "post", f"/notes/{draft['id']}/sign")
    assert_error(response, 409)
    assert "Not signed: the scope gate no longer clears this." in response.json()["detail"]
    note = TreatmentNote.objects.get()
    assert (note.status, note.content_hash, note.sequence) == ("draft", "", None)


def test_it_adds_signed_addenda_to_the_chain(web: WebClient, draft: dict[str, Any]) -> None:
    path = f"/notes/{draft['id']}/addenda"
    early = send(web, "post", path, {"text": "Too early"})
    assert "still a draft" in assert_error(early, 409)["detail"]
    note = send(web, "post", f"/notes/{draft['id']}/sign").json()
    empty = send(web, "post", path, {"text": "   "})
    assert assert_error(empty, 400)["detail"] == "An addendum needs some text."
    added = send(web, "post", path, {"text": "Forgot: taped the forearm."})
    assert added.status_code == 201
    assert added.json()["sequence"] == 2
    assert added.json()["previous_hash"] == note["content_hash"]
    listed = web.get(f"/api/v1{path}").json()
    assert [a["text"] for a in listed["items"]] == ["Forgot: taped the forearm."]
    assert Addendum.objects.count() == 1


def test_it_hides_another_clinics_plans_and_notes(
    web: WebClient, draft: dict[str, Any], plan: dict[str, Any], charlie: User
) -> None:
    web.force_login(charlie)
    episode, note = plan["episode_id"], draft["id"]
    for method, path, body in [
        ("get", f"/plans/{plan['id']}", None),
        ("get", f"/episodes/{episode}/plans", None),
        ("post", f"/episodes/{episode}/plans", plan_body()),
        ("post", f"/plans/{plan['id']}/acknowledge", None),
        ("get", f"/episodes/{episode}/notes", None),
        ("get", f"/notes/{note}", None),
        ("post", f"/episodes/{episode}/notes", note_body()),
        ("patch", f"/notes/{note}", {"subjective": "Not mine"}),
        ("post", f"/notes/{note}/sign", None),
        ("get", f"/notes/{note}/addenda", None),
        ("post", f"/notes/{note}/addenda", {"text": "Not mine"}),
    ]:
        assert_error(send(web, method, path, body), 404)
    assert TreatmentPlan.objects.count() == 1
    assert TreatmentNote.objects.get().status == "draft"


def test_it_refuses_reception(
    web: WebClient, draft: dict[str, Any], plan: dict[str, Any], reception: User
) -> None:
    web.force_login(reception)
    episode, note = plan["episode_id"], draft["id"]
    for method, path, body in [
        ("get", f"/plans/{plan['id']}", None),
        ("get", f"/episodes/{episode}/plans", None),
        ("post", f"/episodes/{episode}/plans", plan_body()),
        ("get", f"/notes/{note}", None),
        ("patch", f"/notes/{note}", {"subjective": "Reception edit"}),
        ("post", f"/notes/{note}/sign", None),
    ]:
        assert_error(send(web, method, path, body), 403)
    assert TreatmentNote.objects.get().status == "draft"


def test_it_works_with_a_token_and_refuses_writes_with_a_read_only_one(
    web: WebClient, elbow: Episode, alice: User
) -> None:
    token = bearer(alice)
    plan = send(web, "post", f"/episodes/{elbow.pk}/plans", plan_body(), **token).json()
    assert plan["therapist_id"] == alice.therapist.pk
    note = send(web, "post", f"/episodes/{elbow.pk}/notes", note_body(), **token).json()
    assert note["therapist_id"] == alice.therapist.pk
    read_only = bearer(alice, read_only=True)
    assert send(web, "get", f"/notes/{note['id']}", **read_only).status_code == 200
    for method, path, body in [
        ("post", f"/episodes/{elbow.pk}/plans", plan_body()),
        ("post", f"/episodes/{elbow.pk}/notes", note_body()),
        ("patch", f"/notes/{note['id']}", {"subjective": "Read-only edit"}),
        ("post", f"/notes/{note['id']}/sign", None),
        ("post", f"/notes/{note['id']}/addenda", {"text": "Read-only addendum"}),
    ]:
        assert_error(send(web, method, path, body, **read_only), 403)
    assert TreatmentPlan.objects.count() == 1
    assert TreatmentNote.objects.get().status == "draft"
    signed = send(web, "post", f"/notes/{note['id']}/sign", **token).json()
    assert signed["signed_by_id"] == alice.pk
