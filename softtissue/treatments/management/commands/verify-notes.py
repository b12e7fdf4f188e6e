"""softtissue verify-notes: walk each clinic's chain of signed notes and report tampering."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from softtissue.accounts.models import Clinic
from softtissue.treatments.anchors import missing_key_warning
from softtissue.treatments.signing import verify_clinic


class Command(BaseCommand):
    """Recompute every signed note's and addendum's hash and check it against the head anchored
    in the audit trail; exit 1 when any does not match."""

    help = (
        "Check every clinic's chain of signed notes and addenda against its anchored head; "
        "exit 1 when one was altered, deleted, un-signed or passed off as erased."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checked = 0
        problems = []
        for clinic_id in Clinic.objects.order_by("pk").values_list("pk", flat=True):
            count, found = verify_clinic(clinic_id)
            checked += count
            problems.extend(found)
        for problem in problems:
            note = problem.note
            if problem.kind == "erased":
                self.stderr.write(
                    f"TAMPERED: erased link of note {note.pk} in clinic {problem.clinic_id}: "
                    f"{problem.reason}"
                )
                continue
            if problem.kind == "missing":
                self.stderr.write(
                    f"TAMPERED: note {note.pk} in clinic {problem.clinic_id} {problem.reason}"
                )
                continue
            what = "addendum to note" if problem.kind == "addendum" else "note"
            self.stderr.write(
                f"TAMPERED: {what} {note.pk} (client {note.episode.client_id}, "
                f"session {note.session_date:%Y-%m-%d}) in clinic {problem.clinic_id}: "
                f"{problem.reason}"
            )
        warning = missing_key_warning()
        if warning:
            self.stderr.write(f"WARNING: {warning}")
        if problems:
            raise CommandError(
                f"{len(problems)} of {checked} signed records fail verification", returncode=1
            )
        self.stdout.write(f"{checked} signed records verified: every chain is intact.")
