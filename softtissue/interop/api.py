"""API operations of interop: a client's record as a FHIR R4B Bundle."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from softtissue.clients.models import Client
from softtissue.interop.api_common import ERRORS, clinic_object, require_clinical
from softtissue.interop.fhir import client_bundle_json

router = Router(tags=["FHIR export"])

FHIR_JSON = "application/fhir+json"


@router.get(
    "/clients/{client_id}/fhir",
    response={200: dict[str, object], **ERRORS},
    url_name="export_client_fhir",
    openapi_extra={
        "responses": {
            200: {
                "description": "A FHIR R4B Bundle (type collection) of the client's record.",
                "content": {FHIR_JSON: {"schema": {"type": "object"}}},
            }
        }
    },
)
def export_client_fhir(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client's whole record as a FHIR R4B collection Bundle (see docs/fhir.md)."""
    require_clinical(request)
    client = clinic_object(request, Client, client_id)
    response = HttpResponse(client_bundle_json(client), content_type=FHIR_JSON)
    # A download name without health data; the body must not sit in shared caches.
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}-fhir.json"'
    response["Cache-Control"] = "no-store"
    return response
