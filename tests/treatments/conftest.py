"""Fixtures: a Level 3 (alice) and a Level 5 (bob) therapist, their clients and episodes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, Qualification, User
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client
from softtissue.treatments.models import TreatmentNote, TreatmentPlan
from tests.assessments.conftest import give_consent

L3 = "qualification.smt-l3"
L5 = "qualification.stt-l5"


def make_episode(
    clinic: Clinic, user: User, region: str, condition: str, findings: dict[str, Any]
) -> Episode:
    """A consenting client's episode with one assessment recording these findings."""
    client = Client.objects.create(
        clinic=clinic, first_name="Megan", last_name="Ellis", date_of_birth=date(1998, 7, 14)
    )
    give_consent(client)
    episode = Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=user.therapist,
        presenting_problem="Pain",
        region=region,
        condition=condition,
    )
    Assessment.objects.create(
        clinic=clinic, episode=episode, therapist=user.therapist, findings=findings
    )
    return episode


@pytest.fixture
def level3(alice: User) -> User:
    Qualification.objects.create(therapist=alice.therapist, knowledge_id=L3)
    return alice


@pytest.fixture
def level5(bob: User) -> User:
    Qualification.objects.create(therapist=bob.therapist, knowledge_id=L5)
    return bob


@pytest.fixture
def hamstring(clinic_a: Clinic, level3: User) -> Episode:
    """Megan's hamstring strain, diagnosed by a clinician last week."""
    return make_episode(
        clinic_a,
        level3,
        "region.leg",
        "condition.hamstring-strain",
        {"diagnosed_by_clinician": True},
    )


@pytest.fixture
def elbow(clinic_a: Clinic, level5: User) -> Episode:
    """Chronic lateral elbow tendinopathy."""
    return make_episode(
        clinic_a, level5, "region.elbow", "condition.lateral-elbow-tendinopathy", {}
    )


def plan_data(
    techniques: list[tuple[str, str]],
    condition: str = "condition.lateral-elbow-tendinopathy",
    **extra: str,
) -> dict[str, Any]:
    """A plan form's POST data with these (technique, region) rows."""
    data: dict[str, Any] = {
        "goals": "Grip a kettle without pain (NRS 0) within 6 weeks",
        "condition": condition,
        "condition_category": "",
        "frequency": "Weekly for 4 weeks",
        "review_on": (timezone.localdate() + timedelta(days=42)).isoformat(),
        "techniques-TOTAL_FORMS": str(len(techniques)),
        "techniques-INITIAL_FORMS": "0",
        "techniques-MIN_NUM_FORMS": "0",
        "techniques-MAX_NUM_FORMS": "1000",
    }
    for i, (technique, region) in enumerate(techniques):
        data[f"techniques-{i}-technique"] = technique
        data[f"techniques-{i}-region"] = region
        data[f"techniques-{i}-dosage"] = ""
    data.update(extra)
    return data


def note_data(techniques: list[tuple[str, str, str]], **extra: str) -> dict[str, Any]:
    """A note form's POST data with these (technique, region, dosage) rows."""
    data: dict[str, Any] = {
        "session_date": timezone.localdate().isoformat(),
        "subjective": "Elbow better, 3/10 gripping",
        "objective": "Pain-free grip 22 kg",
        "response": "Eased during treatment",
        "advice": "Isometrics twice daily",
        "plan": "Review in a week",
        "techniques-TOTAL_FORMS": str(len(techniques)),
        "techniques-INITIAL_FORMS": "0",
        "techniques-MIN_NUM_FORMS": "0",
        "techniques-MAX_NUM_FORMS": "1000",
    }
    for i, (technique, region, dosage) in enumerate(techniques):
        data[f"techniques-{i}-technique"] = technique
        data[f"techniques-{i}-region"] = region
        data[f"techniques-{i}-dosage"] = dosage
    data.update(extra)
    return data


def make_plan(web: WebClient, episode: Episode, techniques: list[tuple[str, str]]) -> TreatmentPlan:
    """Post a plan through the page and return it."""
    response = web.post(
        f"/episodes/{episode.pk}/plans/new/", plan_data(techniques, condition=episode.condition)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return TreatmentPlan.objects.get(episode=episode)


@pytest.fixture
def allowed_plan(web: WebClient, elbow: Episode, level5: User) -> TreatmentPlan:
    web.force_login(level5)
    return make_plan(web, elbow, [("technique.soft-tissue-release", "region.elbow")])


@pytest.fixture
def draft(allowed_plan: TreatmentPlan, level5: User) -> TreatmentNote:
    return TreatmentNote.objects.create(
        clinic=allowed_plan.clinic,
        episode=allowed_plan.episode,
        therapist=level5.therapist,
        session_date=timezone.localdate(),
        subjective="Better",
        techniques=[{"technique": "technique.effleurage", "region": "region.elbow", "dosage": ""}],
    )
