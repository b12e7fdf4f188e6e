"""softtissue verify-notes: an intact chain passes; a row altered in the database is named."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from softtissue.accounts.models import User
from softtissue.treatments.models import Addendum, TreatmentNote
from softtissue.treatments.signing import add_addendum, sign_note


@pytest.fixture
def signed(draft: TreatmentNote, level5: User) -> TreatmentNote:
    note = sign_note(draft.pk, draft.clinic_id, level5)
    add_addendum(note.pk, note.clinic_id, level5, "Taped the forearm.")
    return note


def test_it_passes_an_intact_chain(
    signed: TreatmentNote, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("verify-notes")
    assert capsys.readouterr().out == "2 signed records verified: every chain is intact.\n"


def test_it_names_a_note_altered_in_the_database(
    signed: TreatmentNote, capsys: pytest.CaptureFixture[str]
) -> None:
    TreatmentNote.objects.filter(pk=signed.pk).update(subjective="Rewritten later")
    with pytest.raises(CommandError, match="1 of 2 signed records fail") as raised:
        call_command("verify-notes")
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert f"TAMPERED: note {signed.pk} (client {signed.episode.client_id}, session " in err
    assert "content changed after signing" in err


def test_it_names_an_altered_addendum(
    signed: TreatmentNote, capsys: pytest.CaptureFixture[str]
) -> None:
    Addendum.objects.update(text="Never taped anything.")
    with pytest.raises(CommandError):
        call_command("verify-notes")
    assert f"TAMPERED: addendum to note {signed.pk}" in capsys.readouterr().err


def test_it_notices_a_deleted_link(signed: TreatmentNote) -> None:
    Addendum.objects.all()._raw_delete(Addendum.objects.db)  # type: ignore[attr-defined]
    later = TreatmentNote.objects.create(clinic=signed.clinic, episode=signed.episode)
    TreatmentNote.objects.filter(pk=later.pk).update(
        status="signed", sequence=3, content_hash="0" * 64, previous_hash="1" * 64
    )
    with pytest.raises(CommandError):
        call_command("verify-notes")
