"""Insurance policies and CPD certificates on the therapist's profile, with dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.facts import therapist_facts
from softtissue.accounts.models import CpdCertificate, InsurancePolicy, Qualification, User


def policy(user: User, valid_from: date, valid_to: date, number: str = "PI-1") -> InsurancePolicy:
    return InsurancePolicy.objects.create(
        therapist=user.therapist,
        insurer="Example Insurance",
        policy_number=number,
        valid_from=valid_from,
        valid_to=valid_to,
        schedule="insurer.example-sports-massage",
    )


def test_it_shows_qualifications_cpd_and_insurance_with_dates(web: WebClient, alice: User) -> None:
    today = timezone.localdate()
    Qualification.objects.create(
        therapist=alice.therapist, knowledge_id="qualification.smt-l3", awarded_on=date(2020, 6, 1)
    )
    CpdCertificate.objects.create(
        therapist=alice.therapist, knowledge_id="cpd.taping", completed_on=date(2024, 3, 2)
    )
    policy(alice, date(2025, 1, 1), today - timedelta(days=1))
    web.force_login(alice)
    page = web.get("/profile/").content.decode()
    assert "Level 3 Diploma in Sports Massage Therapy" in page
    assert "awarded 1 Jun 2020" in page
    assert "completed 2 Mar 2024" in page
    assert "PI-1: 1 Jan 2025 to" in page
    assert "expired: you cannot treat until it is renewed" in page


def test_it_tells_reception_there_is_no_profile(web: WebClient, reception: User) -> None:
    web.force_login(reception)
    assert "no therapist profile" in web.get("/profile/").content.decode()


def test_it_sends_a_visitor_to_log_in(web: WebClient, db: None) -> None:
    assert web.get("/profile/")["Location"].startswith("/login/")


def test_it_passes_the_latest_policy_and_cpd_to_the_core(alice: User) -> None:
    today = timezone.localdate()
    policy(alice, date(2024, 1, 1), date(2024, 12, 31), "OLD")
    policy(alice, today - timedelta(days=5), today + timedelta(days=360), "NEW")
    CpdCertificate.objects.create(therapist=alice.therapist, knowledge_id="cpd.cupping")
    facts = therapist_facts(alice.therapist, today)
    assert facts.insurance == "insurer.example-sports-massage"
    assert facts.insurance_expired is False
    assert facts.cpd == ("cpd.cupping",)
    assert therapist_facts(alice.therapist, today + timedelta(days=361)).insurance_expired


def test_it_refuses_unknown_schedules_and_backwards_dates(alice: User) -> None:
    bad = InsurancePolicy(
        therapist=alice.therapist,
        insurer="X",
        policy_number="1",
        valid_from=date(2026, 1, 1),
        valid_to=date(2025, 1, 1),
        schedule="insurer.unknown",
    )
    with pytest.raises(ValidationError) as raised:
        bad.full_clean(exclude=["clinic"])
    assert set(raised.value.message_dict) == {"schedule", "valid_to"}
    with pytest.raises(ValidationError):
        CpdCertificate(therapist=alice.therapist, knowledge_id="cpd.reiki").full_clean(
            exclude=["clinic"]
        )


def test_it_edits_policies_on_the_therapist_admin_page(web: WebClient, owner: User) -> None:
    web.force_login(owner)
    page = web.get(f"/admin/accounts/therapist/{owner.therapist.pk}/change/").content.decode()
    assert "insurance_policies-TOTAL_FORMS" in page
    assert "cpd_certificates-TOTAL_FORMS" in page
