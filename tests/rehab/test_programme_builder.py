"""The builder: suggestions by phase, search, add, reorder, change, remove; bad input refused."""

from __future__ import annotations

from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.rehab.models import PrescribedExercise, Programme
from tests.rehab.conftest import make_episode


def page(web: WebClient, episode: Episode, query: str = "") -> str:
    response = web.get(f"/episodes/{episode.pk}/rehab/{query}")
    assert response.status_code == 200
    return response.content.decode()


def add(web: WebClient, episode: Episode, **data: str):  # type: ignore[no-untyped-def]
    return web.post(f"/episodes/{episode.pk}/rehab/add/", data)


def test_it_suggests_the_phases_of_the_working_impression(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    html = page(web, episode)
    assert "Phase 1: Settle and isometric loading" in html
    assert "Pain during isometrics 3/10 or less" in html
    assert "5 x 45 s holds, about 70% effort, daily" in html
    assert "Phase 3: Function and sport" in html
    assert not Programme.objects.exists(), "looking saves nothing"


def test_it_asks_for_a_working_impression_first(web: WebClient, alice: User) -> None:
    episode = make_episode(alice.membership.clinic, alice, condition="")
    web.force_login(alice)
    assert "Record the working impression being treated" in page(web, episode)


def test_it_filters_exercises_by_region_and_purpose(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    html = page(web, episode)  # the episode's region by default
    assert "Slow lowering wrist extension" in html
    assert "Chin tuck" not in html
    html = page(web, episode, "?region=region.neck&purpose=motor_control")
    assert "Chin tuck" in html
    assert "Neck rotation" not in html  # mobility
    html = page(web, episode, "?region=&purpose=&q=bridge")
    assert "Glute bridge" in html and "Chin tuck" not in html


def test_it_adds_an_exercise_with_the_knowledge_bases_dosage(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    response = add(web, episode, exercise="exercise.wrist-extension-curl", phase="2")
    assert response.status_code == 302
    row = PrescribedExercise.objects.get()
    assert (row.exercise, row.phase, row.clinic_id) == (
        "exercise.wrist-extension-curl",
        2,
        episode.clinic_id,
    )
    assert row.dosage.startswith("sets ")
    assert row.programme.therapist == alice.therapist
    html = page(web, episode)
    assert "Wrist extension curl" in html
    assert "3 sets pain 3/10 or less" in html, "criteria to progress of phase 2"


def test_it_keeps_the_dosage_given(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    add(web, episode, exercise="exercise.isometric-wrist-extension", phase="1", dosage="5 x 45 s")
    assert PrescribedExercise.objects.get().dosage == "5 x 45 s"


def test_it_refuses_an_unknown_exercise(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    response = add(web, episode, exercise="exercise.levitation", phase="1")
    assert response.status_code == 400
    assert "&#x27;exercise.levitation&#x27; is not an exercise in the knowledge base" in (
        response.content.decode()
    )
    assert not Programme.objects.exists()
    assert not PrescribedExercise.objects.exists()


def test_it_refuses_a_bad_phase(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    for phase in ["0", "10", "two", ""]:
        response = add(web, episode, exercise="exercise.isometric-wrist-extension", phase=phase)
        assert response.status_code == 400, phase
    assert not PrescribedExercise.objects.exists()


def test_it_reorders(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    for exercise in ["exercise.isometric-wrist-extension", "exercise.wrist-extensor-stretch"]:
        add(web, episode, exercise=exercise, phase="1")
    _, second = PrescribedExercise.objects.all()
    url = f"/episodes/{episode.pk}/rehab/exercises/{second.pk}/move/"
    assert web.post(url, {"direction": "up"}).status_code == 302
    assert [p.exercise for p in PrescribedExercise.objects.all()] == [
        "exercise.wrist-extensor-stretch",
        "exercise.isometric-wrist-extension",
    ]
    web.post(url, {"direction": "up"})  # already first: nothing moves
    assert PrescribedExercise.objects.first() == second
    assert web.post(url, {"direction": "sideways"}).status_code == 400


def test_it_changes_phase_and_dosage(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    prefix = f"ex{prescribed.pk}"
    url = f"/episodes/{episode.pk}/rehab/exercises/{prescribed.pk}/"
    response = web.post(url, {f"{prefix}-phase": "2", f"{prefix}-dosage": "3 x 15, daily"})
    assert response.status_code == 302
    prescribed.refresh_from_db()
    assert (prescribed.phase, prescribed.dosage) == (2, "3 x 15, daily")


def test_it_keeps_bad_changes_out(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    prefix = f"ex{prescribed.pk}"
    url = f"/episodes/{episode.pk}/rehab/exercises/{prescribed.pk}/"
    response = web.post(url, {f"{prefix}-phase": "12", f"{prefix}-dosage": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give a dosage" in html
    assert "Select a valid choice" in html
    before = prescribed.dosage
    prescribed.refresh_from_db()
    assert (prescribed.phase, prescribed.dosage) == (1, before)


def test_it_removes(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    response = web.post(f"/episodes/{episode.pk}/rehab/exercises/{prescribed.pk}/remove/")
    assert response.status_code == 302
    assert not PrescribedExercise.objects.exists()


def test_it_saves_notes_for_the_client(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    url = f"/episodes/{episode.pk}/rehab/notes/"
    assert web.post(url, {"notes": "Little and often."}).status_code == 302
    assert Programme.objects.get().notes == "Little and often."
    response = web.post(url, {"notes": "x" * 2001})
    assert response.status_code == 400
    assert "x" * 2001 in response.content.decode(), "what was typed is kept"
    assert Programme.objects.get().notes == "Little and often."


def test_it_refuses_notes_before_a_programme(web: WebClient, alice: User, episode: Episode) -> None:
    web.force_login(alice)
    assert web.post(f"/episodes/{episode.pk}/rehab/notes/", {"notes": "x"}).status_code == 404


def test_it_says_when_the_condition_has_no_such_phase(
    web: WebClient, alice: User, episode: Episode
) -> None:
    web.force_login(alice)
    add(web, episode, exercise="exercise.putty-grip", phase="5")
    html = page(web, episode)
    assert "has no phase 5: set your own criteria" in html


def test_it_only_changes_on_post(
    web: WebClient, alice: User, episode: Episode, prescribed: PrescribedExercise
) -> None:
    web.force_login(alice)
    base = f"/episodes/{episode.pk}/rehab/"
    for url in [f"{base}add/", f"{base}link/", f"{base}exercises/{prescribed.pk}/remove/"]:
        assert web.get(url).status_code == 405, url
    assert PrescribedExercise.objects.count() == 1
