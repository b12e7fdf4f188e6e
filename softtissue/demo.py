"""Demo clinics and logins, loaded only by `softtissue serve --demo`; safe to load twice."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from softtissue.accounts.models import Clinic, Membership, Qualification, Therapist, User

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
    return list(PEOPLE)
