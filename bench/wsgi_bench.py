"""softtissue's WSGI app plus one bare Django JSON view, for measuring the API's own overhead.

    gunicorn --chdir bench wsgi_bench:application

The bare view reads the same client row as `GET /api/v1/clients/{id}` behind the same
middleware and the same session login and clinic check, and returns it with a plain
JsonResponse: the difference between the two is what django-ninja (routing, auth classes,
schema validation and serialisation) costs. It lives here so nothing bench-only ships.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.core.wsgi import get_wsgi_application

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softtissue.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings exist only after the app is made
from django.http import Http404, HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

from softtissue.clients.models import Client  # noqa: E402
from softtissue.urls import urlpatterns as product_urls  # noqa: E402

FIELDS = (
    "id",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "address",
    "postcode",
    "occupation",
    "activities",
    "emergency_contact",
    "gp_name",
    "gp_practice",
    "gp_address",
    "gp_phone",
    "created_at",
    "updated_at",
)


def bare_client(request: HttpRequest, client_id: int) -> JsonResponse:
    """The client row as JSON, with the same login, role and clinic checks as the API."""
    membership = getattr(request, "membership", None)
    if not request.user.is_authenticated or membership is None:
        return JsonResponse({"detail": "Log in."}, status=401)
    if not membership.is_clinical:
        return JsonResponse({"detail": "Clinical staff only."}, status=403)
    row = Client.objects.filter(clinic=request.clinic, pk=client_id).values(*FIELDS).first()  # type: ignore[attr-defined]
    if row is None:
        raise Http404("No such client.")
    return JsonResponse(row)


urlpatterns = [*product_urls, path("bench/bare-client/<int:client_id>", bare_client)]
settings.ROOT_URLCONF = __name__
