"""A full client record built through the models, shared by the FHIR and subject access tests."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from softtissue.accounts.models import Qualification, User
from softtissue.assessments.models import Assessment, Episode, RangeOfMotion, SpecialTestResult
from softtissue.clients.models import Client, Consent
from softtissue.letters.models import Letter
from softtissue.letters.services import keep_letter
from softtissue.outcomes.services import record_administration
from softtissue.rehab.services import prescribe
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import sign_note

CONDITION = "condition.lateral-elbow-tendinopathy"


def full_record(therapist: User, first_name: str = "Priya", letters: bool = True) -> Client:
    """A client with consents, an episode, assessment, notes, measures, programme and letters."""
    clinic = therapist.membership.clinic
    Qualification.objects.get_or_create(
        therapist=therapist.therapist,
        knowledge_id="qualification.stt-l5",
        defaults={
            "awarding_body": "ITEC",
            "certificate_ref": "CERT-1",
            "awarded_on": date(2020, 6, 1),
        },
    )
    now = timezone.now()
    client = Client.objects.create(
        clinic=clinic,
        first_name=first_name,
        last_name="Shah",
        date_of_birth=date(1980, 3, 14),
        sex="female",
        phone="07700 900123",
        email=f"{first_name.lower()}@example.org",
        address="2 Mill Lane, Leeds",
        postcode="LS1 1AA",
        emergency_contact="Raj Shah 07700 900456",
        gp_name="Dr Okafor",
        gp_practice="Riverside Surgery",
    )
    for kind in (Consent.Kind.ASSESSMENT_TREATMENT, Consent.Kind.SHARE_WITH_GP):
        Consent.objects.create(
            clinic=clinic,
            client=client,
            kind=kind,
            method=Consent.Method.IN_PERSON,
            signed_name=client.full_name,
            recorded_at=now - timedelta(days=30),
        )
    episode = Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=therapist.therapist,
        presenting_problem="Pain on the outside of the right elbow when gripping",
        region="region.elbow",
        condition=CONDITION,
        opened_at=now - timedelta(days=30),
    )
    assessment = Assessment.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=therapist.therapist,
        onset="gradual",
        started_at=now - timedelta(days=30),
    )
    RangeOfMotion.objects.create(
        clinic=clinic,
        assessment=assessment,
        movement_id="elbow-flexion",
        side="right",
        degrees=135,
        painful=True,
    )
    for test_id, result in (
        ("special-test.cozen", "positive"),
        ("special-test.mill", "negative"),
        ("special-test.elbow-flexion-pressure", "not_tested"),
    ):
        SpecialTestResult.objects.create(
            clinic=clinic, assessment=assessment, test_id=test_id, result=result
        )
    techniques = [
        {"technique": "technique.soft-tissue-release", "region": "region.elbow", "dosage": "5 min"},
        {"technique": "technique.effleurage", "region": "region.elbow", "dosage": ""},
    ]
    signed = TreatmentNote.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=therapist.therapist,
        session_date=(now - timedelta(days=20)).date(),
        subjective="Sore after tennis",
        techniques=techniques,
    )
    sign_note(signed.pk, clinic.pk, therapist)
    TreatmentNote.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=therapist.therapist,
        subjective="Draft note",
        techniques=techniques[:1],
    )
    record_administration(episode, "nprs", [6], entered_by=therapist)
    record_administration(episode, "odi", [None] * 10, entered_by=therapist)
    prescribe(episode, therapist.therapist, "exercise.isometric-wrist-extension", 1, "5 x 45 s")
    if letters:
        for kind in (Letter.Kind.REFERRAL, Letter.Kind.DISCHARGE):
            keep_letter(
                episode,
                kind,
                {"recipient": "gp", "recipient_name": "Dr Okafor", "reason": "Persisting pain"},
                therapist,
                therapist.therapist,
                now,
            )
    return client
