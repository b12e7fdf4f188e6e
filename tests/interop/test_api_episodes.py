"""Episode operations: list, open, read, record the working impression, discharge."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from tests.interop.api_helpers import REGION, assert_error, make_record, send

CONDITION = "condition.lateral-elbow-tendinopathy"


def test_it_lists_a_clients_episodes(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    body = web.get(f"/api/v1/clients/{record.client.pk}/episodes").json()
    assert body["count"] == 1
    assert body["items"][0]["region"] == REGION and body["items"][0]["is_open"] is True


def test_it_opens_an_episode(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    body = {"presenting_problem": "Sore knee after running", "region": "region.knee"}
    response = send(web, "POST", f"/api/v1/clients/{record.client.pk}/episodes", body)
    assert response.status_code == 201
    episode = Episode.objects.get(pk=response.json()["id"])
    assert episode.clinic == clinic_a and episode.therapist == alice.therapist
    assert (
        web.get(f"/api/v1/episodes/{episode.pk}").json()["presenting_problem"]
        == body["presenting_problem"]
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"presenting_problem": "Knee", "region": "region.tail"}, "region"),
        ({"presenting_problem": "", "region": "region.knee"}, "presenting_problem"),
        ({"presenting_problem": "Knee"}, "region"),
    ],
)
def test_it_refuses_a_bad_episode(
    web: WebClient, alice: User, clinic_a: Clinic, body: dict[str, str], where: str
) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    response = send(web, "POST", f"/api/v1/clients/{record.client.pk}/episodes", body)
    assert assert_error(response, 422)["errors"][0]["loc"] == ["body", where]
    assert Episode.objects.count() == 1


def test_it_records_the_working_impression(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    path = f"/api/v1/episodes/{record.episode.pk}/impression"
    assert send(web, "POST", path, {"condition": CONDITION}).json()["condition"] == CONDITION
    wrong_region = {"condition": "condition.hamstring-strain"}
    assert assert_error(send(web, "POST", path, wrong_region), 422)["errors"][0]["loc"] == [
        "body",
        "condition",
    ]
    record.episode.refresh_from_db()
    assert record.episode.condition == CONDITION


def test_it_discharges_once(web: WebClient, alice: User, clinic_a: Clinic) -> None:
    record = make_record(clinic_a, alice)
    web.force_login(alice)
    path = f"/api/v1/episodes/{record.episode.pk}/discharge"
    assert_error(send(web, "POST", path, {"reason": ""}), 422)
    response = send(web, "POST", path, {"reason": "Goals met"})
    assert response.status_code == 200
    assert response.json()["is_open"] is False
    assert response.json()["discharge_reason"] == "Goals met"
    again = send(web, "POST", path, {"reason": "Twice"})
    assert "already discharged" in assert_error(again, 409)["detail"]
    record.episode.refresh_from_db()
    assert record.episode.discharge_reason == "Goals met"


def test_it_keeps_episodes_from_reception_and_other_clinics(
    web: WebClient, reception: User, charlie: User, clinic_a: Clinic
) -> None:
    record = make_record(clinic_a)
    web.force_login(reception)
    body = {"presenting_problem": "Knee", "region": "region.knee"}
    assert_error(send(web, "POST", f"/api/v1/clients/{record.client.pk}/episodes", body), 403)
    web.force_login(charlie)
    assert_error(web.get(f"/api/v1/episodes/{record.episode.pk}"), 404)
    assert_error(web.get(f"/api/v1/clients/{record.client.pk}/episodes"), 404)
    path = f"/api/v1/episodes/{record.episode.pk}/discharge"
    assert_error(send(web, "POST", path, {"reason": "x"}), 404)
    record.episode.refresh_from_db()
    assert record.episode.is_open
