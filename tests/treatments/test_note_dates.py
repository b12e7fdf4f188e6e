"""A session date from the day the episode opened to today; a review date within two years.

Issue 22, item 9: a note dated 2099 (or year 1) was accepted and signed, pushing the client's
retention to 2106 with no way to correct it; plans took review dates in 1900 or 9999.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Episode
from softtissue.treatments.models import TreatmentNote, TreatmentPlan, years_after
from tests.treatments.conftest import make_plan, note_data, plan_data

ROWS = [("technique.effleurage", "region.elbow", "")]
PLAN_ROWS = [("technique.soft-tissue-release", "region.elbow")]
FUTURE = "is after today"
BEFORE_EPISODE = "is before this episode was opened"


def today() -> date:
    return timezone.localdate()


def api(web: WebClient, method: str, path: str, body: object) -> Any:
    return web.generic(method, f"/api/v1{path}", json.dumps(body), content_type="application/json")


@pytest.fixture
def opened_last_month(elbow: Episode) -> Episode:
    Episode.objects.filter(pk=elbow.pk).update(opened_at=timezone.now() - timedelta(days=30))
    elbow.refresh_from_db()
    return elbow


def session_cases() -> list[Any]:
    return [
        pytest.param(today() + timedelta(days=1), FUTURE, id="tomorrow"),
        pytest.param(date(2099, 1, 1), FUTURE, id="2099"),
        pytest.param(date(1, 1, 1), BEFORE_EPISODE, id="year-1"),
        pytest.param(today() - timedelta(days=31), BEFORE_EPISODE, id="before-the-episode"),
    ]


@pytest.mark.parametrize(("day", "problem"), session_cases())
def test_it_refuses_a_session_date_on_the_page(
    web: WebClient, allowed_plan: TreatmentPlan, opened_last_month: Episode, day: date, problem: str
) -> None:
    response = web.post(
        f"/episodes/{opened_last_month.pk}/notes/new/",
        note_data(ROWS, session_date=day.isoformat()),
    )
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not TreatmentNote.objects.exists()


@pytest.mark.parametrize(("day", "problem"), session_cases())
def test_it_refuses_a_session_date_in_the_api(
    web: WebClient, allowed_plan: TreatmentPlan, opened_last_month: Episode, day: date, problem: str
) -> None:
    body = {"session_date": day.isoformat(), "subjective": "Better", "techniques": []}
    response = api(web, "POST", f"/episodes/{opened_last_month.pk}/notes", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "session_date"]]
    assert problem in errors[0]["msg"]
    assert not TreatmentNote.objects.exists()


@pytest.mark.parametrize(("day", "problem"), session_cases())
def test_it_refuses_a_session_date_changed_in_the_api(
    web: WebClient, draft: TreatmentNote, opened_last_month: Episode, day: date, problem: str
) -> None:
    response = api(web, "PATCH", f"/notes/{draft.pk}", {"session_date": day.isoformat()})
    assert response.status_code == 422
    assert problem in response.json()["errors"][0]["msg"]
    assert TreatmentNote.objects.get(pk=draft.pk).session_date == today()


@pytest.mark.parametrize(("day", "problem"), session_cases())
def test_the_model_refuses_a_session_date(
    opened_last_month: Episode, day: date, problem: str
) -> None:
    note = TreatmentNote(clinic_id=opened_last_month.clinic_id, episode=opened_last_month)
    note.session_date = day
    with pytest.raises(ValidationError) as raised:
        note.full_clean()
    assert problem in " ".join(raised.value.message_dict["session_date"])


@pytest.mark.parametrize("door", ["page", "api"])
def test_it_refuses_to_sign_a_draft_dated_in_the_future(
    web: WebClient, draft: TreatmentNote, bob: User, door: str
) -> None:
    TreatmentNote.objects.filter(pk=draft.pk).update(session_date=date(2099, 1, 1))
    if door == "page":
        response = web.post(f"/notes/{draft.pk}/sign/", follow=True)
        assert FUTURE in response.content.decode()
    else:
        response = api(web, "POST", f"/notes/{draft.pk}/sign", {})
        assert response.status_code == 409
        assert FUTURE in response.json()["detail"]
    assert TreatmentNote.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(lambda episode: today(), id="today"),
        pytest.param(lambda episode: timezone.localdate(episode.opened_at), id="opening-day"),
    ],
)
def test_it_takes_a_session_date_in_bounds(
    web: WebClient, allowed_plan: TreatmentPlan, opened_last_month: Episode, day: Any
) -> None:
    session = day(opened_last_month)
    response = web.post(
        f"/episodes/{opened_last_month.pk}/notes/new/",
        note_data(ROWS, session_date=session.isoformat()),
    )
    assert response.status_code == 302
    assert TreatmentNote.objects.get().session_date == session


BEFORE_PLAN = "is before the plan is made"
TOO_LATE = "is more than 2 years after the plan is made"


def review_cases() -> list[Any]:
    return [
        pytest.param(date(1900, 1, 1), BEFORE_PLAN, id="1900"),
        pytest.param(today() - timedelta(days=1), BEFORE_PLAN, id="yesterday"),
        pytest.param(years_after(today(), 2) + timedelta(days=1), TOO_LATE, id="past-2-years"),
        pytest.param(date(9999, 12, 31), TOO_LATE, id="9999"),
    ]


@pytest.mark.parametrize(("day", "problem"), review_cases())
def test_it_refuses_a_review_date_on_the_page(
    web: WebClient, elbow: Episode, level5: User, day: date, problem: str
) -> None:
    web.force_login(level5)
    response = web.post(
        f"/episodes/{elbow.pk}/plans/new/",
        plan_data(PLAN_ROWS, condition=elbow.condition, review_on=day.isoformat()),
    )
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not TreatmentPlan.objects.exists()


@pytest.mark.parametrize(("day", "problem"), review_cases())
def test_it_refuses_a_review_date_in_the_api(
    web: WebClient, elbow: Episode, level5: User, day: date, problem: str
) -> None:
    web.force_login(level5)
    body = {
        "goals": "Grip a kettle without pain",
        "condition": elbow.condition,
        "frequency": "Weekly",
        "review_on": day.isoformat(),
    }
    response = api(web, "POST", f"/episodes/{elbow.pk}/plans", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "review_on"]]
    assert problem in errors[0]["msg"]
    assert not TreatmentPlan.objects.exists()


@pytest.mark.parametrize(("day", "problem"), review_cases())
def test_the_model_refuses_a_review_date(elbow: Episode, day: date, problem: str) -> None:
    plan = TreatmentPlan(
        clinic_id=elbow.clinic_id, episode=elbow, goals="Grip", frequency="Weekly", review_on=day
    )
    with pytest.raises(ValidationError) as raised:
        plan.full_clean()
    assert problem in " ".join(raised.value.message_dict["review_on"])


def test_it_takes_a_review_date_two_years_ahead(
    web: WebClient, elbow: Episode, level5: User
) -> None:
    web.force_login(level5)
    latest = years_after(today(), 2)
    plan = make_plan(web, elbow, PLAN_ROWS)
    assert plan.review_on > today()
    response = web.post(
        f"/episodes/{elbow.pk}/plans/new/",
        plan_data(PLAN_ROWS, condition=elbow.condition, review_on=latest.isoformat()),
    )
    assert response.status_code == 302
    assert TreatmentPlan.objects.filter(review_on=latest).exists()


@pytest.mark.parametrize(
    ("day", "after"),
    [(date(2027, 3, 1), date(2029, 3, 1)), (date(2028, 2, 29), date(2030, 2, 28))],
)
def test_it_counts_two_years_on(day: date, after: date) -> None:
    assert years_after(day, 2) == after
