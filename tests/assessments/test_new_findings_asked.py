"""The assessment page asks the findings recently added to the knowledge, in the right region."""

from __future__ import annotations

import re

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client

ASKED = {
    "region.lumbar-pelvis": ("low_back_pain", "start_back_risk"),
    "region.knee": (
        "knee_pop_at_injury",
        "knee_swelling_within_2_hours",
        "medial_joint_line_tenderness",
        "lateral_joint_line_tenderness",
    ),
}


def asked_codes(html: str) -> set[str]:
    """Finding codes with a field in the screening or region section."""
    return set(re.findall(r'name="(?:screening|region)-([a-z0-9_]+)"', html))


def page(web: WebClient, alice: User, priya: Client, region: str) -> str:
    episode = Episode.objects.create(
        clinic=priya.clinic,
        client=priya,
        therapist=alice.therapist,
        presenting_problem="Pain",
        region=region,
    )
    assessment = Assessment.objects.create(clinic=priya.clinic, episode=episode)
    web.force_login(alice)
    response = web.get(reverse("assessment_detail", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("region", "codes"), ASKED.items())
def test_it_asks_the_new_findings_of_the_region(
    web: WebClient, alice: User, priya: Client, region: str, codes: tuple[str, ...]
) -> None:
    asked = asked_codes(page(web, alice, priya, region))
    assert set(codes) - asked == set()


@pytest.mark.parametrize(
    ("region", "code"),
    [("region.elbow", "start_back_risk"), ("region.lumbar-pelvis", "knee_pop_at_injury")],
)
def test_it_does_not_ask_them_elsewhere(
    web: WebClient, alice: User, priya: Client, region: str, code: str
) -> None:
    assert code not in asked_codes(page(web, alice, priya, region))
