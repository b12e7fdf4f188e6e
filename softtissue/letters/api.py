"""API operations for letters: metadata, the kept PDF, and writing one under the consent rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from softtissue.assessments.models import Episode
from softtissue.assessments.views import current_therapist
from softtissue.interop.api_common import (
    ERRORS,
    BoundedPagination,
    ErrorOut,
    StrictIn,
    clinic_object,
    invalid,
    require_clinical,
    require_write,
)
from softtissue.letters.forms import DISCHARGE_ONLY, LetterForm
from softtissue.letters.models import BODY_FIELDS, Letter
from softtissue.letters.services import ConsentRefused, PdfTooSlow, keep_letter
from softtissue.limits import AddressText, LetterText

router = Router(tags=["letters"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The letter's PDF as it was kept, byte for byte",
            "headers": {
                "Content-Disposition": {
                    "description": "attachment; filename=letter-{id}-{kind}.pdf (no health data)",
                    "schema": {"type": "string"},
                }
            },
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class LetterIn(StrictIn):
    kind: Letter.Kind
    recipient: Letter.Recipient = Field(description="emergency: an A&E handover (referral only)")
    recipient_name: str = Field(min_length=1, max_length=200)
    recipient_address: AddressText = ""
    reason: LetterText = Field(min_length=1)
    history: LetterText = ""
    findings: LetterText = ""
    treatment: LetterText = ""
    outcomes: LetterText = Field("", description="Discharge summaries only")
    current_status: LetterText = ""
    request: LetterText = ""
    advice: LetterText = Field("", description="Discharge summaries only")


class LetterMetaOut(Schema):
    id: int
    episode_id: int
    kind: str
    recipient: str
    recipient_name: str
    therapist_id: int | None
    created_by_id: int | None
    created_at: datetime
    filename: str = Field(description="The PDF's download name")
    pdf_sha256: str


class LetterOut(LetterMetaOut):
    recipient_address: str
    reason: str
    history: str
    findings: str
    treatment: str
    outcomes: str
    current_status: str
    request: str
    advice: str
    consent_statement: str


def own_letters(request: HttpRequest) -> QuerySet[Letter]:
    # The PDF and its HTML stay in the database until the PDF itself is asked for.
    return Letter.objects.filter(clinic=request.clinic).defer("pdf", "html")  # type: ignore[attr-defined]


@router.get(
    "/episodes/{episode_id}/letters",
    response={200: list[LetterMetaOut], **ERRORS},
    url_name="list_letters",
)
@paginate(BoundedPagination)
def list_letters(request: HttpRequest, episode_id: int) -> Any:
    """The letters kept for the episode, newest first."""
    require_clinical(request)
    episode = clinic_object(request, Episode, episode_id)
    return own_letters(request).filter(episode=episode)


@router.get("/letters/{letter_id}", response={200: LetterOut, **ERRORS}, url_name="get_letter")
def get_letter(request: HttpRequest, letter_id: int) -> Letter:
    """A kept letter's text, consent statement and the checksum of its PDF."""
    require_clinical(request)
    clinic_object(request, Letter, letter_id)
    return own_letters(request).get(pk=letter_id)


@router.get(
    "/letters/{letter_id}/pdf",
    response=ERRORS,
    url_name="get_letter_pdf",
    openapi_extra=PDF_RESPONSE,
)
def get_letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    """The kept PDF, byte for byte, under a file name that carries no health data."""
    require_clinical(request)
    letter = clinic_object(request, Letter, letter_id)
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/episodes/{episode_id}/letters",
    response={201: LetterOut, **ERRORS, 409: ErrorOut, 503: ErrorOut},
    url_name="create_letter",
)
def create_letter(request: HttpRequest, episode_id: int, payload: LetterIn) -> Status[Letter]:
    """Render and keep a letter as checked; without the client's consent to share, 409.

    Only an A&E handover (a referral to recipient `emergency`) goes without recorded consent.
    """
    require_clinical(request)
    require_write(request)
    episode = clinic_object(request, Episode, episode_id)
    kind = payload.kind.value
    misplaced = [
        {"loc": ["body", "payload", name], "msg": "Only a discharge summary has this part."}
        for name in DISCHARGE_ONLY
        if kind != Letter.Kind.DISCHARGE and getattr(payload, name)
    ]
    if misplaced:
        raise ValidationError(misplaced)
    form = LetterForm(kind, payload.model_dump(mode="json", include=set(BODY_FIELDS)))
    if not form.is_valid():
        invalid(form)
    try:
        letter = keep_letter(
            episode,
            kind,
            {name: str(value) for name, value in form.cleaned_data.items()},
            request.user,  # type: ignore[arg-type]
            current_therapist(request),
            timezone.now(),
        )
    except ConsentRefused as refusal:
        raise HttpError(409, str(refusal)) from None
    except PdfTooSlow as slow:
        raise HttpError(503, str(slow)) from None
    return Status(201, letter)
