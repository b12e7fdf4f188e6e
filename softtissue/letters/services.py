"""Write a letter: check consent, render the checked text to HTML and PDF, keep both at once."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from softtissue.accounts.models import Therapist, User
from softtissue.assessments.models import Episode
from softtissue.assessments.questions import kb
from softtissue.clients.consent import current_consents
from softtissue.letters.drafts import may_diagnose
from softtissue.letters.models import BODY_FIELDS, Letter
from softtissue.pdf import PdfTooSlow, pdf_bytes

__all__ = ["ConsentRefused", "PdfTooSlow", "keep_letter", "pdf_bytes"]

NO_CONSENT = (
    "The client has not consented to sharing their health information: record their consent "
    "to share on the client page before writing this letter."
)


class ConsentRefused(Exception):
    """The letter cannot be sent: the client has not consented to sharing."""


def consent_statement(episode: Episode, recipient: str) -> str:
    """What the letter says about consent; raises ConsentRefused when sharing is not allowed."""
    consent = current_consents(episode.client)["share_with_gp"]
    if consent is not None and consent.given:
        return (
            f"{episode.client.full_name} consented to this information being shared "
            f"({consent.get_method_display().lower()}, {consent.recorded_at:%d %b %Y})."
        )
    if recipient == Letter.Recipient.EMERGENCY:
        # [PROJECT] An emergency handover goes without recorded consent (docs/letters.md): the
        # client's vital interest in being seen now outweighs waiting for a signature.
        return (
            "Written consent to share was not recorded before this emergency handover; the "
            "information is shared so that the client can receive urgent care."
        )
    raise ConsentRefused(NO_CONSENT)


def letterhead(therapist: Therapist | None) -> dict[str, Any]:
    """The therapist's name, qualifications (knowledge labels) and professional membership."""
    if therapist is None:
        return {"name": "", "qualifications": [], "body": "", "number": ""}
    known = kb().qualifications
    return {
        "name": str(therapist.user),
        "qualifications": [
            str(known[q]["label"]) if q in known else q for q in therapist.qualification_ids()
        ],
        "body": therapist.professional_body,
        "number": therapist.membership_number,
    }


def render_letter(letter: Letter, therapist: Therapist | None) -> str:
    """The letter as a standalone HTML page, the source of its PDF."""
    return render_to_string(
        "letters/letter_pdf.html",
        {
            "letter": letter,
            "client": letter.episode.client,
            "clinic": letter.episode.client.clinic,
            "head": letterhead(therapist),
            "impression_term": "diagnosis" if may_diagnose(therapist) else "working impression",
        },
    )


@transaction.atomic
def keep_letter(
    episode: Episode,
    kind: str,
    body: Mapping[str, str],
    author: User,
    therapist: Therapist | None,
    now: datetime,
) -> Letter:
    """Render and keep the letter; raises ConsentRefused and keeps nothing without consent."""
    statement = consent_statement(episode, body["recipient"])
    letter = Letter(
        clinic_id=episode.clinic_id,
        episode=episode,
        kind=kind,
        consent_statement=statement,
        therapist=therapist,
        created_by=author,
        created_at=now,
        **{name: body.get(name, "") for name in BODY_FIELDS},
    )
    letter.html = render_letter(letter, therapist)
    letter.pdf = pdf_bytes(letter.html)
    letter.pdf_sha256 = hashlib.sha256(letter.pdf).hexdigest()
    letter.save()
    return letter
