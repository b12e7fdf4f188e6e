"""Helpers for the backup and restore tests: a seeded installation the commands run against.

The commands run in subprocesses, as an administrator would run them. On SQLite each test gets
its own data directory with a copy of one seeded file; on PostgreSQL the commands work on
pytest-django's test database (never on any other) and the data directory holds the uploads.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]

CLEARANCE_PDF = b"%PDF-1.4\n% a GP's clearance letter for the backup tests\n%%EOF\n"

# Two clinics, a signed note and an uploaded clearance letter (a file in MEDIA_ROOT).
SEED = """
from datetime import date
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from softtissue.accounts.models import Clinic, Membership, Therapist, User
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.treatments.models import MedicalClearance, TreatmentNote, TreatmentPlan
from softtissue.treatments.signing import sign_note

call_command("migrate", verbosity=0)
for name, email, role in (
    ("Alice's Clinic", "alice@example.org", "therapist"),
    ("Alice's Clinic", "olive@example.org", "owner"),
    ("Charlie's Clinic", "charlie@example.org", "owner"),
):
    clinic, _ = Clinic.objects.get_or_create(name=name)
    user = User.objects.create_user(email, "a-long-password-1", first_name=email[:5].title())
    Membership.objects.create(user=user, clinic=clinic, role=role)
    Therapist.objects.create(user=user, clinic=clinic)
    client = Client.objects.create(
        clinic=clinic, first_name="Nina", last_name=f"Hale {role}", date_of_birth=date(1985, 3, 2)
    )
    episode = Episode.objects.create(
        clinic=clinic, client=client, therapist=user.therapist,
        presenting_problem="Knee pain on stairs", region="region.knee",
    )
    note = TreatmentNote.objects.create(
        clinic=clinic, episode=episode, therapist=user.therapist,
        session_date=date(2026, 11, 24), subjective="First session",
        techniques=[{"technique": "technique.effleurage", "region": "region.knee"}],
    )
    sign_note(note.pk, clinic.pk, user)
    if email == "alice@example.org":
        plan = TreatmentPlan.objects.create(
            clinic=clinic, episode=episode, therapist=user.therapist,
            goals="Stairs without pain", frequency="Weekly", review_on=date(2027, 1, 15),
        )
        MedicalClearance.objects.create(
            clinic=clinic, plan=plan, given_by="Dr Okafor", given_on=date(2026, 11, 20),
            document=SimpleUploadedFile("gp.pdf", PDF, "application/pdf"), recorded_by=user,
        )
"""


@dataclass
class Target:
    """One installation the commands run against, and how to reach it from a subprocess."""

    env: dict[str, str]
    data_dir: Path
    sqlite_file: Path | None

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    def python(self, code: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        prelude = f"import django; django.setup()\nPDF = {CLEARANCE_PDF!r}\n"
        result = subprocess.run(
            [sys.executable, "-c", prelude + code],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def softtissue(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "softtissue", *args],
            env={**self.env, **(env or {})},
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )

    def backup(self, out: Path, *args: str, env: dict[str, str] | None = None) -> Path:
        result = self.softtissue("backup", str(out), *args, env=env)
        assert result.returncode == 0, result.stderr
        return out

    def wipe(self, media: bool = True) -> None:
        """The database (and the uploads) gone, as on a new machine; the backup key stays."""
        if self.sqlite_file is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_file}{suffix}").unlink(missing_ok=True)
        else:
            self.python(
                "from django.core.management import call_command\n"
                "call_command('flush', interactive=False, verbosity=0)"
            )
        if media:
            shutil.rmtree(self.media, ignore_errors=True)

    def clients(self) -> int:
        """How many clients the database holds (straight from the SQLite file when it is one)."""
        if self.sqlite_file is None:
            code = "from softtissue.clients.models import Client\nprint(Client.objects.count())"
            return int(self.python(code).stdout)
        if not self.sqlite_file.exists():
            return 0
        with contextlib.closing(sqlite3.connect(self.sqlite_file)) as db:
            return int(db.execute("SELECT count(*) FROM clients_client").fetchone()[0])

    def leftovers(self) -> list[str]:
        """Files a restore staged and should have removed, anywhere in the data directory."""
        return sorted(p.name for p in self.data_dir.rglob(".restore*"))


def base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOFTTISSUE_")}
    env.update(DJANGO_SETTINGS_MODULE="softtissue.settings", SOFTTISSUE_DATA_DIR=str(data_dir))
    return env


def seeded_template(factory: pytest.TempPathFactory) -> Path | None:
    """A seeded SQLite data directory, made once per test run; None on PostgreSQL."""
    if connection.vendor != "sqlite":
        return None
    template = factory.getbasetemp() / "seeded-installation"
    if not (template.parent / "seeded-installation.done").exists():
        shutil.rmtree(template, ignore_errors=True)
        template.mkdir()
        Target(base_env(template), template, template / "softtissue.sqlite3").python(SEED)
        (template.parent / "seeded-installation.done").touch()
    return template


def make_target(tmp_path: Path, template: Path | None) -> Iterator[Target]:
    """A fresh installation for one test: a copy of the template, or the seeded test database."""
    data_dir = tmp_path / "data"
    env = base_env(data_dir)
    if template is not None:
        shutil.copytree(template, data_dir)
        yield Target(env, data_dir, data_dir / "softtissue.sqlite3")
        return
    data_dir.mkdir()
    db = connection.settings_dict
    # The restore drops and recreates tables: only ever aim it at pytest-django's database.
    assert db["NAME"].startswith("test_"), db["NAME"]
    host = f"?host={db['HOST']}" if db["HOST"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    user = f"{db['USER']}@" if db["USER"] else ""
    env["SOFTTISSUE_DATABASE_URL"] = f"postgres://{user}{port}/{db['NAME']}{host}"
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    connection.close()
    seeded = Target(env, data_dir, None)
    seeded.python(SEED)
    yield seeded
    connection.close()


def read_members(archive: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and every other member's bytes, by name."""
    with tarfile.open(archive, "r:gz") as packed:
        members = {
            m.name: packed.extractfile(m).read()  # type: ignore[union-attr]
            for m in packed.getmembers()
        }
    return json.loads(members.pop("manifest.json")), members


def sign(manifest: dict[str, Any], key_file: Path) -> dict[str, Any]:
    """The manifest keyed again, as someone holding the installation's backup key could."""
    key = bytes.fromhex(key_file.read_text().strip())
    body = {k: v for k, v in manifest.items() if k != "manifest_hmac"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    body["manifest_hmac"] = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    return body


def pack(out: Path, manifest: dict[str, Any] | bytes, members: dict[str, bytes]) -> Path:
    """A gzipped tar with this manifest first and these members after it."""
    data = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    with tarfile.open(out, "w:gz") as packed:
        for name, body in {"manifest.json": data, **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            packed.addfile(info, io.BytesIO(body))
    return out
