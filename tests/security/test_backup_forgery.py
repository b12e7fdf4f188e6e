"""The manifest is keyed with an HMAC whose key stays in the data directory, never in an archive.

Issue 22, item 6: an archive edited with a recomputed manifest restored. Without the key the
manifest's sha256 values detect damage, not forgery; with it, a forged manifest is refused.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.archives import (
    Target,
    make_target,
    pack,
    read_members,
    seeded_template,
    sign,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    return seeded_template(tmp_path_factory)


@pytest.fixture
def target(tmp_path: Path, template: Path | None) -> Iterator[Target]:
    yield from make_target(tmp_path, template)


def forge(target: Target, archive: Path, out: Path) -> Path:
    """One more client's worth of change in the dump, with every sha256 recomputed."""
    manifest, members = read_members(archive)
    dump = manifest["dump"]
    body = members[dump] + b"\0" * 512
    members[dump] = body
    manifest.update(dump_sha256=hashlib.sha256(body).hexdigest(), dump_bytes=len(body))
    return pack(out, manifest, members)


def test_it_keeps_the_key_private_and_out_of_the_archive(target: Target, tmp_path: Path) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    key_file = target.data_dir / "backup_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(bytes.fromhex(key)) == 32
    manifest, members = read_members(archive)
    assert len(manifest["manifest_hmac"]) == 64
    assert manifest["key_id"] == hashlib.sha256(bytes.fromhex(key)).hexdigest()[:16]
    assert all(key.encode() not in body for body in members.values())
    assert "backup_key" not in " ".join(members)


def test_it_refuses_a_manifest_recomputed_without_the_key(target: Target, tmp_path: Path) -> None:
    forged = forge(target, target.backup(tmp_path / "clinic.tar.gz"), tmp_path / "forged.tar.gz")
    before = target.clients()
    result = target.softtissue("restore", "--yes", str(forged))
    assert result.returncode == 2
    assert "the manifest's HMAC does not match" in result.stderr
    assert "altered after the backup was made" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert target.clients() == before


def test_it_refuses_a_manifest_without_its_hmac(target: Target, tmp_path: Path) -> None:
    manifest, members = read_members(target.backup(tmp_path / "clinic.tar.gz"))
    del manifest["manifest_hmac"]
    stripped = pack(tmp_path / "stripped.tar.gz", manifest, members)
    result = target.softtissue("restore", "--yes", str(stripped))
    assert result.returncode == 2
    assert "manifest.json lacks manifest_hmac" in result.stderr


def test_it_restores_a_manifest_keyed_with_this_installations_key(
    target: Target, tmp_path: Path
) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    manifest, members = read_members(archive)
    resigned = pack(
        tmp_path / "resigned.tar.gz", sign(manifest, target.data_dir / "backup_key"), members
    )
    result = target.softtissue("restore", "--yes", str(resigned))
    assert result.returncode == 0, result.stderr


def test_it_asks_for_the_key_or_a_flag_on_a_new_machine(target: Target, tmp_path: Path) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    key_file = target.data_dir / "backup_key"
    kept_key = tmp_path / "backup_key.copy"
    shutil.copyfile(key_file, kept_key)
    target.wipe()
    key_file.unlink()
    result = target.softtissue("restore", str(archive))
    assert result.returncode == 2
    assert "this data directory has no backup_key" in result.stderr
    assert "--skip-key-check" in result.stderr
    # The administrator copies the old machine's key in: the archive's origin is proven.
    shutil.copyfile(kept_key, key_file)
    key_file.chmod(0o600)
    assert target.softtissue("restore", str(archive)).returncode == 0


def test_it_restores_without_the_key_only_when_told_and_says_what_that_proves(
    target: Target, tmp_path: Path
) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    target.wipe()
    (target.data_dir / "backup_key").unlink()
    result = target.softtissue("restore", "--skip-key-check", str(archive))
    assert result.returncode == 0, result.stderr
    assert "not checked against a backup key: damage is detected, not forgery" in result.stdout


def test_it_refuses_an_archive_keyed_on_another_installation(
    target: Target, tmp_path: Path
) -> None:
    archive = target.backup(tmp_path / "clinic.tar.gz")
    (target.data_dir / "backup_key").write_text("ab" * 32)
    result = target.softtissue("restore", "--yes", str(archive))
    assert result.returncode == 2
    assert "was keyed by another installation" in result.stderr
