"""SOAP notes: draft, sign, locked for good, addenda; the gate checks each note's techniques."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import InsurancePolicy, User
from softtissue.assessments.models import Episode
from softtissue.treatments.models import (
    Addendum,
    SignedRecordError,
    TreatmentNote,
    TreatmentPlan,
)
from softtissue.treatments.signing import SigningError, add_addendum, chain_hash, note_content
from softtissue.treatments.signing import sign_note as sign
from tests.treatments.conftest import make_plan, note_data


def test_it_saves_a_draft_with_techniques_by_region(
    web: WebClient, allowed_plan: TreatmentPlan, level5: User
) -> None:
    episode = allowed_plan.episode
    rows = [("technique.soft-tissue-release", "region.elbow", "5 minutes, moderate")]
    response = web.post(f"/episodes/{episode.pk}/notes/new/", note_data(rows))
    note = TreatmentNote.objects.get()
    assert response["Location"] == f"/notes/{note.pk}/"
    assert note.status == "draft"
    assert note.techniques == [
        {
            "technique": "technique.soft-tissue-release",
            "region": "region.elbow",
            "dosage": "5 minutes, moderate",
        }
    ]
    page = web.get(f"/notes/{note.pk}/").content.decode()
    assert "Soft tissue release (STR), Elbow and forearm: 5 minutes, moderate" in page


def test_it_refuses_a_note_before_a_plan(web: WebClient, elbow: Episode, level5: User) -> None:
    web.force_login(level5)
    response = web.post(f"/episodes/{elbow.pk}/notes/new/", note_data([]))
    assert response.status_code == 400
    assert "Write a treatment plan" in response.content.decode()
    assert not TreatmentNote.objects.exists()


def test_it_refuses_a_note_while_the_plan_is_blocked(
    web: WebClient, hamstring: Episode, level3: User
) -> None:
    web.force_login(level3)
    make_plan(web, hamstring, [("technique.soft-tissue-release", "region.leg")])
    response = web.post(f"/episodes/{hamstring.pk}/notes/new/", note_data([]))
    assert response.status_code == 400
    assert not TreatmentNote.objects.exists()


def test_it_gates_a_technique_the_plan_did_not_name(
    web: WebClient, allowed_plan: TreatmentPlan
) -> None:
    episode = allowed_plan.episode
    rows = [("technique.joint-manipulation", "region.elbow", "")]
    response = web.post(f"/episodes/{episode.pk}/notes/new/", note_data(rows))
    assert response.status_code == 400
    assert "outside what you may do" in response.content.decode()
    assert not TreatmentNote.objects.exists()


def test_it_signs_and_locks_a_note(web: WebClient, draft: TreatmentNote, level5: User) -> None:
    web.post(f"/notes/{draft.pk}/sign/")
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by, draft.sequence) == ("signed", level5, 1)
    assert draft.previous_hash == ""
    assert draft.content_hash == chain_hash(note_content(draft), "")
    draft.subjective = "Changed after signing"
    with pytest.raises(SignedRecordError):
        draft.save()
    with pytest.raises(SignedRecordError):
        draft.delete()
    assert TreatmentNote.objects.get().subjective == "Better"
    response = web.post(f"/notes/{draft.pk}/edit/", {"subjective": "Changed"}, follow=True)
    assert "cannot be changed" in response.content.decode()
    assert TreatmentNote.objects.get().subjective == "Better"


def test_it_refuses_to_sign_twice(web: WebClient, draft: TreatmentNote, level5: User) -> None:
    sign(draft.pk, draft.clinic_id, level5)
    signed = TreatmentNote.objects.values().get()
    with pytest.raises(SigningError, match="already signed"):
        sign(draft.pk, draft.clinic_id, level5)
    response = web.post(f"/notes/{draft.pk}/sign/", follow=True)
    assert "already signed" in response.content.decode()
    assert TreatmentNote.objects.values().get() == signed


def test_it_chains_notes_and_addenda(web: WebClient, draft: TreatmentNote, level5: User) -> None:
    first = sign(draft.pk, draft.clinic_id, level5)
    response = web.post(f"/notes/{draft.pk}/addenda/", {"text": "Forgot: taped the forearm."})
    assert response.status_code == 302
    addendum = Addendum.objects.get()
    assert (addendum.sequence, addendum.previous_hash) == (2, first.content_hash)
    assert addendum.signed_by == level5
    assert "Forgot: taped the forearm." in web.get(f"/notes/{draft.pk}/").content.decode()
    second = TreatmentNote.objects.create(
        clinic=draft.clinic, episode=draft.episode, therapist=draft.therapist
    )
    second = sign(second.pk, draft.clinic_id, level5)
    assert (second.sequence, second.previous_hash) == (3, addendum.content_hash)


def test_it_refuses_an_addendum_to_a_draft(
    web: WebClient, draft: TreatmentNote, level5: User
) -> None:
    with pytest.raises(SigningError, match="still a draft"):
        add_addendum(draft.pk, draft.clinic_id, level5, "Too early")
    response = web.post(f"/notes/{draft.pk}/addenda/", {"text": "Too early"})
    assert response.status_code == 400
    assert "still a draft" in response.content.decode()
    assert not Addendum.objects.exists()


def test_it_refuses_an_empty_addendum(web: WebClient, draft: TreatmentNote, level5: User) -> None:
    sign(draft.pk, draft.clinic_id, level5)
    response = web.post(f"/notes/{draft.pk}/addenda/", {"text": ""})
    assert response.status_code == 400
    assert "Write the addendum." in response.content.decode()
    assert not Addendum.objects.exists()


def test_it_edits_a_draft(web: WebClient, draft: TreatmentNote) -> None:
    rows = [("technique.effleurage", "region.elbow", "")]
    web.post(f"/notes/{draft.pk}/edit/", note_data(rows, subjective="Edited before signing"))
    draft.refresh_from_db()
    assert draft.subjective == "Edited before signing"


def test_it_keeps_addenda_and_signed_notes_out_of_admin_edits(
    web: WebClient, draft: TreatmentNote, level5: User, owner: User
) -> None:
    sign(draft.pk, draft.clinic_id, level5)
    web.force_login(owner)
    assert web.get(f"/admin/treatments/treatmentnote/{draft.pk}/change/").status_code == 200
    posted = web.post(f"/admin/treatments/treatmentnote/{draft.pk}/change/", {"subjective": "x"})
    assert posted.status_code == 403
    assert web.post(f"/admin/treatments/treatmentnote/{draft.pk}/delete/").status_code == 403
    assert TreatmentNote.objects.get().subjective == "Better"


def test_it_refuses_an_unknown_technique_in_a_note(
    web: WebClient, allowed_plan: TreatmentPlan
) -> None:
    episode = allowed_plan.episode
    rows = [("technique.reiki", "region.elbow", "")]
    response = web.post(f"/episodes/{episode.pk}/notes/new/", note_data(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The knowledge base does not know technique.reiki" in page
    assert "Elbow better, 3/10 gripping" in page
    assert not TreatmentNote.objects.exists()


def test_it_runs_the_scope_gate_again_at_signing(
    web: WebClient, draft: TreatmentNote, level5: User
) -> None:
    today = timezone.localdate()
    # The policy lapsed after the draft was saved: the note must not be signed as a treatment.
    InsurancePolicy.objects.create(
        therapist=level5.therapist,
        insurer="Example Insurance",
        policy_number="PI-9",
        valid_from=today - timedelta(days=400),
        valid_to=today - timedelta(days=1),
        schedule="insurer.example-soft-tissue-therapy",
    )
    web.force_login(level5)
    response = web.post(f"/notes/{draft.pk}/sign/", follow=True)
    assert "Not signed: the scope gate no longer clears this." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == TreatmentNote.Status.DRAFT and draft.content_hash == ""
