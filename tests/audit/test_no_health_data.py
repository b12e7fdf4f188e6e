"""Audit events hold ids, names of things and numbers: never a name, a condition or a note."""

from __future__ import annotations

from django.test import Client as WebClient

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from tests.records import MARKER_SURNAME, build_full_record

# Words of the record built below that must never reach the trail.
HEALTH_WORDS = [MARKER_SURNAME, "Harriet", "Asthma", "Salbutamol", "Stiff low back", "Okafor"]


def test_it_keeps_no_record_content_in_any_event(
    web: WebClient, clinic_a: Clinic, alice: User
) -> None:
    record = build_full_record(clinic_a, alice)
    web.force_login(alice)
    pages = [
        f"/clients/?q={MARKER_SURNAME}",
        f"/clients/{record.client.pk}/",
        f"/episodes/{record.episode.pk}/",
        f"/assessments/{record.assessment.pk}/",
        f"/notes/{record.note.pk}/",
        f"/letters/{record.letter.pk}/",
        f"/plans/{record.plan.pk}/",
    ]
    for page in pages:
        assert web.get(page).status_code == 200, page
    web.post(
        f"/clients/{record.client.pk}/history/",
        {"description": "Zygomycosis of the left Asthma"},
    )
    events = list(AuditEvent.objects.values())
    assert len(events) > len(pages)
    text = repr(events)
    for word in [*HEALTH_WORDS, "Zygomycosis"]:
        assert word.lower() not in text.lower(), word
