"""`softtissue export fhir OUT`: a valid Bundle to a file or stdout, and clear refusals."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from softtissue.accounts.models import Clinic, User
from softtissue.clients.models import Client
from tests.interop.fhir_checks import parse, references, resources
from tests.interop.fhir_record import full_record


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", "fhir", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_writes_one_clients_bundle_to_a_file(alice: User, tmp_path: Path) -> None:
    client = full_record(alice, letters=False)
    target = tmp_path / "priya.json"
    export(str(target), "--client", str(client.pk))
    bundle = parse(target.read_text())
    assert len(resources(bundle, "Patient")) == 1
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert list(tmp_path.iterdir()) == [target]


def test_it_writes_the_whole_clinic_to_stdout(alice: User, charlie: User) -> None:
    full_record(alice, letters=False)
    full_record(alice, first_name="Ola", letters=False)
    full_record(charlie, first_name="Cara", letters=False)
    bundle = parse(export("-", "--clinic", str(alice.membership.clinic_id)))
    names = sorted(p["name"][0]["given"][0] for p in resources(bundle, "Patient"))
    assert names == ["Ola", "Priya"]
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    assert set(references(bundle)) <= full_urls


def test_it_streams_many_clients_in_chunks(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from softtissue.management.commands import export as command

    monkeypatch.setattr(command, "CHUNK_SIZE", 7)  # several chunks from a small clinic
    clinic = alice.membership.clinic
    for number in range(40):
        Client.objects.create(
            clinic=clinic,
            first_name=f"C{number}",
            last_name="Many",
            date_of_birth=date(1970, 1, 1),
        )
    full_record(alice, letters=False)
    bundle = parse(export("-"))
    assert len(resources(bundle, "Patient")) == 41
    assert set(references(bundle)) <= {e["fullUrl"] for e in bundle["entry"]}


def test_it_refuses_an_unknown_client(alice: User) -> None:
    with pytest.raises(CommandError, match="no client 999999"):
        export("-", "--client", "999999")


def test_it_refuses_another_clinics_client(alice: User, charlie: User) -> None:
    theirs = full_record(charlie, first_name="Cara", letters=False)
    clinic = str(alice.membership.clinic_id)
    with pytest.raises(CommandError, match=f"no client {theirs.pk} in clinic {clinic}"):
        export("-", "--client", str(theirs.pk), "--clinic", clinic)


def test_it_refuses_an_unknown_clinic(alice: User) -> None:
    with pytest.raises(CommandError, match="no clinic 999999"):
        export("-", "--clinic", "999999")


def test_it_asks_which_clinic_when_there_are_several(alice: User, charlie: User) -> None:
    with pytest.raises(CommandError, match="--clinic"):
        export("-")


def test_it_refuses_an_unwritable_destination(alice: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot write"):
        export(str(tmp_path / "missing" / "out.json"))
    with pytest.raises(CommandError, match="is a directory"):
        export(str(tmp_path))


def test_it_refuses_an_unknown_format(alice: User) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export", "csv", "-")


def test_it_leaves_an_old_file_alone_when_the_export_fails(
    alice: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from softtissue.interop.fhir import bundle as bundle_module

    target = tmp_path / "out.json"
    target.write_text('{"old": true}')
    full_record(alice, letters=False)

    def broken(*args: object) -> None:
        raise RuntimeError("disk went away")

    monkeypatch.setattr(bundle_module.care, "consent", broken)
    with pytest.raises(RuntimeError):
        export(str(target))
    assert json.loads(target.read_text()) == {"old": True}
    assert list(tmp_path.iterdir()) == [target]


def test_it_exports_an_empty_clinic(alice: User) -> None:
    bundle = parse(export("-", "--clinic", str(Clinic.objects.get().pk)))
    assert resources(bundle, "Patient") == []
