"""The project's URLs: each app brings its own."""

from django.urls import include, path

from softtissue.admin_site import site
from softtissue.api import api

urlpatterns = [
    path("admin/", site.urls),
    path("api/v1/", api.urls),
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
