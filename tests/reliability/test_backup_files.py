"""A backup holds every uploaded file, each with its SHA-256, and a restore brings them back.

Issue 22, item 4: the clearance letters were not in the archive, so after a restore on a new
machine the clearance download and the subject access export answered 500.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.archives import (
    CLEARANCE_PDF,
    Target,
    make_target,
    pack,
    read_members,
    seeded_template,
    sign,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Through the real pages, as the therapist who recorded the clearance.
PAGES = """
import io, json, zipfile
from django.test import Client as WebClient
from softtissue.accounts.models import User
from softtissue.treatments.models import MedicalClearance
web = WebClient(SERVER_NAME="localhost")
web.force_login(User.objects.get(email="alice@example.org"))
clearance = MedicalClearance.objects.get()
download = web.get(f"/clearances/{clearance.pk}/")
client = clearance.plan.episode.client
owner = WebClient(SERVER_NAME="localhost")
owner.force_login(User.objects.get(email="olive@example.org"))
export = owner.get(f"/clients/{client.pk}/subject-access/")
print(json.dumps({
    "download": download.status_code,
    "pdf": download.content.decode("latin-1") if download.status_code == 200 else "",
    "export": export.status_code,
    "names": zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    if export.status_code == 200 else [],
}))
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    return seeded_template(tmp_path_factory)


@pytest.fixture
def target(tmp_path: Path, template: Path | None) -> Iterator[Target]:
    yield from make_target(tmp_path, template)


def uploads(target: Target) -> dict[str, bytes]:
    return {
        p.relative_to(target.media).as_posix(): p.read_bytes()
        for p in sorted(target.media.rglob("*"))
        if p.is_file()
    }


def test_it_puts_every_uploaded_file_and_its_sha256_in_the_archive(
    target: Target, tmp_path: Path
) -> None:
    stored = uploads(target)
    assert list(stored.values()) == [CLEARANCE_PDF]
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    assert manifest["files"] == {
        name: {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}
        for name, body in stored.items()
    }
    assert {n: b for n, b in members.items() if n.startswith("media/")} == {
        f"media/{name}": body for name, body in stored.items()
    }


def test_it_restores_the_files_on_a_new_machine_and_the_pages_serve_them(
    target: Target, tmp_path: Path
) -> None:
    import json

    stored = uploads(target)
    archive = target.backup(tmp_path / "clinic.tar.gz")
    target.wipe()
    result = target.softtissue("restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "1 uploaded file" in result.stdout
    assert uploads(target) == stored
    pages = json.loads(target.python(PAGES).stdout)
    assert pages["download"] == 200
    assert pages["pdf"].encode("latin-1") == CLEARANCE_PDF
    assert pages["export"] == 200
    assert any(name.startswith("clearances/") for name in pages["names"])


def test_it_replaces_the_uploads_of_the_database_it_replaces(
    target: Target, tmp_path: Path
) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    stray = target.media / "clearances" / "9" / "someone-elses.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-1.4 not in the backup")
    result = target.softtissue("restore", "--yes", str(archive))
    assert result.returncode == 0, result.stderr
    assert not stray.exists()
    assert list(uploads(target).values()) == [CLEARANCE_PDF]


def test_it_refuses_a_file_whose_sha256_differs_and_changes_nothing(
    target: Target, tmp_path: Path
) -> None:
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    name = next(n for n in members if n.startswith("media/"))
    members[name] = members[name].replace(b"GP", b"XX")
    altered = pack(tmp_path / "altered.tar.gz", manifest, members)
    before = uploads(target)
    result = target.softtissue("restore", "--yes", str(altered))
    assert result.returncode == 2, result.stderr
    assert f"{name}: its sha256 does not match the manifest" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert uploads(target) == before
    assert target.leftovers() == []


@pytest.mark.parametrize(
    "name", ["media/../../escaped.pdf", "/etc/escaped.pdf", "media/clearances/./x.pdf"]
)
def test_it_refuses_a_file_name_that_leaves_the_uploads_folder(
    target: Target, tmp_path: Path, name: str
) -> None:
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    body = b"%PDF-1.4 planted"
    stored_as = name.removeprefix("media/")
    manifest["files"][stored_as] = {"sha256": hashlib.sha256(body).hexdigest(), "bytes": 4}
    manifest["files"][stored_as]["bytes"] = len(body)
    members[name] = body
    planted = pack(
        tmp_path / "planted.tar.gz", sign(manifest, target.data_dir / "backup_key"), members
    )
    result = target.softtissue("restore", "--yes", str(planted))
    assert result.returncode == 2, result.stderr
    assert "is not a safe file name" in result.stderr
    assert not (tmp_path / "escaped.pdf").exists()
    assert target.leftovers() == []


def test_it_restores_a_backup_without_uploads(target: Target, tmp_path: Path) -> None:
    shutil.rmtree(target.media)
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    assert manifest["files"] == {}
    assert not any(n.startswith("media/") for n in members)
    target.wipe()
    result = target.softtissue("restore", str(tmp_path / "clinic.tar.gz"))
    assert result.returncode == 0, result.stderr
