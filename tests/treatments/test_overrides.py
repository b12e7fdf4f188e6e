"""Overriding the scope gate: a real reason, never a hard stop, a copy of what was overridden,
an audit event without the reason, and the override on the client's page."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from softtissue.accounts.models import Clinic, InsurancePolicy, Membership, User
from softtissue.assessments.models import Assessment, Episode
from softtissue.audit.models import AuditEvent
from softtissue.treatments import services
from softtissue.treatments.models import (
    Override,
    ScopeDecision,
    TreatmentPlan,
    reason_problem,
)
from tests.treatments.conftest import make_episode, make_plan

REASON = "Her physiotherapist asked me in writing to carry on with this treatment."
API_HEADERS = {"X-CSRFToken": "unused-with-the-test-client"}


def api_override(web: WebClient, plan: TreatmentPlan, reason: str) -> Any:
    return web.post(
        f"/api/v1/plans/{plan.pk}/override",
        {"reason": reason},
        content_type="application/json",
        headers=API_HEADERS,
    )


@pytest.fixture
def blocked_plan(web: WebClient, hamstring: Episode, level3: User) -> TreatmentPlan:
    """A Level 3's soft tissue release on a hamstring strain: an overridable block."""
    web.force_login(level3)
    plan = make_plan(web, hamstring, [("technique.soft-tissue-release", "region.leg")])
    decision = ScopeDecision.objects.get(plan=plan)
    assert (decision.outcome, decision.overridable) == ("block", True)
    return plan


def decided_plan(
    clinic: Clinic, user: User, outcome: str, overridable: bool, reason: str = "Checked."
) -> TreatmentPlan:
    """A plan with a scope decision written directly, for cases the core is not asked about."""
    episode = make_episode(clinic, user, "region.elbow", "", {})
    plan = TreatmentPlan.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=user.therapist,
        goals="Grip a kettle without pain",
        condition_category="category.maintenance",
        frequency="Weekly",
        review_on=timezone.localdate() + timedelta(days=28),
    )
    ScopeDecision.objects.create(
        clinic=clinic,
        plan=plan,
        outcome=outcome,
        overridable=overridable,
        items=[
            {"subject": "technique.heat-ice", "outcome": outcome, "reason": reason},
            {"subject": "technique.effleurage", "outcome": "allow", "reason": "May use it."},
        ],
    )
    return plan


@pytest.mark.parametrize(
    ("reason", "says"),
    [
        ("", "An override needs a written reason."),
        ("   \n  ", "An override needs a written reason."),
        ("Client insists", "only 14 characters long"),
        ("GP ok, see letter", "only 17 characters long"),
        ("Client insists!!! 100% sure", "only 3 words"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "only 0 words"),
        ("aaaaaa bbbbbb cccccc dddddd eeeeee", "only 0 words"),
        ("1234567890 1234567890 123", "only 0 words"),
        ("asdfasdfasdfasdfasdfasdf", "only 1 word:"),
        ("ok ok ok ok ok ok ok ok ok", "repeats the same words"),
        ("fine fine fine okay okay okay", "repeats the same words"),
        ("x" * 1000 + " is the reason " + "y" * 1000, "keep it to 2000"),
    ],
)
def test_it_says_what_is_wrong_with_a_reason(reason: str, says: str) -> None:
    problem = reason_problem(reason)
    assert says in problem
    assert "sentence" in problem or "2000" in problem


@pytest.mark.parametrize(
    "reason",
    [
        REASON,
        "GP cleared her by phone today.",
        "Le kiné a donné son accord écrit.",
        "Client's consultant: proceed, letter on file",
    ],
)
def test_it_accepts_a_reason_of_a_sentence(reason: str) -> None:
    assert reason_problem(reason) == ""


def test_it_refuses_a_short_reason_on_the_page_and_keeps_nothing(
    web: WebClient, blocked_plan: TreatmentPlan
) -> None:
    response = web.post(f"/plans/{blocked_plan.pk}/override/", {"reason": "Client insists"})
    assert response.status_code == 400
    assert "The reason is only 14 characters long" in response.content.decode()
    assert not Override.objects.exists()


def test_it_refuses_a_short_reason_in_the_api_with_the_same_words(
    web: WebClient, blocked_plan: TreatmentPlan
) -> None:
    response = api_override(web, blocked_plan, "ok ok ok ok ok ok ok ok ok")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "reason"
    assert "repeats the same words" in response.json()["errors"][0]["msg"]
    assert not Override.objects.exists()


def test_it_refuses_a_short_reason_in_the_service(
    blocked_plan: TreatmentPlan, level3: User
) -> None:
    with pytest.raises(services.OverrideError, match="only 2 words"):
        services.override_scope(
            blocked_plan.clinic, level3.membership, blocked_plan, "Client insists!!!!!!!!!!"
        )
    assert not Override.objects.exists()


def test_it_lifts_a_block_on_the_page(web: WebClient, blocked_plan: TreatmentPlan) -> None:
    response = web.post(f"/plans/{blocked_plan.pk}/override/", {"reason": REASON}, follow=True)
    assert "Override recorded with your reason." in response.content.decode()
    assert "Treatment may go ahead" in response.content.decode()
    assert Override.objects.get().reason == REASON


def test_it_lifts_a_block_in_the_api(
    web: WebClient, blocked_plan: TreatmentPlan, level3: User
) -> None:
    response = api_override(web, blocked_plan, REASON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["plan_id"], body["by_id"], body["outcome"]) == (
        blocked_plan.pk,
        level3.pk,
        "block",
    )
    assert body["reason"] == REASON
    assert web.get(f"/api/v1/plans/{blocked_plan.pk}").json()["clearance"]["may_treat"] is True


def test_it_copies_the_outcome_and_its_reasons_onto_the_override(
    web: WebClient, blocked_plan: TreatmentPlan
) -> None:
    web.post(f"/plans/{blocked_plan.pk}/override/", {"reason": REASON})
    decision = ScopeDecision.objects.get(plan=blocked_plan)
    override = Override.objects.get()
    deciding = [item for item in decision.items if item["outcome"] == "block"]
    assert override.outcome == "block"
    assert override.reasons == deciding
    assert any("may not use Soft tissue release" in item["reason"] for item in override.reasons)
    assert all(item["outcome"] == "block" for item in override.reasons)
    # The plan is checked again later and its decision changes: the override still says what
    # was overridden.
    decision.outcome = "warn"
    decision.items = [{"subject": "x", "outcome": "warn", "reason": "Something else."}]
    decision.save()
    override.refresh_from_db()
    assert override.outcome == "block"
    assert override.reasons == deciding


def red_flag_plan(web: WebClient, elbow: Episode, level5: User) -> TreatmentPlan:
    Assessment.objects.filter(episode=elbow).update(findings={"saddle_anaesthesia": True})
    web.force_login(level5)
    return make_plan(web, elbow, [("technique.effleurage", "region.elbow")])


def contraindicated_plan(web: WebClient, elbow: Episode, level5: User) -> TreatmentPlan:
    Assessment.objects.filter(episode=elbow).update(findings={"contagious_illness": True})
    web.force_login(level5)
    return make_plan(web, elbow, [("technique.effleurage", "region.elbow")])


def uninsured_plan(web: WebClient, elbow: Episode, level5: User) -> TreatmentPlan:
    today = timezone.localdate()
    InsurancePolicy.objects.create(
        therapist=level5.therapist,
        insurer="Example Insurance",
        policy_number="PI-1",
        valid_from=today - timedelta(days=400),
        valid_to=today - timedelta(days=1),
        schedule="insurer.example-soft-tissue-therapy",
    )
    web.force_login(level5)
    return make_plan(web, elbow, [("technique.soft-tissue-release", "region.elbow")])


def allowed(web: WebClient, elbow: Episode, level5: User) -> TreatmentPlan:
    web.force_login(level5)
    return make_plan(web, elbow, [("technique.soft-tissue-release", "region.elbow")])


HARD_STOPS = [
    pytest.param(red_flag_plan, "refer_emergency", "cannot be overridden", id="red flag"),
    pytest.param(contraindicated_plan, "block", "cannot be overridden", id="contraindication"),
    pytest.param(uninsured_plan, "block", "cannot be overridden", id="expired insurance"),
    pytest.param(allowed, "allow", "nothing to override", id="allowed"),
]


@pytest.mark.parametrize(("make", "outcome", "says"), HARD_STOPS)
def test_it_refuses_to_override_on_the_page(
    web: WebClient, elbow: Episode, level5: User, make: Any, outcome: str, says: str
) -> None:
    plan = make(web, elbow, level5)
    assert ScopeDecision.objects.get(plan=plan).outcome == outcome
    response = web.post(f"/plans/{plan.pk}/override/", {"reason": REASON}, follow=True)
    assert says in response.content.decode()
    assert not Override.objects.exists()


@pytest.mark.parametrize(("make", "outcome", "says"), HARD_STOPS)
def test_it_refuses_to_override_in_the_api(
    web: WebClient, elbow: Episode, level5: User, make: Any, outcome: str, says: str
) -> None:
    plan = make(web, elbow, level5)
    response = api_override(web, plan, REASON)
    assert response.status_code == 409
    assert says in response.json()["detail"]
    assert not Override.objects.exists()


def test_it_refuses_a_second_override_of_the_same_outcome(
    web: WebClient, blocked_plan: TreatmentPlan, level3: User
) -> None:
    services.override_scope(blocked_plan.clinic, level3.membership, blocked_plan, REASON)
    with pytest.raises(services.OverrideError, match="already overridden"):
        services.override_scope(blocked_plan.clinic, level3.membership, blocked_plan, REASON)
    assert api_override(web, blocked_plan, REASON).status_code == 409
    assert Override.objects.count() == 1


def test_it_refuses_a_plan_or_member_of_another_clinic(
    blocked_plan: TreatmentPlan, charlie: User, level3: User, clinic_b: Clinic
) -> None:
    with pytest.raises(services.OverrideError, match="not one of your clinic's plans"):
        services.override_scope(clinic_b, charlie.membership, blocked_plan, REASON)
    with pytest.raises(services.OverrideError, match="not one of your clinic's plans"):
        services.override_scope(blocked_plan.clinic, charlie.membership, blocked_plan, REASON)
    assert not Override.objects.exists()


def test_it_refuses_reception_in_the_service(blocked_plan: TreatmentPlan, reception: User) -> None:
    with pytest.raises(services.OverrideError, match="therapists and owner"):
        services.override_scope(blocked_plan.clinic, reception.membership, blocked_plan, REASON)


def test_it_answers_404_to_another_clinic(
    web: WebClient, blocked_plan: TreatmentPlan, charlie: User
) -> None:
    outsider = WebClient()
    outsider.force_login(charlie)
    assert outsider.post(f"/plans/{blocked_plan.pk}/override/", {"reason": REASON}).status_code == (
        404
    )
    assert api_override(outsider, blocked_plan, REASON).status_code == 404
    assert not Override.objects.exists()


def test_it_writes_one_audit_event_with_ids_only(
    web: WebClient, blocked_plan: TreatmentPlan, level3: User
) -> None:
    secret = "Zanzibarine consultant letter says carry on with the deep work."
    web.post(f"/plans/{blocked_plan.pk}/override/", {"reason": secret})
    override = Override.objects.get()
    events = AuditEvent.objects.filter(object_type="treatments.Override")
    assert list(events.values_list("action", "object_id", "client_id", "user_id", "clinic_id")) == [
        (
            "create",
            override.pk,
            blocked_plan.episode.client_id,
            level3.pk,
            blocked_plan.clinic_id,
        )
    ]
    text = repr(list(AuditEvent.objects.values())).lower()
    assert "zanzibarine" not in text
    assert "soft tissue release" not in text


def test_it_writes_the_audit_event_when_the_api_overrides(
    web: WebClient, blocked_plan: TreatmentPlan, level3: User
) -> None:
    api_override(web, blocked_plan, REASON)
    event = AuditEvent.objects.get(object_type="treatments.Override")
    assert (event.action, event.user_id) == ("create", level3.pk)


def test_it_shows_the_override_on_the_plan(web: WebClient, blocked_plan: TreatmentPlan) -> None:
    web.post(f"/plans/{blocked_plan.pk}/override/", {"reason": REASON})
    page = web.get(f"/plans/{blocked_plan.pk}/").content.decode()
    overrides = page.split('id="overrides-heading"', 1)[1].split("</section>", 1)[0]
    assert "Alice" in overrides
    assert 'overrode <span class="gate gate-block">Blocked</span>' in overrides
    assert REASON in overrides


def test_it_shows_the_override_on_the_client_page(
    web: WebClient, blocked_plan: TreatmentPlan, bob: User
) -> None:
    client_url = blocked_plan.episode.client.get_absolute_url()
    assert "Scope overrides" not in web.get(client_url).content.decode()
    web.post(f"/plans/{blocked_plan.pk}/override/", {"reason": REASON})
    colleague = WebClient()
    colleague.force_login(bob)  # anyone clinical opening the record sees it
    page = colleague.get(client_url).content.decode()
    card = page.split('id="client-overrides-heading"', 1)[1].split("</section>", 1)[0]
    override = Override.objects.get()
    assert timezone.localtime(override.at).strftime("%-d %b %Y") in card
    assert "Alice" in card
    assert "Blocked" in card
    assert "may not use Soft tissue release" in card
    assert REASON in card
    assert f"/plans/{blocked_plan.pk}/" in card


def test_it_keeps_the_reason_from_reception_on_the_client_page(
    web: WebClient, blocked_plan: TreatmentPlan, reception: User
) -> None:
    web.post(f"/plans/{blocked_plan.pk}/override/", {"reason": REASON})
    desk = WebClient()
    desk.force_login(reception)
    page = desk.get(blocked_plan.episode.client.get_absolute_url())
    assert page.status_code == 200
    assert REASON not in page.content.decode()
    assert "Scope overrides" not in page.content.decode()


def test_it_needs_the_same_queries_for_1_or_20_overrides(
    web: WebClient, clinic_a: Clinic, alice: User, django_assert_max_num_queries: Any
) -> None:
    member: Membership = alice.membership
    first = decided_plan(clinic_a, alice, "warn", True)
    client = first.episode.client
    services.override_scope(clinic_a, member, first, REASON)
    web.force_login(alice)
    web.get(client.get_absolute_url())  # the session and the knowledge are warm
    with CaptureQueriesContext(connection) as one:
        assert web.get(client.get_absolute_url()).status_code == 200
    for number in range(19):
        plan = decided_plan(clinic_a, alice, "block", True, f"Reason {number}.")
        plan.episode.client = client
        plan.episode.save()
        services.override_scope(clinic_a, member, plan, f"{REASON} Plan {number}.")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = web.get(client.get_absolute_url())
    assert response.content.decode().count("asked me in writing") == 20


def test_it_lists_overrides_of_this_client_only(
    web: WebClient, clinic_a: Clinic, alice: User
) -> None:
    mine = decided_plan(clinic_a, alice, "warn", True)
    other = decided_plan(clinic_a, alice, "warn", True)
    services.override_scope(clinic_a, alice.membership, mine, "Mine: the GP cleared it today.")
    services.override_scope(clinic_a, alice.membership, other, "Other: the GP cleared it today.")
    web.force_login(alice)
    page = web.get(mine.episode.client.get_absolute_url()).content.decode()
    assert "Mine: the GP" in page
    assert "Other: the GP" not in page


def test_it_overrides_a_level_3_maintenance_warning(
    web: WebClient, level3: User, clinic_a: Clinic
) -> None:
    episode = make_episode(clinic_a, level3, "region.lumbar-pelvis", "", {})
    web.force_login(level3)
    response = web.post(
        f"/episodes/{episode.pk}/plans/new/",
        {
            "goals": "Ease the aching back",
            "condition": "",
            "condition_category": "category.maintenance",
            "frequency": "Fortnightly",
            "review_on": (timezone.localdate() + timedelta(days=42)).isoformat(),
            "techniques-TOTAL_FORMS": "1",
            "techniques-INITIAL_FORMS": "0",
            "techniques-0-technique": "technique.heat-ice",
            "techniques-0-region": "region.lumbar-pelvis",
            "techniques-0-dosage": "",
        },
    )
    assert response.status_code == 302
    plan = TreatmentPlan.objects.get(episode=episode)
    assert ScopeDecision.objects.get(plan=plan).outcome == "warn"
    web.post(f"/plans/{plan.pk}/override/", {"reason": REASON})
    assert Override.objects.get(plan=plan).outcome == "warn"


def test_the_migration_copies_the_decision_onto_older_overrides(
    clinic_a: Clinic, alice: User
) -> None:
    plan = decided_plan(clinic_a, alice, "block", True, "Outside your scope.")
    older = Override.objects.create(clinic=clinic_a, plan=plan, by=alice, reason=REASON)
    newer = services.override_scope(
        clinic_a,
        alice.membership,
        decided_plan(clinic_a, alice, "warn", True, "Take care."),
        REASON,
    )
    migration = importlib.import_module("softtissue.treatments.migrations.0002_override_snapshot")
    migration.copy_decisions(apps, None)
    older.refresh_from_db()
    assert older.outcome == "block"
    assert older.reasons == [
        {"subject": "technique.heat-ice", "outcome": "block", "reason": "Outside your scope."}
    ]
    newer.refresh_from_db()
    assert (newer.outcome, newer.reasons[0]["reason"]) == ("warn", "Take care.")
