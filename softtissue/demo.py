"""Demo clinics and logins, loaded only by `softtissue serve --demo`; safe to load twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from softtissue.accounts.models import Clinic, Membership, Qualification, Therapist, User
from softtissue.clients.coding import match_history, match_medication
from softtissue.clients.models import Client, Consent, MedicalHistoryItem, Medication
from softtissue.education.models import LeafletGiven

DEMO_PASSWORD = "softtissue-demo"  # noqa: S105 - published demo credential, demo data only


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One demo login."""

    email: str
    first_name: str
    last_name: str
    clinic: str
    role: str
    qualifications: tuple[str, ...] = ()
    professional_body: str = ""


RIVERSIDE = "Riverside Soft Tissue Clinic"
NORTHGATE = "Northgate Sports Therapy"

PEOPLE = (
    DemoPerson("owner@riverside.example", "Rachel", "Rivers", RIVERSIDE, "owner"),
    DemoPerson(
        "l3@riverside.example",
        "Sam",
        "Patel",
        RIVERSIDE,
        "therapist",
        ("qualification.smt-l3",),
        "Sports Massage Association",
    ),
    DemoPerson(
        "l5@riverside.example",
        "Jo",
        "Clarke",
        RIVERSIDE,
        "therapist",
        ("qualification.stt-l5",),
        "Institute of Soft Tissue Therapists",
    ),
    DemoPerson("reception@riverside.example", "Amy", "Reid", RIVERSIDE, "reception"),
    DemoPerson(
        "therapist@northgate.example",
        "Tom",
        "Baker",
        NORTHGATE,
        "therapist",
        ("qualification.sports-therapist-l6",),
        "Society of Sports Therapists",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoClient:
    """One demo client record (fictional; phone numbers from Ofcom's drama range)."""

    clinic: str
    first_name: str
    last_name: str
    date_of_birth: date
    phone: str
    email: str
    occupation: str
    activities: str
    history: tuple[str, ...] = ()
    medications: tuple[tuple[str, str], ...] = ()
    leaflet: str = ""  # a condition leaflet given a week ago


CLIENTS = (
    DemoClient(
        RIVERSIDE,
        "Priya",
        "Shah",
        date(1984, 3, 9),
        "07700 900123",
        "priya.shah@example.com",
        "Software developer",
        "Tennis twice a week; pain on the outside of the right elbow when gripping",
    ),
    DemoClient(
        RIVERSIDE,
        "Daniel",
        "Hughes",
        date(1971, 11, 2),
        "07700 900456",
        "dan.hughes@example.org",
        "Warehouse supervisor",
        "Walking, allotment; low back pain after lifting",
        history=("Diabetes",),
        medications=(("Metformin", "500 mg twice daily"),),
    ),
    DemoClient(
        RIVERSIDE,
        "Megan",
        "Ellis",
        date(1998, 7, 14),
        "07700 900789",
        "megan.ellis@example.net",
        "Primary school teacher",
        "Sunday league football; hamstring strain while sprinting last week",
        leaflet="condition.hamstring-strain",
    ),
    DemoClient(
        NORTHGATE,
        "Oliver",
        "Grant",
        date(1990, 5, 21),
        "0161 496 0123",
        "oliver.grant@example.com",
        "Plasterer",
        "Five-a-side football",
    ),
)


@transaction.atomic
def load_demo() -> list[DemoPerson]:
    """Create (or bring back to their demo state) the demo clinics and logins."""
    clinics = {name: Clinic.objects.get_or_create(name=name)[0] for name in (RIVERSIDE, NORTHGATE)}
    for person in PEOPLE:
        clinic = clinics[person.clinic]
        user, _ = User.objects.get_or_create(
            email=person.email,
            defaults={"first_name": person.first_name, "last_name": person.last_name},
        )
        # Always reset the password so the printed demo logins work, even after a change.
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"clinic": clinic, "role": person.role}
        )
        if person.role in {"owner", "therapist"}:
            therapist, _ = Therapist.objects.update_or_create(
                user=user,
                defaults={"clinic": clinic, "professional_body": person.professional_body},
            )
            for knowledge_id in person.qualifications:
                Qualification.objects.get_or_create(
                    therapist=therapist,
                    knowledge_id=knowledge_id,
                    defaults={"clinic": clinic, "awarding_body": "Demo awarding body"},
                )
    for demo in CLIENTS:
        load_demo_client(clinics[demo.clinic], demo)
    return list(PEOPLE)


def load_demo_client(clinic: Clinic, demo: DemoClient) -> Client:
    """Create a demo client with current consents, history and medicines, once."""
    client, created = Client.objects.get_or_create(
        clinic=clinic,
        first_name=demo.first_name,
        last_name=demo.last_name,
        date_of_birth=demo.date_of_birth,
        defaults={
            "phone": demo.phone,
            "email": demo.email,
            "occupation": demo.occupation,
            "activities": demo.activities,
            "gp_name": "Dr Amara Okafor",
            "gp_practice": "Riverside Health Centre"
            if clinic.name == RIVERSIDE
            else "Northgate Surgery",
        },
    )
    if not created:
        return client
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            clinic=clinic,
            client=client,
            kind=kind,
            method=Consent.Method.IN_PERSON,
            signed_name=client.full_name,
            recorded_at=now - timedelta(days=8),
        )
        for kind in Consent.Kind.values
    )
    for description in demo.history:
        MedicalHistoryItem.objects.create(
            clinic=clinic,
            client=client,
            description=description,
            finding_code=match_history(description),
            client_reported=True,
            recorded_at=now - timedelta(days=8),
        )
    for name, dose in demo.medications:
        Medication.objects.create(
            clinic=clinic,
            client=client,
            name=name,
            dose=dose,
            knowledge_id=match_medication(name),
            client_reported=True,
            recorded_at=now - timedelta(days=8),
        )
    if demo.leaflet:
        LeafletGiven.objects.create(
            clinic=clinic,
            client=client,
            condition_id=demo.leaflet,
            given_at=now - timedelta(days=7),
        )
    return client
