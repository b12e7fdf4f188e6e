"""Every treatments page: a visitor logs in, another clinic gets 404, reception gets 403."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.treatments.models import MedicalClearance, TreatmentNote, TreatmentPlan


@pytest.fixture
def urls(allowed_plan: TreatmentPlan, draft: TreatmentNote, level5: User) -> list[str]:
    clearance = MedicalClearance.objects.create(
        clinic=allowed_plan.clinic,
        plan=allowed_plan,
        given_by="Dr Okafor",
        given_on="2026-11-20",
        note="Cleared",
        recorded_by=level5,
    )
    episode = allowed_plan.episode.pk
    return [
        f"/episodes/{episode}/plans/new/",
        f"/plans/{allowed_plan.pk}/",
        f"/plans/{allowed_plan.pk}/acknowledge/",
        f"/plans/{allowed_plan.pk}/override/",
        f"/plans/{allowed_plan.pk}/clearance/",
        f"/clearances/{clearance.pk}/",
        f"/episodes/{episode}/notes/new/",
        f"/notes/{draft.pk}/",
        f"/notes/{draft.pk}/edit/",
        f"/notes/{draft.pk}/sign/",
        f"/notes/{draft.pk}/addenda/",
    ]


def test_it_sends_a_visitor_to_log_in(urls: list[str]) -> None:
    visitor = WebClient()
    for url in urls:
        response = visitor.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


def test_it_hides_everything_from_another_clinic(urls: list[str], charlie: User) -> None:
    outsider = WebClient()
    outsider.force_login(charlie)
    for url in urls:
        assert outsider.post(url).status_code == 404, url
        assert outsider.get(url).status_code in (404, 405), url
    assert TreatmentNote.objects.get().status == "draft"


def test_it_refuses_reception(urls: list[str], reception: User) -> None:
    desk = WebClient()
    desk.force_login(reception)
    for url in urls:
        assert desk.post(url).status_code == 403, url
