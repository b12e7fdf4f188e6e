"""The client page costs the same number of queries after 1 visit or 200."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client


def add_visits(client: Client, alice: User, count: int) -> None:
    for number in range(count):
        episode = Episode.objects.create(
            clinic=client.clinic,
            client=client,
            therapist=alice.therapist,
            presenting_problem=f"Visit {number}: elbow pain",
            region="region.elbow",
        )
        Assessment.objects.create(
            clinic=client.clinic,
            episode=episode,
            therapist=alice.therapist,
            findings={"lateral_elbow_pain": True, "night_pain": bool(number % 2)},
        )


def test_it_needs_the_same_queries_for_1_or_200_visits(
    web: WebClient, alice: User, priya: Client, django_assert_max_num_queries: Any
) -> None:
    web.force_login(alice)
    add_visits(priya, alice, 1)
    web.get(priya.get_absolute_url())  # the session and the knowledge are warm
    with CaptureQueriesContext(connection) as one:
        assert web.get(priya.get_absolute_url()).status_code == 200
    add_visits(priya, alice, 199)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = web.get(priya.get_absolute_url())
    assert response.content.decode().count("elbow pain</a>") == 200
