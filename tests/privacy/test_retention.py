"""Retention: the later of 7 years after the last treatment and the 25th birthday."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from softtissue.accounts.models import Clinic, User
from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client
from softtissue.privacy.retention import add_years, client_retention, retention
from tests.privacy.old_records import treated_client


@pytest.mark.parametrize(
    ("born", "activity", "created", "expected"),
    [
        # An adult: 7 years after the last treatment.
        (
            date(1970, 5, 1),
            [date(2015, 3, 2), date(2019, 6, 30)],
            date(2015, 1, 1),
            date(2026, 6, 30),
        ),
        # A child treated at 10: until the 25th birthday, later than 7 years on.
        (date(2010, 8, 15), [date(2020, 8, 1)], date(2020, 7, 1), date(2035, 8, 15)),
        # Treated at 17: 7 years on (age 24) is before the 25th birthday.
        (date(2001, 2, 1), [date(2018, 1, 1)], date(2018, 1, 1), date(2026, 2, 1)),
        # Treated at 20: 7 years on is later than the 25th birthday.
        (date(2000, 1, 1), [date(2020, 1, 1)], date(2020, 1, 1), date(2027, 1, 1)),
        # No treatment yet: the day the record was opened counts.
        (date(1980, 1, 1), [None], date(2024, 4, 10), date(2031, 4, 10)),
    ],
)
def test_it_computes_the_earliest_erasure(
    born: date, activity: list[date | None], created: date, expected: date
) -> None:
    assert retention(born, activity, created, 7, 25).erase_from == expected


def test_it_says_why() -> None:
    adult = retention(date(1970, 5, 1), [date(2019, 6, 30)], date(2019, 1, 1), 7, 25)
    assert adult.reason == "kept 7 years after the last treatment (2019-06-30)"
    child = retention(date(2010, 8, 15), [date(2020, 8, 1)], date(2020, 1, 1), 7, 25)
    assert child.reason == "kept until the client's 25th birthday"
    new = retention(date(1980, 1, 1), [], date(2024, 4, 10), 7, 25)
    assert new.reason == "kept 7 years after the record was opened (2024-04-10)"
    assert new.last_activity == date(2024, 4, 10)


def test_it_moves_29_february_to_1_march() -> None:
    assert add_years(date(2004, 2, 29), 25) == date(2029, 3, 1)
    assert add_years(date(2004, 2, 29), 4) == date(2008, 2, 29)


def test_it_follows_the_settings() -> None:
    kept = retention(date(1970, 1, 1), [date(2020, 1, 1)], date(2020, 1, 1), 10, 25)
    assert kept.erase_from == date(2030, 1, 1)
    child = retention(date(2010, 1, 1), [date(2012, 1, 1)], date(2012, 1, 1), 7, 21)
    assert child.erase_from == date(2031, 1, 1)


def test_it_reads_the_last_signed_note(clinic_a: Clinic, alice: User) -> None:
    client = treated_client(clinic_a, alice, date(1950, 1, 1), date(2012, 3, 4))
    kept = client_retention(client)
    assert (kept.last_activity, kept.erase_from) == (date(2012, 3, 4), date(2019, 3, 4))


def test_it_counts_an_attended_appointment_but_not_a_missed_one(
    clinic_a: Clinic, alice: User
) -> None:
    client = treated_client(clinic_a, alice, date(1950, 1, 1), date(2012, 3, 4))
    for status, year in [("attended", 2014), ("did_not_attend", 2016), ("booked", 2017)]:
        Appointment.objects.create(
            clinic=clinic_a,
            client=client,
            starts_at=datetime(year, 6, 1, 10, tzinfo=UTC),
            status=status,
        )
    assert client_retention(client).erase_from == date(2021, 6, 1)


def test_it_uses_the_latest_episode_activity(clinic_a: Clinic, alice: User) -> None:
    client = treated_client(clinic_a, alice, date(1950, 1, 1), date(2012, 3, 4))
    episode = client.episodes.get()
    episode.discharged_at = datetime(2013, 5, 6, 12, tzinfo=UTC)
    episode.save()
    assert client_retention(client).erase_from == date(2020, 5, 6)


def test_it_keeps_a_new_clients_record_from_today(clinic_a: Clinic) -> None:
    client = Client.objects.create(
        clinic=clinic_a, first_name="Noor", last_name="Haq", date_of_birth=date(1985, 1, 1)
    )
    kept = client_retention(client)
    assert kept.erase_from == add_years(client.created_at.date(), 7)


def test_it_reads_the_periods_from_settings(clinic_a: Clinic, alice: User, settings: Any) -> None:
    settings.SOFTTISSUE_RETENTION_YEARS = 10
    client = treated_client(clinic_a, alice, date(1950, 1, 1), date(2012, 3, 4))
    assert client_retention(client).erase_from == date(2022, 3, 4)
