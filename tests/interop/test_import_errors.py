"""Bad import files: every problem named with its row and column, and nothing written."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from softtissue.accounts.models import Clinic
from softtissue.appointments.models import Appointment
from softtissue.clients.models import Client, ClientSearchTerm
from tests.interop.import_helpers import DATA, HEADER, run_import, write_csv

pytestmark = pytest.mark.django_db
GOOD_ROW = "Imogen,Fairweather,14/02/1987,female,imogen@example.com"


def assert_nothing_written() -> None:
    assert not Client.objects.exists()
    assert not ClientSearchTerm.objects.exists()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Ada,Lovell,31/02/1980,,", "column 'date_of_birth': '31/02/1980' is not a date"),
        ("Ada,Lovell,02/13/1980,,", "column 'date_of_birth': '02/13/1980' is not a date"),
        ("Ada,Lovell,1/2/80,,", "column 'date_of_birth': '1/2/80' is not a date"),
        ("Ada,Lovell,,,", "column 'date_of_birth': the date of birth is empty"),
        ("Ada,Lovell,01/01/2990,,", "column 'date_of_birth': The date of birth cannot be in the"),
        ("Ada,Lovell,01/01/1850,,", "column 'date_of_birth': The date of birth cannot be before"),
        ("Ada,Lovell,1980-01-01,,not-an-email", "column 'email': Enter a valid email address."),
        ("Ada,Lovell,1980-01-01,robot,", "column 'sex': 'robot' is not a recorded sex"),
        (",Lovell,1980-01-01,,", "column 'first_name': This field is required."),
        ("Ada,   ,1980-01-01,,", "column 'last_name': This field is required."),
        ("A" * 101 + ",Lovell,1980-01-01,,", "at most 100 characters (it has 101)"),
        ("Ada,Lovell,1980-01-01,,,surplus", "row 3: more cells than the first row has"),
    ],
)
def test_it_names_the_row_and_column_of_a_bad_value(
    clinic_a: Clinic, tmp_path: Path, row: str, expected: str
) -> None:
    path = write_csv(tmp_path, f"{HEADER}\n{GOOD_ROW}\n{row}\n")
    run = run_import(path)
    assert run.code == 1
    assert "row 3" in run.output
    assert expected in run.output
    assert "nothing was imported" in run.output
    assert_nothing_written()


def test_it_reports_every_problem_not_only_the_first(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        f"{HEADER}\nAda,Lovell,31/02/1980,,bad-email\n{GOOD_ROW}\n,Byron,1815-12-10,x,\n",
    )
    run = run_import(path)
    assert run.code == 1
    problems = [line for line in run.output.splitlines() if line.startswith("Problem:")]
    assert problems == [
        "Problem: row 2, column 'date_of_birth': '31/02/1980' is not a date: use YYYY-MM-DD, "
        "DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or 31 Dec 1980",
        "Problem: row 2, column 'email': Enter a valid email address.",
        "Problem: row 4, column 'sex': 'x' is not a recorded sex: use female, male or leave it "
        "empty",
        "Problem: row 4, column 'first_name': This field is required.",
        "Problem: row 4, column 'date_of_birth': The date of birth cannot be before 1900.",
    ]
    assert "5 problems in clients.csv: nothing was imported" in run.output
    assert_nothing_written()


def test_it_names_every_missing_required_column(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "first_name,surname,dob\nAda,Lovell,1980-01-01\n")
    run = run_import(path)
    assert run.code == 1
    assert "missing required columns: 'last_name', 'date_of_birth'" in run.output
    assert "The first row has: 'first_name', 'surname', 'dob'" in run.output
    assert_nothing_written()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "clients.csv is empty"),
        (b"  \r\n\r\n", "clients.csv is empty"),
        (HEADER.encode() + b"\r\n", "has the column names but no clients"),
        (HEADER.encode() + b"\n,,,,\n", "has the column names but no clients"),
    ],
)
def test_it_refuses_an_empty_file(
    clinic_a: Clinic, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(content)
    run = run_import(path)
    assert run.code == 1
    assert expected in run.output
    assert_nothing_written()


def test_it_names_the_byte_it_cannot_decode(clinic_a: Clinic, tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252 and invalid alone in UTF-8: the file is neither.
    content = f"{HEADER}\n{GOOD_ROW}\n".encode() + b"Ad\x81,Lovell,1980-01-01,,\n"
    offset = content.index(b"\x81")
    path = tmp_path / "clients.csv"
    path.write_bytes(content)
    run = run_import(path)
    assert run.code == 1
    assert f"byte {offset} (value 0x81, line 3) cannot be read" in run.output
    assert "'CSV UTF-8'" in run.output
    assert_nothing_written()


def test_it_refuses_utf16_with_advice(clinic_a: Clinic, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + f"{HEADER}\n{GOOD_ROW}\n".encode("utf-16-le"))
    run = run_import(path)
    assert run.code == 1
    assert "UTF-16" in run.output
    assert_nothing_written()


def test_it_refuses_broken_csv_quoting(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, f'{HEADER}\n{GOOD_ROW}\n"Ada"x,Lovell,1980-01-01,,\n')
    run = run_import(path)
    assert run.code == 1
    assert "is not valid CSV at row 3" in run.output
    assert_nothing_written()


def test_it_refuses_duplicates_within_the_file(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{HEADER}\n{GOOD_ROW}\nimogen,FAIRWEATHER,1987-02-14,,\n")
    run = run_import(path)
    assert run.code == 1
    assert "row 3: possible duplicate: same name and date of birth as row 2" in run.output
    assert_nothing_written()


def test_it_refuses_a_duplicate_of_an_existing_client(clinic_a: Clinic, tmp_path: Path) -> None:
    existing = Client(
        clinic=clinic_a, first_name="Imogen", last_name="Fairweather", date_of_birth="1987-02-14"
    )
    existing.save()
    path = write_csv(tmp_path, f"{HEADER}\n{GOOD_ROW}\n")
    run = run_import(path)
    assert run.code == 1
    assert (
        f"row 2: possible duplicate: same name and date of birth as existing client #{existing.pk}"
        in run.output
    )
    assert Client.objects.count() == 1


def test_it_ignores_another_clinics_namesake(
    clinic_a: Clinic, clinic_b: Clinic, tmp_path: Path
) -> None:
    Client(
        clinic=clinic_b, first_name="Imogen", last_name="Fairweather", date_of_birth="1987-02-14"
    ).save()
    path = write_csv(tmp_path, f"{HEADER}\n{GOOD_ROW}\n")
    assert run_import(path, "--clinic", str(clinic_a.pk)).code == 0
    assert Client.objects.filter(clinic=clinic_a).count() == 1


def test_it_imports_duplicates_with_a_warning_when_allowed(
    clinic_a: Clinic, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, f"{HEADER}\n{GOOD_ROW}\nImogen,Fairweather,1987-02-14,,\n")
    run = run_import(path, "--allow-duplicates")
    assert run.code == 0, run.output
    assert "Warning: row 3: possible duplicate: same name and date of birth as row 2" in run.output
    assert Client.objects.count() == 2


def test_it_needs_a_clinic_when_there_are_several(clinic_a: Clinic, clinic_b: Clinic) -> None:
    run = run_import(DATA / "clients.csv")
    assert run.code == 2
    assert "choose one with --clinic ID" in run.output
    assert_nothing_written()


def test_it_refuses_an_unknown_clinic(clinic_a: Clinic) -> None:
    run = run_import(DATA / "clients.csv", "--clinic", "999999")
    assert run.code == 2
    assert "there is no clinic with id 999999" in run.output
    assert_nothing_written()


def test_it_refuses_a_missing_file(clinic_a: Clinic, tmp_path: Path) -> None:
    run = run_import(tmp_path / "nowhere.csv")
    assert run.code == 2
    assert "is not a file" in run.output
