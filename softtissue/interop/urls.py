"""URLs of the interop pages."""

from django.urls import path

from softtissue.interop import tokens

urlpatterns = [
    path("api-tokens/", tokens.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", tokens.revoke_api_token, name="revoke_api_token"),
    path("clinic/api-tokens/", tokens.clinic_api_tokens, name="clinic_api_tokens"),
    path(
        "clinic/api-tokens/<int:pk>/revoke/",
        tokens.revoke_clinic_api_token,
        name="revoke_clinic_api_token",
    ),
]
