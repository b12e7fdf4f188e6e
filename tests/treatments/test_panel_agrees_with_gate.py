"""The reasoning panel's scope preview and the plan's gate say the same on the same record."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.facts import fetch_facts
from softtissue.accounts.models import Clinic, InsurancePolicy, Qualification, User
from softtissue.assessments.models import Assessment
from softtissue.assessments.panel import load_records, reasoning_panel
from softtissue.treatments import gate
from tests.treatments.conftest import make_episode

TENDINOPATHY = {
    "lateral_elbow_pain": True,
    "lateral_epicondyle_tenderness": True,
    "pain_on_gripping": True,
    "pain_resisted_wrist_extension": True,
}
OTTAWA = {
    "malleolar_zone_pain": True,
    "bone_tenderness_lateral_malleolus_posterior_edge": True,
}
SCENARIOS = [
    ("allow", "qualification.stt-l5", "region.elbow", {"age": 40}, "current"),
    ("warn", "qualification.smt-l4", "region.elbow", TENDINOPATHY, "current"),
    (
        "require_clearance",
        "qualification.stt-l5",
        "region.elbow",
        {"anticoagulant_medication": True},
        "current",
    ),
    ("block", "qualification.smt-l3", "region.leg", {"days_since_injury": 5}, "current"),
    # The panel once built the facts without insurance and said "you may treat" here.
    ("block", "qualification.stt-l5", "region.elbow", {"age": 40}, "lapsed"),
    (
        "refer_routine",
        "qualification.stt-l5",
        "region.knee",
        {"several_joints_swollen": True, "morning_stiffness_over_30_min": True},
        "current",
    ),
    ("refer_soon", "qualification.stt-l5", "region.elbow", {"night_sweats": True}, "current"),
    ("refer_urgent", "qualification.stt-l5", "region.ankle-foot", OTTAWA, "current"),
    (
        "refer_emergency",
        "qualification.stt-l5",
        "region.lumbar-pelvis",
        {"saddle_anaesthesia": True},
        "current",
    ),
]


def insure(user: User, state: str) -> None:
    today = timezone.localdate()
    start, end = (
        (today - timedelta(days=30), today + timedelta(days=335))
        if state == "current"
        else (today - timedelta(days=400), today - timedelta(days=35))
    )
    InsurancePolicy.objects.create(
        clinic=user.therapist.clinic,
        therapist=user.therapist,
        insurer="Example Insurance",
        policy_number="EX-1",
        valid_from=start,
        valid_to=end,
        schedule="insurer.example-soft-tissue-therapy",
    )


@pytest.mark.parametrize(
    ("outcome", "qualification", "region", "findings", "insurance"),
    SCENARIOS,
    ids=[f"{s[0]}-{s[4]}" for s in SCENARIOS],
)
def test_it_previews_what_the_gate_decides(
    clinic_a: Clinic,
    alice: User,
    outcome: str,
    qualification: str,
    region: str,
    findings: dict[str, Any],
    insurance: str,
) -> None:
    Qualification.objects.create(therapist=alice.therapist, knowledge_id=qualification)
    insure(alice, insurance)
    episode = make_episode(clinic_a, alice, region, "", findings)
    assessment = Assessment.objects.get(episode=episode)
    today = timezone.localdate()
    panel = reasoning_panel(load_records(assessment), fetch_facts(alice.therapist, today), today)
    facts, gate_findings = gate.facts_today(alice.therapist, episode)
    decision = gate.check(
        facts, gate.Request(regions=(region,), complaint_region=region), gate_findings
    )
    assert panel.scope is not None
    assert (panel.scope.outcome, decision.outcome) == (outcome, outcome)
    assert panel.scope.overridable == decision.overridable
    assert [i.reason for i in panel.scope.items] == [i.reason for i in decision.items]


def test_it_shows_the_lapsed_policy_on_the_page(
    web: WebClient, clinic_a: Clinic, alice: User
) -> None:
    Qualification.objects.create(therapist=alice.therapist, knowledge_id="qualification.stt-l5")
    insure(alice, "lapsed")
    episode = make_episode(clinic_a, alice, "region.elbow", "", {"age": 40})
    assessment = Assessment.objects.get(episode=episode)
    web.force_login(alice)
    html = web.get(reverse("assessment_detail", args=[assessment.pk])).content.decode()
    assert 'class="scope scope-block"' in html
    assert "policy has expired: renew it before you treat" in html
