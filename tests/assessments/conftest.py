"""Fixtures: a client of clinic A with consent, an elbow episode and its assessment."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from softtissue.accounts.models import Clinic, Qualification, User
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client, Consent


def give_consent(client: Client, given: bool = True) -> Consent:
    """Record consent (or its withdrawal) to assessment and treatment."""
    return Consent.objects.create(
        clinic=client.clinic,
        client=client,
        kind=Consent.Kind.ASSESSMENT_TREATMENT,
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
        sex="female",
    )
    give_consent(client)
    return client


@pytest.fixture
def episode(priya: Client, alice: User) -> Episode:
    return Episode.objects.create(
        clinic=priya.clinic,
        client=priya,
        therapist=alice.therapist,
        presenting_problem="Outer elbow pain when gripping",
        region="region.elbow",
    )


@pytest.fixture
def assessment(episode: Episode, alice: User) -> Assessment:
    Qualification.objects.create(therapist=alice.therapist, knowledge_id="qualification.stt-l5")
    return Assessment.objects.create(
        clinic=episode.clinic, episode=episode, therapist=alice.therapist
    )


@pytest.fixture
def back_assessment(priya: Client, alice: User) -> Assessment:
    episode = Episode.objects.create(
        clinic=priya.clinic,
        client=priya,
        therapist=alice.therapist,
        presenting_problem="Low back pain",
        region="region.lumbar-pelvis",
    )
    return Assessment.objects.create(clinic=priya.clinic, episode=episode)
