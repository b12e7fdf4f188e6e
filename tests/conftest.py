"""Shared fixtures: alice and bob work in clinic A, charlie in clinic B."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, Membership, Therapist, User

PASSWORD = "correct-horse-battery"


def make_member(email: str, clinic: Clinic, role: str, first_name: str) -> User:
    """A user with a membership (and a therapist profile for clinical roles)."""
    user = User.objects.create_user(email, PASSWORD, first_name=first_name)
    Membership.objects.create(user=user, clinic=clinic, role=role)
    if role in {"owner", "therapist"}:
        Therapist.objects.create(user=user, clinic=clinic)
    return user


@pytest.fixture
def clinic_a(db: None) -> Clinic:
    return Clinic.objects.create(name="Alice's Clinic")


@pytest.fixture
def clinic_b(db: None) -> Clinic:
    return Clinic.objects.create(name="Charlie's Clinic")


@pytest.fixture
def alice(clinic_a: Clinic) -> User:
    return make_member("alice@example.org", clinic_a, "therapist", "Alice")


@pytest.fixture
def bob(clinic_a: Clinic) -> User:
    return make_member("bob@example.org", clinic_a, "therapist", "Bob")


@pytest.fixture
def owner(clinic_a: Clinic) -> User:
    return make_member("olive@example.org", clinic_a, "owner", "Olive")


@pytest.fixture
def reception(clinic_a: Clinic) -> User:
    return make_member("rita@example.org", clinic_a, "reception", "Rita")


@pytest.fixture
def charlie(clinic_b: Clinic) -> User:
    return make_member("charlie@example.org", clinic_b, "owner", "Charlie")


@pytest.fixture
def web() -> WebClient:
    return WebClient()
