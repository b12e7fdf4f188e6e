"""Medical clearance requests and discharge summaries."""

from __future__ import annotations

from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment, Episode
from softtissue.letters.models import Letter
from softtissue.outcomes.services import record_administration
from tests.letters.test_it_writes_referral_letters import posted


def url(episode: Episode, kind: str) -> str:
    return f"/episodes/{episode.pk}/letters/new/?kind={kind}"


def test_it_drafts_a_clearance_request_naming_the_contraindication(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    plain_assessment.findings = {"anticoagulant_medication": True}
    plain_assessment.save()
    web.force_login(alice)
    response = web.get(url(plain_assessment.episode, "clearance"))
    assert response.status_code == 200
    reason = response.context["form"].initial["reason"]
    assert "Techniques planned:" in reason
    assert "Contraindication and techniques planned" in response.content.decode()


def test_it_renders_the_sign_and_return_section(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    web.force_login(alice)
    response = web.post(
        url(plain_assessment.episode, "clearance"), posted(reason="Takes warfarin.")
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.kind == "clearance"
    assert "To be completed and returned by the clinician" in letter.html
    assert "It is safe to treat with the techniques planned" in letter.html
    assert bytes(letter.pdf).startswith(b"%PDF")


def test_it_refuses_an_emergency_handover_that_is_not_a_referral(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    web.force_login(alice)
    response = web.post(url(plain_assessment.episode, "clearance"), posted(recipient="emergency"))
    assert response.status_code == 400
    assert "can only be a referral letter" in response.content.decode()
    assert not Letter.objects.exists()


def test_it_summarises_outcomes_at_discharge(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    episode = plain_assessment.episode
    record_administration(episode, "odi", [3] * 10, alice)
    record_administration(episode, "odi", [1] * 10, alice)
    episode.discharged_at = timezone.now()
    episode.discharge_reason = "Goals met: back to gardening."
    episode.save()
    web.force_login(alice)
    response = web.get(url(episode, "discharge"))
    initial = response.context["form"].initial
    assert initial["reason"] == "Goals met: back to gardening."
    assert "baseline 60, latest 20; change +40.0" in initial["outcomes"]
    assert "reached the minimal clinically important difference" in initial["outcomes"]
    assert "Discharged on" in initial["current_status"]
    data = posted(
        reason=initial["reason"], outcomes=initial["outcomes"], advice="Keep walking daily."
    )
    assert web.post(url(episode, "discharge"), data).status_code == 302
    letter = Letter.objects.get()
    assert "Goals met: back to gardening." in letter.html
    assert "Keep walking daily." in letter.html
    assert "Discharge summary" in letter.html


def test_it_says_when_the_change_did_not_reach_the_mcid(
    web: WebClient, alice: User, plain_assessment: Assessment
) -> None:
    episode = plain_assessment.episode
    record_administration(episode, "odi", [2] * 10, alice)
    record_administration(episode, "odi", [2] * 9 + [1], alice)
    web.force_login(alice)
    outcomes = web.get(url(episode, "discharge")).context["form"].initial["outcomes"]
    assert "did not reach the minimal clinically important difference" in outcomes
