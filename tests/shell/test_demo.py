"""Demo data: loaded on request only, and loading it twice duplicates nothing."""

from __future__ import annotations

import pytest

from softtissue.accounts.models import Clinic, Membership, Qualification, Therapist, User
from softtissue.demo import DEMO_PASSWORD, load_demo


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Clinic, User, Membership, Therapist, Qualification)
    )


@pytest.mark.django_db
def test_it_is_idempotent() -> None:
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first == (2, 5, 5, 4, 3)


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
    assert counts() == (0, 0, 0, 0, 0)
