"""Clients treated long ago (or never), for the retention and erasure tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from softtissue.accounts.models import Clinic, User
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import add_addendum, sign_note


def treated_client(
    clinic: Clinic, user: User, born: date, treated_on: date, last_name: str = "Marchbanks"
) -> Client:
    """A client with one episode and one signed note (with an addendum) on `treated_on`."""
    client = Client.objects.create(
        clinic=clinic, first_name="Edith", last_name=last_name, date_of_birth=born
    )
    opened = datetime(treated_on.year, treated_on.month, treated_on.day, 9, tzinfo=UTC)
    episode = Episode.objects.create(
        clinic=clinic,
        client=client,
        presenting_problem="Frozen shoulder",
        region="region.shoulder",
        opened_at=opened,
    )
    note = TreatmentNote.objects.create(
        clinic=clinic, episode=episode, session_date=treated_on, subjective="Cannot lift the kettle"
    )
    sign_note(note.pk, clinic.pk, user)
    add_addendum(note.pk, clinic.pk, user, "Referred to GP")
    return client
