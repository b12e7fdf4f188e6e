"""Tampered intake, questionnaire and programme link tokens answer 404 and save nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment
from softtissue.clients.intake import issue_intake_link
from softtissue.clients.models import Consent, MedicalHistoryItem
from softtissue.outcomes import services as outcomes
from softtissue.outcomes.models import MeasureAdministration
from softtissue.rehab import services as rehab
from softtissue.rehab.models import AdherenceLog
from softtissue.tokens import token_hash

INTAKE = {
    "phone": "07700 900777",
    "gp_name": "Dr Adeyemi",
    "gp_practice": "Canal Street Surgery",
    "history": ["diabetes"],
    "medications": "",
    "consent_assessment_treatment": "yes",
    "consent_health_data": "yes",
    "consent_share_with_gp": "no",
    "signed_name": "Nina Hale",
}


def flip_last(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


TAMPERINGS: list[Callable[[str], str]] = [
    flip_last,
    lambda token: token[:-1],
    lambda token: token + "x",
    lambda token: token.upper() if token != token.upper() else token.lower(),
    token_hash,  # someone who has read the database sees only the hash: it is not a token
]
IDS = ["changed", "shortened", "lengthened", "recased", "hash"]


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=IDS)
def test_it_refuses_a_tampered_intake_link(
    web: WebClient, alice: User, alices_assessment: Assessment, tamper: Callable[[str], str]
) -> None:
    client = alices_assessment.episode.client
    Consent.objects.filter(client=client).delete()
    token, _ = issue_intake_link(client, alice)
    response = web.post(f"/intake/{tamper(token)}/", INTAKE)
    assert response.status_code == 404
    assert not Consent.objects.filter(client=client).exists()
    assert not MedicalHistoryItem.objects.filter(client=client).exists()
    client.refresh_from_db()
    assert client.phone == ""


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=IDS)
def test_it_refuses_a_tampered_questionnaire_link(
    web: WebClient, alice: User, alices_assessment: Assessment, tamper: Callable[[str], str]
) -> None:
    token, _ = outcomes.create_link(alices_assessment.episode, "nprs", alice, 60)
    response = web.post(f"/questionnaire/{tamper(token)}/", {"item_1": "6"})
    assert response.status_code == 404
    assert not MeasureAdministration.objects.exists()


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=IDS)
def test_it_refuses_a_tampered_programme_link(
    web: WebClient, alice: User, alices_assessment: Assessment, tamper: Callable[[str], str]
) -> None:
    prescribed = rehab.prescribe(
        alices_assessment.episode, alice.therapist, "exercise.chin-tuck", 1, ""
    )
    token = rehab.create_link(prescribed.programme, alice, 28, timezone.now())
    response = web.post(
        f"/exercises/{tamper(token)}/", {"exercise": str(prescribed.pk), "done": "yes"}
    )
    assert response.status_code == 404
    assert not AdherenceLog.objects.exists()


def test_it_accepts_the_untampered_links(
    web: WebClient, alice: User, alices_assessment: Assessment
) -> None:
    # The same requests with the real tokens do save: the refusals above are the tampering.
    token, _ = outcomes.create_link(alices_assessment.episode, "nprs", alice, 60)
    assert web.post(f"/questionnaire/{token}/", {"item_1": "6"}).status_code == 200
    assert MeasureAdministration.objects.count() == 1
    prescribed = rehab.prescribe(
        alices_assessment.episode, alice.therapist, "exercise.chin-tuck", 1, ""
    )
    token = rehab.create_link(prescribed.programme, alice, 28, timezone.now())
    web.post(f"/exercises/{token}/", {"exercise": str(prescribed.pk), "done": "yes"})
    assert AdherenceLog.objects.count() == 1
