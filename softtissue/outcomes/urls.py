"""URLs of the outcome measure pages."""

from django.urls import path

from softtissue.outcomes import views

urlpatterns = [
    path("episodes/<int:episode_id>/measures/", views.episode_measures, name="episode_measures"),
    path("episodes/<int:episode_id>/measures/choose/", views.choose_measure, name="choose_measure"),
    path(
        "episodes/<int:episode_id>/measures/<str:measure>/new/",
        views.administer_measure,
        name="administer_measure",
    ),
    path(
        "episodes/<int:episode_id>/measures/<str:measure>/link/",
        views.create_questionnaire_link,
        name="create_questionnaire_link",
    ),
    path(
        "episodes/<int:episode_id>/measures/<str:measure>/chart.svg",
        views.measure_chart,
        name="measure_chart",
    ),
    path("questionnaire/<str:token>/", views.fill_questionnaire, name="fill_questionnaire"),
    path("outcomes/", views.outcomes_report, name="outcomes_report"),
]
