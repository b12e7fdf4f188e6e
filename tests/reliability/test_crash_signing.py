"""A process killed with SIGKILL while it signs a note leaves the note draft or signed, never half.

The signing runs in a subprocess that stops at a chosen point (it patches its own copy of the
code, so the product carries no test hooks) and is then killed. A new process checks the note
and the chain, and signs again. SQLite runs on a file in a temporary directory (the test database
is in memory); PostgreSQL runs on pytest-django's test database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
# Committed rows: the subprocesses must see them.
pytestmark = pytest.mark.django_db(transaction=True)

SEED = """
from datetime import date
from django.core.management import call_command
from softtissue.accounts.models import Clinic, Membership, Therapist, User
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import sign_note

call_command("migrate", verbosity=0)
clinic = Clinic.objects.create(name="Crash Test Clinic")
user = User.objects.create_user("dana@example.org", "a-long-password-1", first_name="Dana")
Membership.objects.create(user=user, clinic=clinic, role="therapist")
therapist = Therapist.objects.create(user=user, clinic=clinic)
client = Client.objects.create(
    clinic=clinic, first_name="Megan", last_name="Ellis", date_of_birth=date(1998, 7, 14)
)
episode = Episode.objects.create(
    clinic=clinic, client=client, therapist=therapist, presenting_problem="Hamstring",
    region="region.leg",
)
notes = [
    TreatmentNote.objects.create(
        clinic=clinic, episode=episode, therapist=therapist, subjective=f"Session {n}"
    )
    for n in (1, 2)
]
sign_note(notes[0].pk, clinic.pk, user)
print(notes[1].pk)
"""

# Stops either inside the signing transaction, after the note's UPDATE has run but before the
# commit, or just after the commit; then waits to be killed.
SIGNER = """
import os, sys, time
from softtissue.accounts.models import User
from softtissue.treatments import signing
from softtissue.treatments.models import TreatmentNote

note = TreatmentNote.objects.get(pk=int(os.environ["NOTE_ID"]))
if os.environ["PAUSE"] == "before_commit":
    original_save = TreatmentNote.save

    def save_then_wait(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        print("paused", flush=True)
        time.sleep(600)

    TreatmentNote.save = save_then_wait
signing.sign_note(note.pk, note.clinic_id, User.objects.get(email="dana@example.org"))
print("paused", flush=True)
time.sleep(600)
"""

STATE = """
import os
from softtissue.treatments.models import TreatmentNote
note = TreatmentNote.objects.get(pk=int(os.environ["NOTE_ID"]))
print(note.status, note.sequence, bool(note.content_hash), note.signed_at is not None)
"""

SIGN_AGAIN = """
import os
from softtissue.accounts.models import User
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import SigningError, sign_note
note = TreatmentNote.objects.get(pk=int(os.environ["NOTE_ID"]))
try:
    sign_note(note.pk, note.clinic_id, User.objects.get(email="dana@example.org"))
    print("signed")
except SigningError:
    print("already signed")
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment that points a subprocess at this test's database."""
    variables = {k: v for k, v in os.environ.items() if not k.startswith("SOFTTISSUE_")}
    variables.update(
        DJANGO_SETTINGS_MODULE="softtissue.settings", SOFTTISSUE_DATA_DIR=str(tmp_path)
    )
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        # Only ever pytest-django's database.
        assert db["NAME"].startswith("test_"), db["NAME"]
        host = f"?host={db['HOST']}" if db["HOST"] else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        user = f"{db['USER']}@" if db["USER"] else ""
        variables["SOFTTISSUE_DATABASE_URL"] = f"postgres://{user}{port}/{db['NAME']}{host}"
        if db["PASSWORD"]:
            variables["PGPASSWORD"] = db["PASSWORD"]
        connection.close()
    return variables


def command(code: str) -> list[str]:
    return [sys.executable, "-c", "import django; django.setup()\n" + code]


def run(env: dict[str, str], code: str) -> str:
    result = subprocess.run(
        command(code), env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def sign_and_kill(env: dict[str, str], pause: str) -> None:
    """Start signing in a subprocess, wait until it reaches the pause, and SIGKILL it."""
    process = subprocess.Popen(
        command(SIGNER),
        env={**env, "PAUSE": pause},
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # A signer that never reaches its pause must not hang the suite.
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        watchdog.cancel()
    assert line == "paused", process.stderr.read() if process.stderr else ""
    assert process.returncode == -signal.SIGKILL


VERIFY = "from django.core.management import call_command\ncall_command('verify-notes')"


@pytest.mark.parametrize(
    ("pause", "state", "links"),
    [
        ("before_commit", "draft None False False", 1),
        ("after_commit", "signed 2 True True", 2),
    ],
)
def test_it_leaves_the_note_whole_when_killed_while_signing(
    env: dict[str, str], pause: str, state: str, links: int
) -> None:
    env["NOTE_ID"] = run(env, SEED)
    sign_and_kill(env, pause)
    assert run(env, STATE) == state
    assert run(env, VERIFY) == f"{links} signed records verified: every chain is intact."
    # After the restart the note can be signed (or already is), as link 2 of an intact chain.
    assert run(env, SIGN_AGAIN) == ("signed" if pause == "before_commit" else "already signed")
    assert run(env, STATE) == "signed 2 True True"
    assert run(env, VERIFY) == "2 signed records verified: every chain is intact."
