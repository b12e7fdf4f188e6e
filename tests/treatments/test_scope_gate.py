"""The scope gate on plans: allow, warn, require_clearance, block and refer, and overrides."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import InsurancePolicy, User
from softtissue.assessments.models import Assessment, Episode
from softtissue.treatments.models import Override, ScopeDecision, TreatmentPlan
from tests.treatments.conftest import make_plan, plan_data

REFER_LINK = "?kind=referral"


def test_it_blocks_a_level_3_with_soft_tissue_release_and_offers_the_referral(
    web: WebClient, hamstring: Episode, level3: User
) -> None:
    web.force_login(level3)
    plan = make_plan(web, hamstring, [("technique.soft-tissue-release", "region.leg")])
    decision = ScopeDecision.objects.get(plan=plan)
    assert decision.outcome == "block"
    assert decision.referral.startswith("a Level 4 or 5")
    page = web.get(f"/plans/{plan.pk}/").content.decode()
    assert "Blocked" in page
    assert f"/episodes/{hamstring.pk}/letters/new/{REFER_LINK}" in page
    assert "Record a session" not in page


def test_it_allows_a_level_5_with_lateral_elbow_tendinopathy(
    web: WebClient, allowed_plan: TreatmentPlan
) -> None:
    assert ScopeDecision.objects.get(plan=allowed_plan).outcome == "allow"
    page = web.get(f"/plans/{allowed_plan.pk}/").content.decode()
    assert "Treatment may go ahead" in page
    assert REFER_LINK not in page


def test_it_suggests_the_conditions_techniques_with_their_scope(
    web: WebClient, hamstring: Episode, level3: User
) -> None:
    web.force_login(level3)
    page = web.get(f"/episodes/{hamstring.pk}/plans/new/").content.decode()
    assert "Suggested for Hamstring strain" in page
    assert "may not use Soft tissue release" in page


def test_it_records_who_acknowledged_a_warning(
    web: WebClient, elbow: Episode, level3: User
) -> None:
    web.force_login(level3)
    data = plan_data(
        [("technique.deep-transverse-friction", "region.elbow")],
        condition="",
        condition_category="category.maintenance",
    )
    assert web.post(f"/episodes/{elbow.pk}/plans/new/", data).status_code == 302
    plan = TreatmentPlan.objects.get(episode=elbow)
    decision = ScopeDecision.objects.get(plan=plan)
    assert decision.outcome == "warn"
    assert web.get(f"/episodes/{elbow.pk}/notes/new/").status_code == 409
    web.post(f"/plans/{plan.pk}/acknowledge/")
    decision.refresh_from_db()
    assert decision.acknowledged_by == level3
    assert decision.acknowledged_at is not None
    assert web.get(f"/episodes/{elbow.pk}/notes/new/").status_code == 200


def test_it_waits_for_a_medical_clearance(web: WebClient, elbow: Episode, level5: User) -> None:
    Assessment.objects.filter(episode=elbow).update(findings={"osteoporosis": True})
    web.force_login(level5)
    plan = make_plan(web, elbow, [("technique.soft-tissue-release", "region.elbow")])
    assert ScopeDecision.objects.get(plan=plan).outcome == "require_clearance"
    assert (
        "Treatment waits for a recorded medical clearance"
        in web.get(f"/plans/{plan.pk}/").content.decode()
    )
    assert web.get(f"/episodes/{elbow.pk}/notes/new/").status_code == 409
    empty = web.post(f"/plans/{plan.pk}/clearance/", {"given_by": "Dr Okafor", "given_on": ""})
    assert empty.status_code == 400
    assert "Upload the clearance (PDF) or write a note of it." in empty.content.decode()
    assert not plan.clearances.exists()
    web.post(
        f"/plans/{plan.pk}/clearance/",
        {"given_by": "Dr Okafor, GP", "given_on": "2026-11-20", "note": "Cleared by phone"},
    )
    assert plan.clearances.get().given_by == "Dr Okafor, GP"
    assert web.get(f"/episodes/{elbow.pk}/notes/new/").status_code == 200


def test_it_lifts_a_block_with_a_written_override(
    web: WebClient, hamstring: Episode, level3: User
) -> None:
    web.force_login(level3)
    plan = make_plan(web, hamstring, [("technique.soft-tissue-release", "region.leg")])
    empty = web.post(f"/plans/{plan.pk}/override/", {"reason": ""})
    assert empty.status_code == 400
    assert "An override needs a written reason." in empty.content.decode()
    assert not Override.objects.exists()
    reason = "Her physiotherapist asked me to carry on this treatment in writing."
    web.post(f"/plans/{plan.pk}/override/", {"reason": reason})
    override = Override.objects.get(plan=plan)
    assert (override.by, override.reason) == (level3, reason)
    page = web.get(f"/plans/{plan.pk}/").content.decode()
    assert reason in page
    assert "Treatment may go ahead" in page


def test_it_refuses_to_override_a_red_flag(web: WebClient, elbow: Episode, level5: User) -> None:
    Assessment.objects.filter(episode=elbow).update(findings={"saddle_anaesthesia": True})
    web.force_login(level5)
    plan = make_plan(web, elbow, [("technique.effleurage", "region.elbow")])
    decision = ScopeDecision.objects.get(plan=plan)
    assert (decision.outcome, decision.overridable) == ("refer_emergency", False)
    reason = "I am sure this is nothing serious and the client insists on treatment."
    response = web.post(f"/plans/{plan.pk}/override/", {"reason": reason}, follow=True)
    assert "cannot be overridden" in response.content.decode()
    assert not Override.objects.exists()
    assert web.get(f"/episodes/{elbow.pk}/notes/new/").status_code == 409


def test_it_blocks_treatment_on_expired_insurance(
    web: WebClient, elbow: Episode, level5: User
) -> None:
    today = timezone.localdate()
    InsurancePolicy.objects.create(
        therapist=level5.therapist,
        insurer="Example Insurance",
        policy_number="PI-1",
        valid_from=today - timedelta(days=400),
        valid_to=today - timedelta(days=1),
        schedule="insurer.example-soft-tissue-therapy",
    )
    web.force_login(level5)
    plan = make_plan(web, elbow, [("technique.soft-tissue-release", "region.elbow")])
    decision = ScopeDecision.objects.get(plan=plan)
    assert (decision.outcome, decision.overridable) == ("block", False)
    page = web.get(f"/plans/{plan.pk}/").content.decode()
    assert "policy has expired: renew it before you treat" in page
    reason = "I have renewed by phone and the paperwork is on its way to me."
    web.post(f"/plans/{plan.pk}/override/", {"reason": reason})
    assert not Override.objects.exists()


def test_it_allows_on_a_current_policy(web: WebClient, elbow: Episode, level5: User) -> None:
    today = timezone.localdate()
    InsurancePolicy.objects.create(
        therapist=level5.therapist,
        insurer="Example Insurance",
        policy_number="PI-2",
        valid_from=today - timedelta(days=10),
        valid_to=today + timedelta(days=300),
        schedule="insurer.example-soft-tissue-therapy",
    )
    web.force_login(level5)
    plan = make_plan(web, elbow, [("technique.soft-tissue-release", "region.elbow")])
    assert ScopeDecision.objects.get(plan=plan).outcome == "allow"


def test_it_keeps_an_uploaded_clearance_letter(
    web: WebClient, elbow: Episode, level5: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    Assessment.objects.filter(episode=elbow).update(findings={"osteoporosis": True})
    web.force_login(level5)
    plan = make_plan(web, elbow, [("technique.soft-tissue-release", "region.elbow")])
    word = SimpleUploadedFile("letter.docx", b"not a pdf")
    refused = web.post(
        f"/plans/{plan.pk}/clearance/",
        {"given_by": "Dr Okafor", "given_on": "2026-11-20", "document": word},
    )
    assert refused.status_code == 400
    assert not plan.clearances.exists()
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 cleared", "application/pdf")
    web.post(
        f"/plans/{plan.pk}/clearance/",
        {"given_by": "Dr Okafor", "given_on": "2026-11-20", "document": letter},
    )
    clearance = plan.clearances.get()
    assert "letter" not in clearance.document.name
    download = web.get(f"/clearances/{clearance.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert download.content == b"%PDF-1.4 cleared"
