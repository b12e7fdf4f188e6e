"""URLs of the interop pages."""

from django.urls import path

from softtissue.interop import tokens

urlpatterns = [
    path("api-tokens/", tokens.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", tokens.revoke_api_token, name="revoke_api_token"),
]
