"""The therapist records the working impression being treated; outcomes are reported by it."""

from __future__ import annotations

from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode


def test_it_records_a_condition_of_the_episodes_region(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    page = web.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Lateral elbow tendinopathy (tennis elbow)" in page
    assert "Non-specific low back pain" not in page  # only the episode's region is offered
    response = web.post(
        f"/episodes/{episode.pk}/impression/",
        {"condition": "condition.lateral-elbow-tendinopathy"},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.condition == "condition.lateral-elbow-tendinopathy"


def test_it_refuses_a_condition_from_another_region(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    response = web.post(
        f"/episodes/{episode.pk}/impression/",
        {"condition": "condition.non-specific-low-back-pain"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    episode.refresh_from_db()
    assert episode.condition == ""


def test_it_refuses_another_clinic_and_reception(
    web: WebClient, episode: Episode, charlie: User, reception: User
) -> None:
    data = {"condition": "condition.lateral-elbow-tendinopathy"}
    web.force_login(charlie)
    assert web.post(f"/episodes/{episode.pk}/impression/", data).status_code == 404
    web.force_login(reception)
    assert web.post(f"/episodes/{episode.pk}/impression/", data).status_code == 403
    episode.refresh_from_db()
    assert episode.condition == ""
