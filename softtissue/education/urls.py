"""URLs of the education pages."""

from django.urls import path

from softtissue.education import views

urlpatterns = [
    path("leaflets/", views.leaflet_list, name="leaflet_list"),
    path("leaflets/<str:condition_id>/", views.leaflet_detail, name="leaflet_detail"),
    path("clients/<int:pk>/leaflets/", views.give_leaflet, name="give_leaflet"),
]
