"""A therapist who leaves is deactivated, never deleted: their signed notes stay theirs, and intact.

Issue 22, item 1: the admin let an owner delete a therapist; the note's therapist was SET_NULL,
so Django rewrote every signed note of theirs behind the signed-note guard, every one then
failed verify-notes, and no later backup restored. `backup` now checks the chains first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client as WebClient

from softtissue.accounts.models import Membership, Therapist, User
from softtissue.audit.models import AuditEvent
from softtissue.treatments.models import TreatmentNote, TreatmentPlan
from softtissue.treatments.signing import sign_note, verify_clinic
from tests.conftest import PASSWORD

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def signed(draft: TreatmentNote, bob: User) -> TreatmentNote:
    return sign_note(draft.pk, draft.clinic_id, bob)


def test_it_offers_no_delete_for_a_therapist_or_member(
    web: WebClient, owner: User, bob: User, signed: TreatmentNote
) -> None:
    web.force_login(owner)
    for model, pk in (("therapist", bob.therapist.pk), ("membership", bob.membership.pk)):
        assert web.get(f"/admin/accounts/{model}/{pk}/delete/").status_code == 403
        assert web.post(f"/admin/accounts/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
        changelist = web.get(f"/admin/accounts/{model}/").content.decode()
        assert "delete_selected" not in changelist
        assert "deactivate" in changelist
        response = web.post(
            f"/admin/accounts/{model}/",
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
            follow=True,
        )
        assert "No action selected." in response.content.decode()  # there is no such action
    assert Therapist.objects.filter(pk=bob.therapist.pk).exists()
    assert Membership.objects.filter(pk=bob.membership.pk).exists()
    assert TreatmentNote.objects.get(pk=signed.pk).therapist_id == bob.therapist.pk
    assert verify_clinic(signed.clinic_id) == (1, [])


@pytest.mark.parametrize("model", ["therapist", "membership"])
def test_it_deactivates_a_leaver_and_keeps_their_notes(
    web: WebClient, owner: User, bob: User, signed: TreatmentNote, model: str
) -> None:
    bobs_session = WebClient()
    bobs_session.force_login(bob)
    assert bobs_session.get("/clients/").status_code == 200
    web.force_login(owner)
    row = bob.therapist if model == "therapist" else bob.membership
    response = web.post(
        f"/admin/accounts/{model}/", {"action": "deactivate", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    assert bobs_session.get("/clients/").status_code == 302  # logged out where he was in
    again = WebClient()
    assert again.post("/login/", {"username": bob.email, "password": PASSWORD}).status_code == 200
    assert again.get("/clients/").status_code == 302
    note = TreatmentNote.objects.get(pk=signed.pk)
    assert (note.therapist_id, note.signed_by_id) == (bob.therapist.pk, bob.pk)
    assert verify_clinic(signed.clinic_id) == (1, [])
    event = AuditEvent.objects.filter(object_type="accounts.User", object_id=bob.pk).get()
    assert (event.action, event.user_id, event.clinic_id) == (
        "update",
        owner.pk,
        owner.membership.clinic_id,
    )


def test_it_reactivates_a_returner(web: WebClient, owner: User, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(is_active=False)
    web.force_login(owner)
    web.post(
        "/admin/accounts/therapist/",
        {"action": "reactivate", "_selected_action": [bob.therapist.pk]},
    )
    bob.refresh_from_db()
    assert bob.is_active


def test_it_will_not_let_an_owner_deactivate_themselves(web: WebClient, owner: User) -> None:
    web.force_login(owner)
    response = web.post(
        "/admin/accounts/membership/",
        {"action": "deactivate", "_selected_action": [owner.membership.pk]},
        follow=True,
    )
    assert "You cannot deactivate yourself" in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active


def test_it_will_not_deactivate_another_clinics_member(
    web: WebClient, owner: User, charlie: User
) -> None:
    web.force_login(owner)
    web.post(
        "/admin/accounts/membership/",
        {"action": "deactivate", "_selected_action": [charlie.membership.pk]},
    )
    charlie.refresh_from_db()
    assert charlie.is_active


@pytest.mark.parametrize("row", ["therapist", "user"])
def test_it_protects_the_therapist_of_a_signed_note(
    signed: TreatmentNote, bob: User, row: str
) -> None:
    with pytest.raises(ProtectedError):
        (bob.therapist if row == "therapist" else bob).delete()
    assert TreatmentNote.objects.get(pk=signed.pk).therapist_id == bob.therapist.pk
    assert verify_clinic(signed.clinic_id) == (1, [])


def test_it_protects_the_therapist_of_a_plan(allowed_plan: TreatmentPlan, bob: User) -> None:
    with pytest.raises(ProtectedError):
        bob.therapist.delete()
    assert TreatmentPlan.objects.get(pk=allowed_plan.pk).therapist_id == bob.therapist.pk


def test_it_protects_the_clinic_of_a_signed_note(signed: TreatmentNote) -> None:
    with pytest.raises(ProtectedError):
        signed.clinic.delete()


@pytest.fixture
def broken(signed: TreatmentNote) -> TreatmentNote:
    TreatmentNote.objects.filter(pk=signed.pk).update(subjective="Rewritten later")
    return signed


def test_the_backup_refuses_a_broken_chain(
    broken: TreatmentNote, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clinic.tar.gz"
    with pytest.raises(CommandError) as raised:
        call_command("backup", str(out))
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert f"note {broken.pk} content changed after signing" in message
    assert "--allow-broken-chain" in message
    assert not out.exists()


# Seeds a signed note and rewrites it, in a subprocess: the backup command needs a database file
# (on SQLite the test database is in memory) or, on PostgreSQL, pytest-django's test database.
SEED_AND_TAMPER = """
from datetime import date
from django.core.management import call_command
from softtissue.accounts.models import Clinic, Membership, Therapist, User
from softtissue.assessments.models import Episode
from softtissue.clients.models import Client
from softtissue.treatments.models import TreatmentNote
from softtissue.treatments.signing import sign_note

call_command("migrate", verbosity=0)
clinic = Clinic.objects.create(name="Leaver Clinic")
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
note = TreatmentNote.objects.create(
    clinic=clinic, episode=episode, therapist=therapist, subjective="First session"
)
sign_note(note.pk, clinic.pk, user)
TreatmentNote.objects.filter(pk=note.pk).update(subjective="Rewritten after signing")
print(clinic.pk, note.pk)
"""


def installation(data_dir: Path) -> dict[str, str]:
    """The environment of a subprocess aimed at its own data directory (and the test database
    on PostgreSQL, never any other)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOFTTISSUE_")}
    env.update(DJANGO_SETTINGS_MODULE="softtissue.settings", SOFTTISSUE_DATA_DIR=str(data_dir))
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        assert db["NAME"].startswith("test_"), db["NAME"]
        host = f"?host={db['HOST']}" if db["HOST"] else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        user = f"{db['USER']}@" if db["USER"] else ""
        env["SOFTTISSUE_DATABASE_URL"] = f"postgres://{user}{port}/{db['NAME']}{host}"
        if db["PASSWORD"]:
            env["PGPASSWORD"] = db["PASSWORD"]
        connection.close()
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=300
    )


@pytest.mark.django_db(transaction=True)
def test_the_backup_goes_on_past_a_broken_chain_only_when_told(tmp_path: Path) -> None:
    env = installation(tmp_path / "data")
    seeded = run(env, "-c", "import django; django.setup()\n" + SEED_AND_TAMPER)
    assert seeded.returncode == 0, seeded.stderr
    clinic, note = seeded.stdout.split()
    refused = run(env, "-m", "softtissue", "backup", str(tmp_path / "refused.tar.gz"))
    assert refused.returncode == 2
    assert f"note {note} content changed after signing" in refused.stderr
    assert not (tmp_path / "refused.tar.gz").exists()
    kept = run(
        env, "-m", "softtissue", "backup", str(tmp_path / "kept.tar.gz"), "--allow-broken-chain"
    )
    assert kept.returncode == 0, kept.stderr
    assert f"WARNING: clinic {clinic}: note {note} content changed after signing" in kept.stderr
    assert (tmp_path / "kept.tar.gz").exists()
