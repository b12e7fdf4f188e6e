"""Fixtures: Priya with a low back episode, an assessment with saddle numbness, and consent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from softtissue.accounts.models import Clinic, Qualification, User
from softtissue.assessments.models import Assessment, BodyChartMark, Episode, RangeOfMotion
from softtissue.clients.models import Client, Consent


def consent(client: Client, kind: str, given: bool = True) -> Consent:
    """Record a consent (or its withdrawal) of this kind."""
    return Consent.objects.create(
        clinic=client.clinic,
        client=client,
        kind=kind,
        given=given,
        method=Consent.Method.IN_PERSON,
        signed_name=client.full_name,
        recorded_at=timezone.now(),
    )


@pytest.fixture
def priya(clinic_a: Clinic) -> Client:
    client = Client.objects.create(
        clinic=clinic_a,
        first_name="Priya",
        last_name="Shah",
        date_of_birth=date(1980, 3, 14),
        gp_name="Dr Okafor",
        gp_practice="Riverside Surgery",
        gp_address="1 High Street",
    )
    consent(client, "assessment_treatment")
    consent(client, "share_with_gp")
    return client


@pytest.fixture
def episode(priya: Client, alice: User) -> Episode:
    Qualification.objects.create(therapist=alice.therapist, knowledge_id="qualification.stt-l5")
    return Episode.objects.create(
        clinic=priya.clinic,
        client=priya,
        therapist=alice.therapist,
        presenting_problem="Low back pain after lifting",
        region="region.lumbar-pelvis",
    )


@pytest.fixture
def assessment(episode: Episode, alice: User) -> Assessment:
    assessment = Assessment.objects.create(
        clinic=episode.clinic,
        episode=episode,
        therapist=alice.therapist,
        onset="sudden",
        mechanism="Lifting a sofa",
        symptom_duration_weeks=2,
        findings={"saddle_anaesthesia": True},
        started_at=timezone.now() - timedelta(days=14),
    )
    BodyChartMark.objects.create(
        clinic=episode.clinic,
        assessment=assessment,
        area="lower-back",
        view="back",
        side="centre",
        symptom="pain",
        intensity=7,
        depth="deep",
    )
    return assessment


@pytest.fixture
def plain_assessment(episode: Episode, alice: User) -> Assessment:
    """An assessment with no red flag: a stiff back."""
    assessment = Assessment.objects.create(
        clinic=episode.clinic,
        episode=episode,
        therapist=alice.therapist,
        onset="gradual",
        started_at=timezone.now() - timedelta(days=21),
    )
    RangeOfMotion.objects.create(
        clinic=episode.clinic,
        assessment=assessment,
        movement_id=movement_of("region.lumbar-pelvis"),
        side="centre",
        degrees=20,
    )
    return assessment


def movement_of(region: str) -> str:
    """The first movement the knowledge base lists for the region."""
    from softtissue.assessments.questions import movements

    return str(movements(region)[0]["id"])
