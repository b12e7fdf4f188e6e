"""URLs of letters and the re-assessment comparison."""

from django.urls import path

from softtissue.letters import views

urlpatterns = [
    path("episodes/<int:episode_id>/letters/new/", views.create_letter, name="create_letter"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path(
        "episodes/<int:episode_id>/compare/",
        views.compare_assessments,
        name="compare_assessments",
    ),
]
