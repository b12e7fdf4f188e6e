"""The REST API at /api/v1/: each app brings its router; the browser session authenticates."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from softtissue.outcomes.api import router as outcomes_router

api = NinjaAPI(
    title="softtissue API",
    version="1",
    description="Clinical records for soft tissue therapists. Every operation is scoped to the "
    "caller's clinic; another clinic's records answer 404.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", outcomes_router)
