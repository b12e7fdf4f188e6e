"""Importing the generic CSV format: every documented column, dates, encodings, search, dry run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from softtissue.accounts.models import Clinic
from softtissue.clients.models import Client, ClientSearchTerm
from softtissue.clients.normalise import phone_digits
from softtissue.clients.search import search_clients
from tests.interop.import_helpers import DATA, HEADER, run_import, write_csv, write_many

pytestmark = pytest.mark.django_db


def test_it_imports_every_documented_column(clinic_a: Clinic) -> None:
    run = run_import(DATA / "clients.csv")
    assert run.code == 0, run.output
    assert "Imported 4 clients and 0 appointments into Alice's Clinic." in run.output
    imogen = Client.objects.get(last_name="Fairweather")
    assert imogen.clinic == clinic_a
    assert (imogen.first_name, imogen.preferred_name) == ("Imogen", "Immy")
    assert imogen.date_of_birth == date(1987, 2, 14)
    assert imogen.sex == "female"
    assert imogen.phone == "07700 900456"
    assert imogen.email == "imogen.fairweather@example.com"
    assert imogen.address == "12 Orchard Row\nTetbury"
    assert imogen.postcode == "GL8 8AB"
    assert imogen.occupation == "Primary teacher"
    assert imogen.activities == "Netball"
    assert imogen.emergency_contact == "Tom Fairweather 07700 900457"
    assert (imogen.gp_name, imogen.gp_practice) == ("Dr R Okafor", "Elm Lane Surgery")
    assert imogen.gp_address == "3 Elm Lane, Tetbury"
    assert imogen.gp_phone == "01666 500100"


def test_it_reads_each_accepted_date_format_and_sex_spelling(clinic_a: Clinic) -> None:
    assert run_import(DATA / "clients.csv").code == 0
    born = dict(Client.objects.values_list("last_name", "date_of_birth"))
    assert born == {
        "Fairweather": date(1987, 2, 14),  # DD/MM/YYYY
        "O'Rourke": date(1979, 11, 3),  # YYYY-MM-DD
        "Hartley-Brown": date(1995, 6, 5),  # DD.MM.YYYY
        "Sandhu": date(1962, 9, 28),  # DD-MM-YYYY
    }
    sexes = dict(Client.objects.values_list("last_name", "sex"))
    assert sexes == {
        "Fairweather": "female",
        "O'Rourke": "male",
        "Hartley-Brown": "",
        "Sandhu": "male",
    }


def test_it_makes_imported_clients_searchable(clinic_a: Clinic) -> None:
    assert run_import(DATA / "clients.csv").code == 0
    assert ClientSearchTerm.objects.filter(clinic=clinic_a).exists()

    def found(query: str) -> list[str]:
        return [client.last_name for client in search_clients(clinic_a, query).page.object_list]

    assert found("zoe") == ["Hartley-Brown"]  # accents folded, as when typed in
    assert found("orourke") == ["O'Rourke"]
    assert found("immy") == ["Fairweather"]
    assert found("07700 900111") == ["O'Rourke"]  # +44 stored as the national 0
    assert found("AMRIT.SANDHU@example.net") == ["Sandhu"]
    assert found("14/02/1987") == ["Fairweather"]


def test_it_writes_the_same_search_terms_as_saving_a_client(clinic_a: Clinic) -> None:
    assert run_import(DATA / "clients.csv").code == 0
    for client in Client.objects.all():
        stored = set(client.search_terms.values_list("clinic", "client", "term", "sort_name"))
        made = {(t.clinic_id, t.client_id, t.term, t.sort_name) for t in client.search_term_rows()}
        assert stored == made
        assert client.phone_digits == phone_digits(client.phone)


def test_it_writes_nothing_on_a_dry_run(clinic_a: Clinic) -> None:
    run = run_import(DATA / "clients.csv", "--dry-run")
    assert run.code == 0, run.output
    assert "Dry run: 4 clients" in run.output
    assert "nothing was written" in run.output
    assert not Client.objects.exists()
    assert not ClientSearchTerm.objects.exists()


def test_it_reads_a_windows_1252_file(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{HEADER}\nRenée,Dubois,01/05/1990,female,\n", encoding="cp1252")
    run = run_import(path)
    assert run.code == 0, run.output
    assert "read as cp1252" in run.output
    assert Client.objects.get().first_name == "Renée"


def test_it_reads_a_utf8_file_with_a_byte_order_mark(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{HEADER}\nŁukasz,Wójcik,1988-03-04,male,\n", encoding="utf-8-sig")
    run = run_import(path)
    assert run.code == 0, run.output
    assert Client.objects.get().first_name == "Łukasz"


def test_it_accepts_headers_in_any_case_and_spacing(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "First Name,LAST NAME,Date of birth\nAnya,Petrova,1991-10-10\n")
    assert run_import(path).code == 0
    assert Client.objects.get().last_name == "Petrova"


def test_it_warns_about_ignored_columns(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_csv(tmp_path, f"{HEADER},shoe_size\nAnya,Petrova,1991-10-10,,,5\n")
    run = run_import(path)
    assert run.code == 0
    assert "Warning: columns ignored: shoe_size" in run.output


def test_it_imports_into_the_clinic_named(clinic_a: Clinic, clinic_b: Clinic) -> None:
    run = run_import(DATA / "clients.csv", "--clinic", str(clinic_b.pk))
    assert run.code == 0, run.output
    assert set(Client.objects.values_list("clinic", flat=True)) == {clinic_b.pk}
    assert set(ClientSearchTerm.objects.values_list("clinic", flat=True)) == {clinic_b.pk}


def test_it_refuses_the_same_file_twice(clinic_a: Clinic) -> None:
    assert run_import(DATA / "clients.csv").code == 0
    run = run_import(DATA / "clients.csv")
    assert run.code == 1
    assert run.output.count("possible duplicate: same name and date of birth as existing") == 4
    assert Client.objects.count() == 4


def test_it_writes_no_batch_when_a_late_row_is_bad(clinic_a: Clinic, tmp_path: Path) -> None:
    path = write_many(tmp_path / "many.csv", 2500)
    with path.open("a") as handle:
        handle.write("Late,Row,30/02/1990,,\n")
    run = run_import(path)
    assert run.code == 1
    assert "row 2502, column 'date_of_birth': '30/02/1990' is not a date" in run.output
    assert not Client.objects.exists()
