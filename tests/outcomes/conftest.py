"""An episode in alice's clinic to give measures in."""

from __future__ import annotations

from datetime import date

import pytest

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client


def make_episode(
    clinic: Clinic, therapist_user: User | None = None, problem: str = "Low back pain"
) -> Episode:
    client = Client.objects.create(
        clinic=clinic, first_name="Dana", last_name="Moss", date_of_birth=date(1980, 5, 1)
    )
    return Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=getattr(therapist_user, "therapist", None),
        presenting_problem=problem,
        region="region.lumbar-pelvis",
    )


@pytest.fixture
def episode(alice: User, clinic_a: Clinic) -> Episode:
    return make_episode(clinic_a, alice)
