"""Only a draft's author changes or signs it; a colleague adds a signed addendum once it is signed.

Issue 22, item 3: a colleague could rewrite and sign another therapist's draft, which then read
as the first therapist's work, on the page and through the API.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as WebClient

from softtissue.accounts.models import Qualification, User
from softtissue.treatments.models import Addendum, TreatmentNote
from softtissue.treatments.signing import sign_note
from tests.treatments.conftest import L5, note_data

ROWS = [("technique.effleurage", "region.elbow", "")]


def api(web: WebClient, method: str, path: str, body: object = None) -> Any:
    data = "" if body is None else json.dumps(body)
    return web.generic(method, f"/api/v1{path}", data, content_type="application/json")


def page_edit(web: WebClient, note: TreatmentNote) -> int:
    return web.post(f"/notes/{note.pk}/edit/", note_data(ROWS, subjective="Rewritten")).status_code


def page_sign(web: WebClient, note: TreatmentNote) -> int:
    return web.post(f"/notes/{note.pk}/sign/").status_code


def api_edit(web: WebClient, note: TreatmentNote) -> int:
    return api(web, "PATCH", f"/notes/{note.pk}", {"subjective": "Rewritten"}).status_code


def api_sign(web: WebClient, note: TreatmentNote) -> int:
    return api(web, "POST", f"/notes/{note.pk}/sign").status_code


@pytest.fixture
def colleague(alice: User) -> User:
    """Alice works beside bob and holds the same Level 5 qualification: the gate clears her."""
    Qualification.objects.create(therapist=alice.therapist, knowledge_id=L5)
    return alice


DOORS = [
    pytest.param(page_edit, 302, id="page-edit"),
    pytest.param(page_sign, 302, id="page-sign"),
    pytest.param(api_edit, 403, id="api-edit"),
    pytest.param(api_sign, 403, id="api-sign"),
]


@pytest.mark.parametrize(("door", "status"), DOORS)
def test_it_refuses_a_colleague_changing_or_signing_a_draft(
    web: WebClient, draft: TreatmentNote, colleague: User, door: Any, status: int
) -> None:
    web.force_login(colleague)  # bob wrote the draft
    assert door(web, draft) == status
    stored = TreatmentNote.objects.get(pk=draft.pk)
    assert (stored.subjective, stored.status, stored.signed_by_id) == ("Better", "draft", None)
    assert stored.therapist_id == draft.therapist_id


def test_it_says_whose_draft_it_is_on_the_page(
    web: WebClient, draft: TreatmentNote, colleague: User
) -> None:
    web.force_login(colleague)
    response = web.post(f"/notes/{draft.pk}/sign/", follow=True)
    assert "This draft is Bob&#x27;s: only they can change or sign it." in response.content.decode()
    page = web.get(f"/notes/{draft.pk}/").content.decode()
    assert f"/notes/{draft.pk}/edit/" not in page
    assert f"/notes/{draft.pk}/sign/" not in page
    assert "only they can change or sign it" in page
    assert web.get(f"/notes/{draft.pk}/edit/").status_code == 302


def test_it_says_whose_draft_it_is_in_the_api(
    web: WebClient, draft: TreatmentNote, colleague: User
) -> None:
    web.force_login(colleague)
    response = api(web, "POST", f"/notes/{draft.pk}/sign")
    assert response.status_code == 403
    assert "This draft is Bob's: only they can change or sign it." in response.json()["detail"]


@pytest.mark.parametrize(
    ("door", "status"),
    [
        pytest.param(page_edit, 302, id="page-edit"),
        pytest.param(api_edit, 200, id="api-edit"),
    ],
)
def test_it_lets_the_author_change_the_draft(
    web: WebClient, draft: TreatmentNote, bob: User, door: Any, status: int
) -> None:
    web.force_login(bob)
    assert door(web, draft) == status
    assert TreatmentNote.objects.get(pk=draft.pk).subjective == "Rewritten"


@pytest.mark.parametrize("door", [page_sign, api_sign], ids=["page", "api"])
def test_it_lets_the_author_sign_the_draft(
    web: WebClient, draft: TreatmentNote, bob: User, door: Any
) -> None:
    web.force_login(bob)
    door(web, draft)
    stored = TreatmentNote.objects.get(pk=draft.pk)
    assert (stored.status, stored.signed_by_id) == ("signed", bob.pk)


@pytest.mark.parametrize("through", ["page", "api"])
def test_it_lets_a_colleague_add_a_signed_addendum_once_signed(
    web: WebClient, draft: TreatmentNote, colleague: User, bob: User, through: str
) -> None:
    sign_note(draft.pk, draft.clinic_id, bob)
    web.force_login(colleague)
    if through == "page":
        web.post(f"/notes/{draft.pk}/addenda/", {"text": "Seen in clinic: taped the forearm."})
    else:
        api(web, "POST", f"/notes/{draft.pk}/addenda", {"text": "Seen: taped the forearm."})
    addendum = Addendum.objects.get(note=draft)
    assert addendum.signed_by_id == colleague.pk
    assert TreatmentNote.objects.get(pk=draft.pk).signed_by_id == bob.pk
