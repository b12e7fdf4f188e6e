"""A draft note saved from two windows, or PATCHed from a stale read: no change is lost."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as WebClient

from softtissue.interop.api_common import clinic_object
from softtissue.treatments import api as treatments_api
from softtissue.treatments.models import TreatmentNote
from tests.interop.api_helpers import send
from tests.page_forms import form_values

EFFLEURAGE = {"technique": "technique.effleurage", "region": "region.elbow", "dosage": ""}
RELEASE = {
    "technique": "technique.soft-tissue-release",
    "region": "region.elbow",
    "dosage": "5 min",
}


def open_edit(web: WebClient, note: TreatmentNote) -> dict[str, str]:
    return form_values(web.get(f"/notes/{note.pk}/edit/"), "")


def test_it_keeps_the_changes_of_both_windows(web: WebClient, draft: TreatmentNote) -> None:
    first, second = open_edit(web, draft), open_edit(web, draft)
    url = f"/notes/{draft.pk}/edit/"
    assert web.post(url, {**first, "subjective": "Gripping 2/10"}).status_code == 302
    assert web.post(url, {**second, "plan": "Progress loading"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.subjective, draft.plan) == ("Gripping 2/10", "Progress loading")


def test_it_keeps_techniques_changed_in_the_other_window(
    web: WebClient, draft: TreatmentNote
) -> None:
    first, second = open_edit(web, draft), open_edit(web, draft)
    url = f"/notes/{draft.pk}/edit/"
    with_release = {
        **first,
        "techniques-1-technique": RELEASE["technique"],
        "techniques-1-region": RELEASE["region"],
        "techniques-1-dosage": RELEASE["dosage"],
    }
    assert web.post(url, with_release).status_code == 302
    assert web.post(url, {**second, "advice": "Ice after loading"}).status_code == 302
    draft.refresh_from_db()
    assert draft.techniques == [EFFLEURAGE, RELEASE]
    assert draft.advice == "Ice after loading"


def test_it_refuses_techniques_changed_in_both_windows(
    web: WebClient, draft: TreatmentNote
) -> None:
    first, second = open_edit(web, draft), open_edit(web, draft)
    url = f"/notes/{draft.pk}/edit/"
    web.post(url, {**first, "techniques-0-dosage": "10 min"})
    refused = web.post(url, {**second, "techniques-0-dosage": "2 min"})
    assert refused.status_code == 400
    assert "The techniques were changed since the page was opened" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.techniques == [{**EFFLEURAGE, "dosage": "10 min"}]
    again = form_values(refused, "")
    assert web.post(url, again).status_code == 302
    draft.refresh_from_db()
    assert draft.techniques == [{**EFFLEURAGE, "dosage": "2 min"}]


def test_it_keeps_a_field_a_stale_patch_did_not_send(
    web: WebClient, draft: TreatmentNote, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_then_other_window_saves(request: Any, model: Any, pk: int, **filters: Any) -> Any:
        row = clinic_object(request, model, pk, **filters)
        TreatmentNote.objects.filter(pk=pk).update(objective="Grip 25 kg")
        return row

    monkeypatch.setattr(treatments_api, "clinic_object", read_then_other_window_saves)
    response = send(web, "PATCH", f"/api/v1/notes/{draft.pk}", {"plan": "Review Friday"})
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.plan, draft.objective) == ("Review Friday", "Grip 25 kg")
