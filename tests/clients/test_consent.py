"""Recording consent: the latest record of each kind wins; a signature is required."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.clients.consent import current_consents, has_consent
from softtissue.clients.models import Client, Consent
from tests.clients.conftest import give_consent

VALID = {
    "kind": "assessment_treatment",
    "given": "yes",
    "method": "paper",
    "signed_name": "Priya Shah",
}


@pytest.mark.parametrize("user", ["alice", "reception"])
def test_it_records_consent(
    web: WebClient, alices_client: Client, user: str, request: pytest.FixtureRequest
) -> None:
    member: User = request.getfixturevalue(user)
    web.force_login(member)
    response = web.post(reverse("record_consent", args=[alices_client.pk]), VALID)
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.kind, consent.given, consent.method) == ("assessment_treatment", True, "paper")
    assert consent.signed_name == "Priya Shah"
    assert consent.recorded_by == member
    assert consent.clinic == alices_client.clinic
    assert has_consent(alices_client, "assessment_treatment")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signed_name": "   "}, "signed_name"),
        ({"signed_name": ""}, "signed_name"),
        ({"kind": "everything"}, "kind"),
        ({"method": "telepathy"}, "method"),
        ({"given": "maybe"}, "given"),
    ],
)
def test_it_refuses_bad_consent(
    web: WebClient, alice: User, alices_client: Client, changes: dict[str, str], field: str
) -> None:
    web.force_login(alice)
    response = web.post(reverse("record_consent", args=[alices_client.pk]), {**VALID, **changes})
    assert response.status_code == 400
    assert response.context["consent_form"].errors[field]
    assert not Consent.objects.exists()


def test_it_lets_the_latest_record_win(alices_client: Client) -> None:
    earlier = give_consent(alices_client)
    earlier.recorded_at = timezone.now() - timedelta(days=3)
    earlier.save()
    give_consent(alices_client, given=False)
    assert not has_consent(alices_client, "assessment_treatment")
    give_consent(alices_client)
    assert has_consent(alices_client, "assessment_treatment")
    assert current_consents(alices_client)["share_with_gp"] is None


def test_it_refuses_an_unknown_kind(alices_client: Client) -> None:
    with pytest.raises(ValueError, match="Unknown consent kind"):
        has_consent(alices_client, "everything")


def test_it_shows_each_kind_on_the_client_page(
    web: WebClient, reception: User, alices_client: Client
) -> None:
    give_consent(alices_client, "health_data")
    give_consent(alices_client, "share_with_gp", given=False)
    web.force_login(reception)
    states = dict(web.get(alices_client.get_absolute_url()).context["consents"])
    assert states["Assessment and treatment"] is None
    assert states["Keeping health data"].given
    assert not states["Sharing with the GP"].given
    html = web.get(alices_client.get_absolute_url()).content.decode()
    assert "Withdrawn" in html and "Not recorded" in html


def test_it_refuses_an_outsider(web: WebClient, charlie: User, alices_client: Client) -> None:
    web.force_login(charlie)
    response = web.post(reverse("record_consent", args=[alices_client.pk]), VALID)
    assert response.status_code == 404
    assert not Consent.objects.exists()
