"""Helpers for the API tests: tokens, JSON requests and a client with an assessed episode."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, Membership, User
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    Episode,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.clients.models import Client, Consent
from softtissue.interop.tokens import create_token

REGION = "region.elbow"


def bearer(user: User, read_only: bool = False) -> dict[str, str]:
    """Request headers carrying a fresh personal token of the user."""
    membership = Membership.objects.get(user=user)
    _, plain = create_token(membership, "test token", read_only)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def send(web: WebClient, method: str, path: str, body: Any = None, **headers: str) -> Any:
    """A request with a JSON body (a str is sent as it is, to test malformed bodies)."""
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return web.generic(method, path, data, content_type="application/json", **headers)


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """The answer has the status and the one error shape; returns the body."""
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert all(set(e) == {"loc", "msg"} for e in body["errors"])
    return body


@dataclass
class Record:
    """A client with consent, an episode and an assessment with a mark, a measurement and a test."""

    client: Client
    episode: Episode
    assessment: Assessment


def make_record(clinic: Clinic, user: User | None = None, last_name: str = "Shah") -> Record:
    client = Client(
        clinic=clinic,
        first_name="Priya",
        last_name=last_name,
        date_of_birth=date(1984, 3, 9),
        phone="07700 900123",
        email="priya@example.com",
    )
    client.save()
    Consent.objects.create(
        clinic=clinic,
        client=client,
        kind="assessment_treatment",
        method="in_person",
        signed_name=client.full_name,
        recorded_at=timezone.now(),
    )
    therapist = getattr(user, "therapist", None)
    episode = Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=therapist,
        presenting_problem="Pain on the outside of the elbow when gripping",
        region=REGION,
    )
    assessment = Assessment.objects.create(
        clinic=clinic, episode=episode, therapist=therapist, onset="gradual"
    )
    BodyChartMark.objects.create(
        clinic=clinic,
        assessment=assessment,
        area="elbow",
        view="front",
        side="right",
        symptom="pain",
        intensity=6,
        depth="deep",
    )
    RangeOfMotion.objects.create(
        clinic=clinic,
        assessment=assessment,
        movement_id="elbow-extension",
        side="right",
        degrees=120,
    )
    SpecialTestResult.objects.create(
        clinic=clinic, assessment=assessment, test_id="special-test.cozen", result="positive"
    )
    return Record(client, episode, assessment)
