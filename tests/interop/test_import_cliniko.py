"""Importing a Cliniko patient export: its column names, its escaped ids, its appointment dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from softtissue.accounts.models import Clinic
from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client
from softtissue.clients.search import search_clients
from tests.interop.import_helpers import DATA, run_import, write_csv

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_it_imports_cliniko_patients(clinic_a: Clinic) -> None:
    run = run_import(DATA / "cliniko-patients.csv")
    assert run.code == 0, run.output
    assert "Format: cliniko" in run.output  # recognised from the 'Patient ID' column
    assert "Imported 3 clients and 3 appointments" in run.output
    harriet = Client.objects.get(last_name="Quayle")
    assert (harriet.first_name, harriet.preferred_name) == ("Harriet", "Hattie")
    assert harriet.date_of_birth == date(1990, 7, 21)
    assert harriet.sex == "female"
    assert harriet.phone == "07700 900781"
    assert harriet.address == "Flat 2\n9 Harbour View\nFalmouth\nCornwall"
    assert harriet.postcode == "TR11 3QE"
    assert harriet.occupation == "Nurse"
    assert harriet.emergency_contact == "Sam Quayle 07700 900782"
    assert [c.last_name for c in search_clients(clinic_a, "hattie").page.object_list] == ["Quayle"]


def test_it_imports_the_last_and_next_appointments(clinic_a: Clinic) -> None:
    assert run_import(DATA / "cliniko-patients.csv").code == 0
    harriet = Client.objects.get(last_name="Quayle")
    rows = list(harriet.appointments.order_by("starts_at"))
    assert [(a.starts_at, a.status) for a in rows] == [
        (datetime(2026, 10, 2, 9, 30, tzinfo=LONDON), "attended"),
        (datetime(2027, 1, 15, 14, 0, tzinfo=LONDON), "booked"),
    ]
    assert {a.source for a in rows} == {"cliniko"}
    assert {a.clinic_id for a in rows} == {clinic_a.pk}
    # The spreadsheet escaping ="..." around the 18-digit id is removed.
    assert rows[0].external_id.startswith("1558354464010667075@")
    assert not Client.objects.get(last_name="Pritchard").appointments.exists()


def test_it_refuses_to_import_the_same_export_twice(clinic_a: Clinic) -> None:
    assert run_import(DATA / "cliniko-patients.csv").code == 0
    run = run_import(DATA / "cliniko-patients.csv")
    assert run.code == 1
    assert "row 2: possible duplicate: same name and date of birth as existing client" in run.output
    assert "row 2: this appointment was imported before" in run.output
    assert Client.objects.count() == 3
    assert Appointment.objects.count() == 3


def test_it_refuses_a_patient_id_twice_in_one_file(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "Patient ID,First Name,Last Name,Date of Birth\n"
        "77,Ada,Lovell,1980-01-01\n"
        "77,Bea,Lovell,1981-01-01\n",
    )
    run = run_import(path)
    assert run.code == 1
    assert "row 3, column 'Patient ID': the same id as row 2" in run.output
    assert not Client.objects.exists()


def test_it_names_a_bad_appointment_date(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "Patient ID,First Name,Last Name,Date of Birth,Next Appointment\n"
        "78,Ada,Lovell,1980-01-01,next tuesday\n",
    )
    run = run_import(path)
    assert run.code == 1
    assert "row 2, column 'Next Appointment': 'next tuesday' is not a date and time" in run.output
    assert not Client.objects.exists()


def test_it_names_the_missing_cliniko_columns(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "Patient ID,First Name\n79,Ada\n")
    run = run_import(path, "--format", "cliniko")
    assert run.code == 1
    assert "missing required columns: 'Last Name', 'Date of Birth'" in run.output
    assert not Client.objects.exists()
