"""The printable home programme: a PDF with the exercises and nothing else about the client."""

from __future__ import annotations

from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.rehab.models import PrescribedExercise, Programme
from softtissue.rehab.views import home_programme_html


def test_it_answers_a_pdf_with_a_filename(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    response = web.get(f"/episodes/{episode.pk}/rehab/home-programme.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="home-exercise-programme.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert "Moss" not in response["Content-Disposition"]


def test_it_prints_the_exercise_for_the_client_by_first_name(
    alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    alice.last_name = "Lake"
    alice.save()
    programme = Programme.objects.get()
    programme.notes = "Little and often."
    programme.save()
    html = home_programme_html(programme)
    assert "Home exercise programme for Dana" in html
    assert "Isometric wrist extension" in html
    assert "Sit with your forearm resting on a table" in html, "the plain-English instructions"
    assert prescribed.dosage in html
    assert "<strong>You need:</strong> table" in html
    assert "Alice Lake" in html
    assert "Little and often." in html


def test_it_leaves_other_health_data_out(
    alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    html = home_programme_html(Programme.objects.get())
    for private in ["Moss", "1980", "decorating", "tendinopathy", "tennis elbow", "Tennis"]:
        assert private not in html, private


def test_it_has_nothing_to_print_before_exercises_are_added(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    assert web.get(f"/episodes/{episode.pk}/rehab/home-programme.pdf").status_code == 404
