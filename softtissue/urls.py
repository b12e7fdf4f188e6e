"""The project's URLs: each app brings its own."""

from django.urls import include, path, re_path

from softtissue.admin_site import site
from softtissue.api import api
from softtissue.interop.api_common import not_found

urlpatterns = [
    path("admin/", site.urls),
    path("api/v1/", api.urls),
    # Any other path under /api/ names no operation: a 404 in the API's shape, not a page (and
    # no slash-appending redirect first).
    re_path(r"^api/", not_found),
    path("", include("softtissue.accounts.urls")),
    path("", include("softtissue.clients.urls")),
    path("", include("softtissue.assessments.urls")),
    path("", include("softtissue.education.urls")),
    path("", include("softtissue.outcomes.urls")),
    path("", include("softtissue.letters.urls")),
    path("", include("softtissue.treatments.urls")),
    path("", include("softtissue.rehab.urls")),
    path("", include("softtissue.audit.urls")),
    path("", include("softtissue.privacy.urls")),
    path("", include("softtissue.appointments.urls")),
    path("", include("softtissue.interop.urls")),
]
