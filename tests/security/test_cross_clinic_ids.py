"""Another clinic's ids inside a form's POST data or a JSON body are refused; nothing is saved."""

from __future__ import annotations

from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.appointments.models import Appointment
from softtissue.assessments.models import Assessment, BodyChartMark, Episode
from softtissue.clients.models import Client
from softtissue.outcomes.models import MeasureAdministration

MARK = {
    "mark-area": "neck",
    "mark-view": "back",
    "mark-side": "centre",
    "mark-symptom": "pain",
    "mark-intensity": "6",
    "mark-depth": "deep",
}


def test_it_refuses_another_clinics_therapist_when_booking(
    web: WebClient, alice: User, alices_client: Client, charlie: User
) -> None:
    web.force_login(alice)
    response = web.post(
        f"/clients/{alices_client.pk}/appointments/new/",
        {
            "therapist": str(charlie.therapist.pk),
            "starts_at": "2030-01-15T10:00",
            "duration_minutes": "45",
            "admin_note": "",
        },
    )
    assert response.status_code == 400
    assert b"Choose one of this clinic&#x27;s therapists." in response.content
    assert not Appointment.objects.exists()


def test_it_refuses_a_body_chart_mark_on_another_clinics_assessment(
    web: WebClient, alice: User, charlies_assessment: Assessment
) -> None:
    web.force_login(alice)
    before = BodyChartMark.objects.count()
    response = web.post(f"/assessments/{charlies_assessment.pk}/sections/chart/", MARK)
    assert response.status_code == 404
    assert BodyChartMark.objects.count() == before


def test_it_refuses_to_delete_another_clinics_mark_through_its_own_assessment(
    web: WebClient, alice: User, alices_assessment: Assessment, charlies_assessment: Assessment
) -> None:
    web.force_login(alice)
    mark = BodyChartMark.objects.get(assessment=charlies_assessment)
    response = web.post(f"/assessments/{alices_assessment.pk}/marks/{mark.pk}/delete/")
    assert response.status_code == 404
    assert BodyChartMark.objects.filter(pk=mark.pk).exists()


def test_it_refuses_a_plan_for_another_clinics_episode(
    web: WebClient, alice: User, charlies_episode: Episode
) -> None:
    web.force_login(alice)
    response = web.post(
        f"/episodes/{charlies_episode.pk}/plans/new/",
        {
            "goals": "Reach overhead",
            "frequency": "Weekly",
            "techniques-TOTAL_FORMS": "0",
            "techniques-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 404
    assert not charlies_episode.plans.exists()


def test_it_refuses_a_questionnaire_for_another_clinics_episode_in_json(
    web: WebClient, alice: User, charlies_episode: Episode
) -> None:
    web.force_login(alice)
    response = web.post(
        f"/api/v1/episodes/{charlies_episode.pk}/measures",
        {"measure": "measure.nprs", "answers": [3]},
        content_type="application/json",
        headers={"X-CSRFToken": "unused-with-the-test-client"},
    )
    assert response.status_code == 404
    assert not MeasureAdministration.objects.exists()


def test_it_refuses_a_clinic_id_inside_a_json_body(
    web: WebClient, alice: User, clinic_b: Clinic
) -> None:
    web.force_login(alice)
    response = web.post(
        "/api/v1/clients",
        {
            "first_name": "Petra",
            "last_name": "Quinn",
            "date_of_birth": "1990-05-06",
            "clinic_id": clinic_b.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "clinic_id" in response.json()["detail"]
    assert not Client.objects.filter(first_name="Petra").exists()
