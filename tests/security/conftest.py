"""Records in both clinics, for the tests that try to reach across."""

from __future__ import annotations

from datetime import date

import pytest

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Assessment, BodyChartMark, Episode
from softtissue.clients.models import Client
from softtissue.treatments.models import TreatmentPlan
from tests.assessments.conftest import give_consent


def make_assessment(clinic: Clinic, user: User, first_name: str) -> Assessment:
    """A consenting client with an open shoulder episode and one assessment."""
    client = Client.objects.create(
        clinic=clinic, first_name=first_name, last_name="Hale", date_of_birth=date(1985, 3, 2)
    )
    give_consent(client)
    episode = Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=user.therapist,
        presenting_problem="Sore shoulder",
        region="region.shoulder",
    )
    return Assessment.objects.create(clinic=clinic, episode=episode, therapist=user.therapist)


@pytest.fixture
def alices_assessment(clinic_a: Clinic, alice: User) -> Assessment:
    return make_assessment(clinic_a, alice, "Nina")


@pytest.fixture
def charlies_assessment(clinic_b: Clinic, charlie: User) -> Assessment:
    assessment = make_assessment(clinic_b, charlie, "Oscar")
    BodyChartMark.objects.create(
        clinic=clinic_b,
        assessment=assessment,
        area="neck",
        view="back",
        side="centre",
        symptom="pain",
        intensity=4,
    )
    return assessment


@pytest.fixture
def alices_client(alices_assessment: Assessment) -> Client:
    return alices_assessment.episode.client


@pytest.fixture
def charlies_episode(charlies_assessment: Assessment) -> Episode:
    return charlies_assessment.episode


@pytest.fixture
def alices_plan(alices_assessment: Assessment, alice: User) -> TreatmentPlan:
    return TreatmentPlan.objects.create(
        clinic=alices_assessment.clinic,
        episode=alices_assessment.episode,
        therapist=alice.therapist,
        goals="Reach overhead without pain",
        frequency="Weekly for 4 weeks",
        review_on=date(2030, 1, 15),
    )
