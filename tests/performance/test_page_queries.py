"""The busiest pages cost the same number of queries with 2 or 30 clients, visits and notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import ModuleType

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext

from softtissue.accounts.models import User
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    Episode,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.clients.models import Client
from softtissue.outcomes.services import record_administration
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import sign_note

pytestmark = pytest.mark.django_db
ELBOW_MOVEMENTS = ("elbow-flexion", "elbow-extension", "forearm-pronation", "forearm-supination")
ELBOW_TESTS = ("special-test.cozen", "special-test.mill", "special-test.elbow-flexion-pressure")

# (page, path for the chosen client and its latest assessment, sent as an htmx request)
PAGES: list[tuple[str, Callable[[Client, Assessment], str], bool]] = [
    ("client list", lambda c, a: "/clients/", False),
    ("client search", lambda c, a: f"/clients/?q={c.last_name[:3]}", True),
    ("client page", lambda c, a: c.get_absolute_url(), False),
    ("assessment page", lambda c, a: a.get_absolute_url(), False),
    ("reasoning panel", lambda c, a: f"/assessments/{a.pk}/reasoning/", True),
    ("outcomes report", lambda c, a: "/outcomes/", False),
]


def add_visits(client: Client, user: User, count: int) -> Assessment:
    """`count` more episodes for the client, each assessed, measured and with a signed note."""
    therapist = user.therapist
    latest = None
    for number in range(count):
        episode = Episode.objects.create(
            clinic_id=client.clinic_id,
            client=client,
            therapist=therapist,
            presenting_problem=f"Visit {number}: pain on the outside of the elbow",
            region="region.elbow",
            condition="condition.lateral-elbow-tendinopathy",
        )
        latest = Assessment.objects.create(
            clinic_id=client.clinic_id,
            episode=episode,
            therapist=therapist,
            findings={"pain_nrs": 5},
        )
        for visit in range(2):
            administration = record_administration(episode, "quickdash", [2 + visit] * 11, user)
            administration.administered_at -= timedelta(days=10 - visit)
            administration.save(update_fields=["administered_at"])
        note = TreatmentNote.objects.create(
            clinic_id=client.clinic_id, episode=episode, therapist=therapist, subjective="Better"
        )
        sign_note(note.pk, client.clinic_id, user)
    assert latest is not None
    # The latest assessment's body chart, movements and tests grow too (as far as the
    # elbow's four movements, two sides and three tests allow).
    for number in range(count):
        BodyChartMark.objects.create(
            clinic_id=client.clinic_id,
            assessment=latest,
            area="elbow",
            view="front",
            side="right",
            symptom="pain",
            intensity=number % 10,
            depth="deep",
        )
    movements = [(m, s) for m in ELBOW_MOVEMENTS for s in ("left", "right")][:count]
    for movement, side in movements:
        RangeOfMotion.objects.create(
            clinic_id=client.clinic_id,
            assessment=latest,
            movement_id=movement,
            side=side,
            degrees=100,
        )
    for test in ELBOW_TESTS[:count]:
        SpecialTestResult.objects.create(
            clinic_id=client.clinic_id, assessment=latest, test_id=test, result="positive"
        )
    return latest


def page_queries(synthetic: ModuleType, clients: int, visits: int) -> dict[str, int]:
    """Queries each page makes in a synthetic clinic of `clients`, one having `visits` more."""
    built = synthetic.build_clinic(clients, seed=clients)
    user = User.objects.get(email=synthetic.login_email(built.clinic_id))
    client = Client.objects.filter(clinic_id=built.clinic_id).order_by("pk").first()
    assert client is not None
    assessment = add_visits(client, user, visits)
    web = WebClient()
    web.force_login(user)
    counts = {}
    for name, path, htmx in PAGES:
        headers = {"HX-Request": "true"} if htmx else {}
        web.get(path(client, assessment), headers=headers)  # warm the session and knowledge
        with CaptureQueriesContext(connection) as captured:
            response = web.get(path(client, assessment), headers=headers)
        assert response.status_code == 200, name
        counts[name] = len(captured.captured_queries)
    return counts


@pytest.fixture
def few(synthetic: ModuleType) -> dict[str, int]:
    return page_queries(synthetic, clients=2, visits=2)


@pytest.fixture
def many(synthetic: ModuleType) -> dict[str, int]:
    return page_queries(synthetic, clients=30, visits=30)


def test_it_needs_the_same_queries_for_2_or_30_clients_visits_and_notes(
    few: dict[str, int], many: dict[str, int]
) -> None:
    assert many == few, f"2 clients: {few}; 30 clients: {many}"
    assert set(few) == {name for name, _, _ in PAGES}


def test_it_keeps_every_page_under_twenty_queries(few: dict[str, int]) -> None:
    # A ceiling as well as a constant: twenty is generous, and catches a page growing a loop.
    assert {page: count for page, count in few.items() if count > 20} == {}
