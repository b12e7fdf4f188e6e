"""URLs of the accounts pages."""

from django.urls import path

from softtissue.accounts import two_factor_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.change_password, name="change_password"),
    path("profile/", views.show_profile, name="show_profile"),
    path("password/changed/", views.password_changed, name="password_changed"),
    path("login/verify/", two_factor_views.verify_two_factor, name="verify_two_factor"),
    path("profile/two-factor/", two_factor_views.show_two_factor, name="show_two_factor"),
    path(
        "profile/two-factor/confirm/",
        two_factor_views.confirm_two_factor,
        name="confirm_two_factor",
    ),
    path(
        "profile/two-factor/disable/",
        two_factor_views.disable_two_factor,
        name="disable_two_factor",
    ),
    path("clinic/security/", two_factor_views.edit_clinic_security, name="edit_clinic_security"),
]
