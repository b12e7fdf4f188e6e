"""Imported dates must make sense, local times must name one instant, and a row's every problem
is listed at once (issue 22.9)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client
from tests.interop.import_helpers import run_import, write_csv

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
HEADER = "Patient ID,First Name,Last Name,Date of Birth,Email,Last Appointment,Next Appointment"


def cliniko(folder: Path, *rows: str) -> Path:
    return write_csv(folder, "\n".join([HEADER, *rows]) + "\n", "cliniko.csv")


def soon(days: int) -> str:
    return f"{timezone.localdate() + timedelta(days=days):%Y-%m-%d} 10:00"


@pytest.mark.parametrize(
    ("last", "next_", "problem"),
    [
        (
            "2099-05-01 10:00",
            "",
            "2099-05-01 10:00 is in the future, so it cannot have been attended",
        ),
        (soon(1), "", "is in the future, so it cannot have been attended"),
        ("", "2099-05-01 10:00", "2099-05-01 10:00 is more than 2 years ahead: check the year"),
        ("1899-12-31 10:00", "", "1899-12-31 10:00 is before 1900: check the year"),
        ("1979-01-05 10:00", "", "is before the client's date of birth (1980-02-14)"),
        ("2026-03-29 01:30", "", "2026-03-29 01:30 does not exist in Europe/London"),
        ("", "2027-10-31 01:15", "2027-10-31 01:15 happened twice in Europe/London"),
    ],
)
def test_it_refuses_an_appointment_time_that_makes_no_sense(
    clinic_a: Clinic, tmp_path: Path, last: str, next_: str, problem: str
) -> None:
    path = cliniko(tmp_path, f"101,Imogen,Fairweather,14/02/1980,,{last},{next_}")
    run = run_import(path)
    assert run.code == 1, run.output
    assert problem in run.output
    assert not Client.objects.exists()
    assert not Appointment.objects.exists()


def test_it_names_both_readings_of_a_time_the_clocks_show_twice(
    clinic_a: Clinic, tmp_path: Path
) -> None:
    run = run_import(cliniko(tmp_path, "101,Imogen,Fairweather,14/02/1980,,2026-10-25 01:30,"))
    assert "give it with its UTC offset, 2026-10-25T01:30+01:00 or 2026-10-25T01:30+00:00" in (
        run.output
    )


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        # The same wall-clock times with their offset say which instant they are.
        ("2026-10-25T01:30+00:00", datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("UTC"))),
        ("2026-10-25T01:30+01:00", datetime(2026, 10, 25, 0, 30, tzinfo=ZoneInfo("UTC"))),
        ("2026-03-29 02:30", datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)),
        ("2026-03-29 00:59", datetime(2026, 3, 29, 0, 59, tzinfo=LONDON)),
    ],
)
def test_it_keeps_a_time_that_names_one_instant(
    clinic_a: Clinic, tmp_path: Path, last: str, expected: datetime
) -> None:
    run = run_import(cliniko(tmp_path, f"101,Imogen,Fairweather,14/02/1980,,{last},"))
    assert run.code == 0, run.output
    assert Appointment.objects.get().starts_at == expected


def test_it_lists_every_problem_of_a_row(clinic_a: Clinic, tmp_path: Path) -> None:
    Client.objects.create(
        clinic=clinic_a, first_name="Imogen", last_name="Fairweather", date_of_birth="1980-02-14"
    )
    path = cliniko(
        tmp_path,
        "101,Ada,Lovelace,10/12/1985,,,",
        "101,Imogen,Fairweather,14/02/1980,not-an-email,2099-01-01 10:00,2026-03-29 01:10",
    )
    run = run_import(path)
    assert run.code == 1
    row_3 = [line for line in run.output.splitlines() if line.startswith("Problem: row 3")]
    assert len(row_3) == 5, run.output
    joined = "\n".join(row_3)
    for problem in (
        "column 'Patient ID': the same id as row 2",
        "column 'Email': Enter a valid email address.",
        "column 'Last Appointment': 2099-01-01 10:00 is in the future",
        "column 'Next Appointment': 2026-03-29 01:10 does not exist in Europe/London",
        "possible duplicate: same name and date of birth as existing client",
    ):
        assert problem in joined
    assert Client.objects.count() == 1


def test_it_still_refuses_a_date_of_birth_in_the_future_or_before_1900(
    clinic_a: Clinic, tmp_path: Path
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    path = write_csv(
        tmp_path,
        "first_name,last_name,date_of_birth\n"
        f"Ada,Lovelace,{tomorrow:%d/%m/%Y}\n"
        "Bea,Lovelace,31/12/1899\n",
    )
    run = run_import(path)
    assert "row 2, column 'date_of_birth': The date of birth cannot be in the future." in run.output
    assert "row 3, column 'date_of_birth': The date of birth cannot be before 1900." in run.output
