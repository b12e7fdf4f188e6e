"""One client with a row of every kind of record, for tests that must reach every page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Model
from django.utils import timezone

from softtissue.accounts.models import Clinic, Qualification, User
from softtissue.appointments.models import Appointment
from softtissue.assessments.models import (
    Assessment,
    BodyChartMark,
    Episode,
    RangeOfMotion,
    SpecialTestResult,
)
from softtissue.assessments.questions import movements
from softtissue.clients.models import Client, Consent, MedicalHistoryItem, Medication
from softtissue.education.models import LeafletGiven
from softtissue.interop.models import ApiToken
from softtissue.interop.tokens import create_token
from softtissue.letters.models import Letter
from softtissue.outcomes.models import MeasureAdministration
from softtissue.outcomes.services import record_administration
from softtissue.rehab.models import PrescribedExercise, Programme
from softtissue.rehab.services import prescribe
from softtissue.treatments.models import (
    MedicalClearance,
    PlanTechnique,
    TreatmentNote,
    TreatmentPlan,
)
from softtissue.treatments.signing import add_addendum, sign_note

# A surname no other fixture uses, so a page that leaks this client can be spotted by its text.
MARKER_SURNAME = "Quillfeather"


@dataclass
class FullRecord:
    """The rows of one client's record, each reachable by a page or an API operation."""

    client: Client
    history_item: MedicalHistoryItem
    medication: Medication
    episode: Episode
    assessment: Assessment
    mark: BodyChartMark
    motion: RangeOfMotion
    test_result: SpecialTestResult
    administration: MeasureAdministration
    plan: TreatmentPlan
    clearance: MedicalClearance
    note: TreatmentNote
    draft_note: TreatmentNote
    programme: Programme
    prescribed: PrescribedExercise
    letter: Letter
    appointment: Appointment
    api_token: ApiToken

    def rows(self) -> list[Model]:
        """Every row, for checks that nothing changed."""
        return [value for value in vars(self).values() if isinstance(value, Model)]


def build_full_record(clinic: Clinic, therapist_user: User) -> FullRecord:
    """A client with consent, history, an assessed and treated episode, and a letter."""
    therapist = therapist_user.therapist
    Qualification.objects.get_or_create(
        therapist=therapist, knowledge_id="qualification.stt-l5", defaults={"clinic": clinic}
    )
    now = timezone.now()
    client = Client.objects.create(
        clinic=clinic,
        first_name="Harriet",
        last_name=MARKER_SURNAME,
        date_of_birth=date(1979, 6, 2),
        phone="07700 900999",
        email="harriet@example.org",
        gp_name="Dr Okafor",
    )
    for kind in Consent.Kind.values:
        Consent.objects.create(
            clinic=clinic,
            client=client,
            kind=kind,
            method=Consent.Method.IN_PERSON,
            signed_name=client.full_name,
            recorded_at=now - timedelta(days=2),
        )
    history_item = MedicalHistoryItem.objects.create(
        clinic=clinic, client=client, description="Asthma", recorded_at=now
    )
    medication = Medication.objects.create(
        clinic=clinic, client=client, name="Salbutamol", recorded_at=now
    )
    LeafletGiven.objects.create(
        clinic=clinic, client=client, condition_id="condition.hamstring-strain", given_at=now
    )
    region = "region.lumbar-pelvis"
    episode = Episode.objects.create(
        clinic=clinic,
        client=client,
        therapist=therapist,
        presenting_problem="Stiff low back",
        region=region,
    )
    assessment = Assessment.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=therapist,
        onset="gradual",
        started_at=now - timedelta(days=1),
    )
    mark = BodyChartMark.objects.create(
        clinic=clinic,
        assessment=assessment,
        area="lower-back",
        view="back",
        side="centre",
        symptom="pain",
        intensity=4,
        depth="deep",
    )
    motion = RangeOfMotion.objects.create(
        clinic=clinic,
        assessment=assessment,
        movement_id=str(movements(region)[0]["id"]),
        side="centre",
        degrees=40,
    )
    test_result = SpecialTestResult.objects.create(
        clinic=clinic,
        assessment=assessment,
        test_id="special-test.straight-leg-raise",
        result="negative",
    )
    administration = record_administration(episode, "nprs", [4], entered_by=therapist_user)
    plan = TreatmentPlan.objects.create(
        clinic=clinic,
        episode=episode,
        therapist=therapist,
        goals="Garden for an hour without pain",
        frequency="weekly for 4 weeks",
        review_on=date.today() + timedelta(days=28),
    )
    PlanTechnique.objects.create(
        clinic=clinic, plan=plan, technique="technique.effleurage", region=region
    )
    clearance = MedicalClearance.objects.create(
        clinic=clinic,
        plan=plan,
        given_by="Dr Okafor",
        given_on=date.today(),
        note="Safe to treat",
        recorded_by=therapist_user,
    )
    note = TreatmentNote.objects.create(
        clinic=clinic, episode=episode, therapist=therapist, subjective="Better"
    )
    note = sign_note(note.pk, clinic.pk, therapist_user)
    add_addendum(note.pk, clinic.pk, therapist_user, "Phoned: still better")
    draft_note = TreatmentNote.objects.create(
        clinic=clinic, episode=episode, therapist=therapist, subjective="Draft"
    )
    prescribed = prescribe(episode, therapist, "exercise.glute-bridge", 1, "")
    letter = Letter.objects.create(
        clinic=clinic,
        episode=episode,
        kind=Letter.Kind.REFERRAL,
        recipient=Letter.Recipient.GP,
        recipient_name="Dr Okafor",
        reason="Pain at night",
        consent_statement="Consent to share given in person.",
        therapist=therapist,
        created_by=therapist_user,
        html="<p>Letter</p>",
        pdf=b"%PDF-1.4\n%test letter\n",
        pdf_sha256="0" * 64,
    )
    appointment = Appointment.objects.create(
        clinic=clinic,
        client=client,
        therapist=therapist,
        starts_at=now + timedelta(days=7),
        status=Appointment.Status.BOOKED,
    )
    api_token, _ = create_token(therapist_user.membership, "Spreadsheet", read_only=True)
    return FullRecord(
        client=client,
        history_item=history_item,
        medication=medication,
        episode=episode,
        assessment=assessment,
        mark=mark,
        motion=motion,
        test_result=test_result,
        administration=administration,
        plan=plan,
        clearance=clearance,
        note=note,
        draft_note=draft_note,
        programme=prescribed.programme,
        prescribed=prescribed,
        letter=letter,
        appointment=appointment,
        api_token=api_token,
    )
