"""Demo data: loaded on request only, and loading it twice duplicates nothing."""

from __future__ import annotations

import pytest

from softtissue.accounts.models import Clinic, Membership, Qualification, Therapist, User
from softtissue.clients.consent import has_consent
from softtissue.clients.models import Client, Consent, MedicalHistoryItem, Medication
from softtissue.demo import DEMO_PASSWORD, load_demo
from softtissue.education.models import LeafletGiven

MODELS = (
    Clinic,
    User,
    Membership,
    Therapist,
    Qualification,
    Client,
    Consent,
    MedicalHistoryItem,
    Medication,
    LeafletGiven,
)


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


@pytest.mark.django_db
def test_it_is_idempotent() -> None:
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first == (2, 5, 5, 4, 3, 4, 12, 1, 1, 1)


@pytest.mark.django_db
def test_it_restores_a_changed_demo_password() -> None:
    load_demo()
    user = User.objects.get(email="l5@riverside.example")
    user.set_password("something-else-entirely")
    user.save()
    load_demo()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_it_gives_the_demo_therapists_their_levels() -> None:
    load_demo()
    held = {
        q.therapist.user.email: q.knowledge_id
        for q in Qualification.objects.select_related("therapist__user")
    }
    assert held == {
        "l3@riverside.example": "qualification.smt-l3",
        "l5@riverside.example": "qualification.stt-l5",
        "therapist@northgate.example": "qualification.sports-therapist-l6",
    }


@pytest.mark.django_db
def test_it_is_not_loaded_without_asking() -> None:
    assert counts() == (0,) * len(MODELS)


@pytest.mark.django_db
def test_it_gives_the_demo_clients_current_consent() -> None:
    load_demo()
    riverside = {
        client.full_name: client
        for client in Client.objects.filter(clinic__name="Riverside Soft Tissue Clinic")
    }
    assert {"Priya Shah", "Daniel Hughes", "Megan Ellis"} <= set(riverside)
    assert all(has_consent(client, "assessment_treatment") for client in riverside.values())
    assert Client.objects.filter(clinic__name="Northgate Sports Therapy").count() == 1
