"""No consent to share, no letter: refused, said next to the form, nothing kept."""

from __future__ import annotations

from django.test import Client as WebClient

from softtissue.accounts.models import User
from softtissue.assessments.models import Assessment, Episode
from softtissue.clients.models import Consent
from softtissue.letters.models import Letter
from tests.letters.conftest import consent
from tests.letters.test_it_writes_referral_letters import posted, referral_url


def withdraw(episode: Episode) -> None:
    consent(episode.client, Consent.Kind.SHARE_WITH_GP, given=False)


def test_it_refuses_a_gp_letter_after_consent_was_withdrawn(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    withdraw(assessment.episode)
    web.force_login(alice)
    response = web.post(referral_url(assessment.episode), posted(history="Typed by Alice"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "has not consented to sharing" in page
    assert "Typed by Alice" in page
    assert not Letter.objects.exists()


def test_it_refuses_when_consent_was_never_asked(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    Consent.objects.filter(kind=Consent.Kind.SHARE_WITH_GP).delete()
    web.force_login(alice)
    for kind in ("referral", "clearance", "discharge"):
        url = f"/episodes/{assessment.episode_id}/letters/new/?kind={kind}"
        assert "has not consented to sharing" in web.get(url).content.decode()
        assert web.post(url, posted()).status_code == 400
    assert not Letter.objects.exists()


def test_it_allows_an_emergency_handover_and_says_consent_was_not_recorded(
    web: WebClient, alice: User, assessment: Assessment
) -> None:
    withdraw(assessment.episode)
    web.force_login(alice)
    response = web.post(
        referral_url(assessment.episode),
        posted(recipient="emergency", recipient_name="Duty clinician, A&E"),
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert "Written consent to share was not recorded" in letter.html
    assert bytes(letter.pdf).startswith(b"%PDF")


def test_it_states_the_consent_given(web: WebClient, alice: User, assessment: Assessment) -> None:
    web.force_login(alice)
    web.post(referral_url(assessment.episode), posted())
    assert "Priya Shah consented to this information being shared (in person" in (
        Letter.objects.get().html
    )
