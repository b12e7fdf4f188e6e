"""URLs of the rehab pages."""

from django.urls import path

from softtissue.rehab import views

urlpatterns = [
    path("episodes/<int:episode_id>/rehab/", views.programme_detail, name="programme_detail"),
    path("episodes/<int:episode_id>/rehab/add/", views.add_exercise, name="add_exercise"),
    path(
        "episodes/<int:episode_id>/rehab/exercises/<int:prescribed_id>/",
        views.change_exercise,
        name="change_exercise",
    ),
    path(
        "episodes/<int:episode_id>/rehab/exercises/<int:prescribed_id>/move/",
        views.move_exercise,
        name="move_exercise",
    ),
    path(
        "episodes/<int:episode_id>/rehab/exercises/<int:prescribed_id>/remove/",
        views.remove_exercise,
        name="remove_exercise",
    ),
    path(
        "episodes/<int:episode_id>/rehab/notes/",
        views.save_programme_notes,
        name="save_programme_notes",
    ),
    path(
        "episodes/<int:episode_id>/rehab/home-programme.pdf",
        views.programme_pdf,
        name="programme_pdf",
    ),
    path(
        "episodes/<int:episode_id>/rehab/link/",
        views.create_programme_link,
        name="create_programme_link",
    ),
    path("exercises/<str:token>/", views.follow_programme, name="follow_programme"),
]
