"""An elbow episode in alice's clinic, treated as lateral elbow tendinopathy, and a programme."""

from __future__ import annotations

from datetime import date

import pytest

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.rehab.models import PrescribedExercise
from softtissue.rehab.services import prescribe

TENNIS_ELBOW = "condition.lateral-elbow-tendinopathy"


def make_episode(clinic: Clinic, user: User | None, condition: str = TENNIS_ELBOW) -> Episode:
    client = Client.objects.create(
        clinic=clinic, first_name="Dana", last_name="Moss", date_of_birth=date(1980, 5, 1)
    )
    return Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=getattr(user, "therapist", None),
        presenting_problem="Sore outer elbow after decorating",
        region="region.elbow",
        condition=condition,
    )


@pytest.fixture
def episode(alice: User, clinic_a: Clinic) -> Episode:
    return make_episode(clinic_a, alice)


@pytest.fixture
def prescribed(episode: Episode, alice: User) -> PrescribedExercise:
    return prescribe(episode, alice.therapist, "exercise.isometric-wrist-extension", 1, "")
