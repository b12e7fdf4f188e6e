"""URLs of the accounts pages."""

from django.urls import path

from softtissue.accounts import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.change_password, name="change_password"),
    path("profile/", views.show_profile, name="show_profile"),
    path("password/changed/", views.password_changed, name="password_changed"),
]
