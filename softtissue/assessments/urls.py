"""URLs of the episode and assessment pages."""

from django.urls import path

from softtissue.assessments import sections, views

urlpatterns = [
    path("clients/<int:client_id>/episodes/new/", views.open_episode, name="open_episode"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode_detail"),
    path("episodes/<int:pk>/discharge/", views.discharge_episode, name="discharge_episode"),
    path("episodes/<int:pk>/impression/", views.record_impression, name="record_impression"),
    path("episodes/<int:pk>/assessments/new/", views.start_assessment, name="start_assessment"),
    path("assessments/<int:pk>/", sections.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/reasoning/",
        sections.assessment_reasoning,
        name="assessment_reasoning",
    ),
    path(
        "assessments/<int:pk>/safety-net/",
        sections.safety_net_card,
        name="safety_net_card",
    ),
    path(
        "assessments/<int:pk>/sections/<slug:section>/",
        sections.save_section,
        name="save_assessment_section",
    ),
    path(
        "assessments/<int:pk>/marks/<int:mark_id>/delete/",
        sections.delete_mark,
        name="delete_mark",
    ),
]
