"""A referral letter is drafted from the record, rendered to PDF and kept."""

from __future__ import annotations

from typing import Any

from django.test import Client as WebClient

from softtissue.accounts.models import Qualification, User
from softtissue.assessments.models import Assessment, Episode
from softtissue.letters.models import Letter


def referral_url(episode: Episode) -> str:
    return f"/episodes/{episode.pk}/letters/new/?kind=referral"


def posted(**changes: str) -> dict[str, Any]:
    data = {
        "recipient": "gp",
        "recipient_name": "Dr Okafor",
        "recipient_address": "Riverside Surgery\n1 High Street",
        "reason": "Saddle numbness reported today.",
        "history": "Low back pain after lifting",
        "findings": "Body chart: pain in the lower back",
        "treatment": "",
        "current_status": "Treatment has stopped.",
        "request": "Please assess the client.",
    }
    data.update(changes)
    return data


def test_it_drafts_the_reason_and_history_from_the_record(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    web.force_login(alice)
    response = web.get(referral_url(assessment.episode))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Possible cauda equina syndrome" in page
    assert "999 or A&amp;E now" in page
    assert "Lifting a sofa" in page
    assert "Saddle numbness: yes" in page
    assert "Pain at the lower back" in page
    assert "BTEC Level 5 Professional Diploma in Soft Tissue Therapy" in page
    # An emergency flag addresses the letter to A&E.
    assert 'value="emergency" selected' in page or 'value="emergency" checked' in page


def test_it_drafts_the_scope_block_when_no_flag_fired(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    episode = plain_assessment.episode
    Qualification.objects.filter(therapist=alice.therapist).delete()
    Qualification.objects.create(therapist=alice.therapist, knowledge_id="qualification.smt-l3")
    episode.condition = "condition.lumbar-radiculopathy"
    episode.save()
    web.force_login(alice)
    response = web.get(referral_url(episode))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thoracolumbar flexion (not sided): 20°: 60° below normal" in page
    reason = response.context["form"].initial["reason"]
    assert reason, "a scope block gives the reason for referral"


def test_it_renders_and_keeps_the_pdf(web: WebClient, alice: User, assessment: Assessment) -> None:
    web.force_login(alice)
    response = web.post(referral_url(assessment.episode), posted())
    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/letters/{letter.pk}/"
    assert bytes(letter.pdf).startswith(b"%PDF")
    assert "Priya Shah" in letter.html
    assert "Saddle numbness reported today." in letter.html
    assert "14 March 1980" in letter.html
    assert "diagnosis" not in letter.html.lower()
    assert letter.created_by == alice
    assert letter.clinic_id == assessment.clinic_id


def test_it_says_diagnosis_only_for_a_therapist_who_may_diagnose(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    Qualification.objects.create(
        therapist=alice.therapist, knowledge_id="qualification.physiotherapist"
    )
    episode = assessment.episode
    episode.condition = "condition.lumbar-radiculopathy"
    episode.save()
    web.force_login(alice)
    page = web.get(referral_url(episode)).content.decode()
    assert "Diagnosis: " in page


def test_it_says_working_impression_otherwise(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    episode = assessment.episode
    episode.condition = "condition.lumbar-radiculopathy"
    episode.save()
    web.force_login(alice)
    page = web.get(referral_url(episode)).content.decode()
    assert "Working impression: " in page
    assert "Diagnosis: " not in page


def test_it_downloads_the_kept_pdf_without_health_data_in_the_name(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    web.force_login(alice)
    web.post(referral_url(assessment.episode), posted())
    letter = Letter.objects.get()
    response = web.get(f"/letters/{letter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="letter-{letter.pk}-referral.pdf"'
    )
    assert response.content == bytes(letter.pdf)
    detail = web.get(f"/letters/{letter.pk}/").content.decode()
    assert "Saddle numbness reported today." in detail


def test_it_keeps_what_was_typed_and_saves_nothing_without_a_reason(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    web.force_login(alice)
    response = web.post(referral_url(assessment.episode), posted(reason="", history="Kept text"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "the letter needs a reason" in page
    assert "Kept text" in page
    assert not Letter.objects.exists()


def test_it_refuses_an_unknown_kind(web: WebClient, alice: User, assessment: Assessment) -> None:
    web.force_login(alice)
    response = web.get(f"/episodes/{assessment.episode_id}/letters/new/?kind=poem")
    assert response.status_code == 404


def test_it_names_no_working_impression_for_a_level_3_therapist(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    # Level 3 sports massage excludes forming a working impression of an injury.
    Qualification.objects.filter(therapist=alice.therapist).update(
        knowledge_id="qualification.smt-l3"
    )
    episode = assessment.episode
    episode.condition = "condition.lumbar-radiculopathy"
    episode.save()
    web.force_login(alice)
    page = web.get(referral_url(episode)).content.decode()
    assert "Working impression: none formed." in page
    assert "needs assessment by someone qualified to assess it" in page
    assert "Lumbar radiculopathy" not in page
