"""Opening, showing and discharging episodes, and starting assessments (with consent)."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Client
from tests.assessments.conftest import give_consent


def test_it_opens_an_episode(web: WebClient, alice: User, priya: Client) -> None:
    web.force_login(alice)
    response = web.post(
        reverse("open_episode", args=[priya.pk]),
        {"presenting_problem": "Outer elbow pain", "region": "region.elbow"},
    )
    episode = Episode.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("episode_detail", args=[episode.pk])
    assert (episode.client, episode.clinic, episode.region) == (priya, priya.clinic, "region.elbow")
    assert episode.therapist == alice.therapist
    assert episode.is_open


def test_it_shows_the_open_episode_form(web: WebClient, alice: User, priya: Client) -> None:
    web.force_login(alice)
    response = web.get(reverse("open_episode", args=[priya.pk]))
    assert response.status_code == 200
    assert b'<label for="id_region">' in response.content
    assert b"Elbow and forearm" in response.content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"presenting_problem": "Knee pain", "region": "region.spleen"}, "region", b"not one of"),
        ({"presenting_problem": "", "region": "region.knee"}, "presenting_problem", b"required"),
        ({"presenting_problem": "Knee pain", "region": ""}, "region", b"required"),
    ],
)
def test_it_refuses_a_bad_episode(
    web: WebClient, alice: User, priya: Client, data: dict[str, str], field: str, message: bytes
) -> None:
    web.force_login(alice)
    response = web.post(reverse("open_episode", args=[priya.pk]), data)
    assert response.status_code == 400
    assert Episode.objects.count() == 0
    assert response.context["form"].errors[field]
    assert message in response.content
    if data["presenting_problem"]:
        assert data["presenting_problem"].encode() in response.content


def test_it_shows_an_episode(web: WebClient, alice: User, assessment: Assessment) -> None:
    web.force_login(alice)
    response = web.get(reverse("episode_detail", args=[assessment.episode_id]))
    assert response.status_code == 200
    assert b"Outer elbow pain when gripping" in response.content
    assert reverse("assessment_detail", args=[assessment.pk]).encode() in response.content


def test_it_discharges_an_episode(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    response = web.post(
        reverse("discharge_episode", args=[episode.pk]), {"reason": "Goals met, pain free"}
    )
    episode.refresh_from_db()
    assert response.status_code == 302
    assert not episode.is_open
    assert episode.discharge_reason == "Goals met, pain free"


def test_it_needs_a_reason_to_discharge(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    response = web.post(reverse("discharge_episode", args=[episode.pk]), {"reason": ""})
    episode.refresh_from_db()
    assert response.status_code == 400
    assert episode.is_open
    assert response.context["discharge_form"].errors["reason"]


def test_it_starts_an_initial_assessment_then_a_reassessment(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    url = reverse("start_assessment", args=[episode.pk])
    first = web.post(url)
    second = web.post(url)
    kinds = list(Assessment.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["initial", "reassessment"]
    assert first["Location"] == reverse(
        "assessment_detail", args=[Assessment.objects.order_by("pk").first().pk]
    )
    assert second.status_code == 302


def test_it_refuses_an_assessment_without_consent(
    web: WebClient, alice: User, episode: Episode
) -> None:
    give_consent(episode.client, given=False)
    web.force_login(alice)
    response = web.post(reverse("start_assessment", args=[episode.pk]), follow=True)
    assert Assessment.objects.count() == 0
    assert b"has not consented to assessment and treatment" in response.content


def test_it_refuses_an_assessment_when_consent_was_never_recorded(
    web: WebClient, alice: User, episode: Episode
) -> None:
    episode.client.consents.all().delete()
    web.force_login(alice)
    web.post(reverse("start_assessment", args=[episode.pk]))
    assert Assessment.objects.count() == 0


def test_it_refuses_to_assess_a_discharged_episode(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    web.post(reverse("discharge_episode", args=[episode.pk]), {"reason": "Moved away"})
    response = web.post(reverse("start_assessment", args=[episode.pk]), follow=True)
    assert Assessment.objects.count() == 0
    assert b"This episode is discharged" in response.content


def test_it_refuses_get_on_a_post_only_action(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    assert web.get(reverse("start_assessment", args=[episode.pk])).status_code == 405
    assert Assessment.objects.count() == 0
