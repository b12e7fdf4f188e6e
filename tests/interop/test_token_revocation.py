"""API tokens end when the password changes; the owner sees and revokes all the clinic's tokens."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import User
from softtissue.interop.models import ApiToken
from tests.conftest import PASSWORD
from tests.interop.api_helpers import bearer

NEW_PASSWORD = "a-brand-new-passphrase-42"


def answers(headers: dict[str, str]) -> int:
    return WebClient().get("/api/v1/clients", **headers).status_code


def test_it_revokes_your_tokens_when_you_change_your_password(
    web: WebClient, alice: User, bob: User
) -> None:
    mine, also_mine, bobs = bearer(alice), bearer(alice, read_only=True), bearer(bob)
    assert answers(mine) == 200
    web.force_login(alice)
    response = web.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert answers(mine) == 401
    assert answers(also_mine) == 401
    assert answers(bobs) == 200
    assert not ApiToken.objects.filter(user=alice, revoked_at__isnull=True).exists()
    done = web.get(response["Location"]).content.decode()
    assert "2 API tokens were revoked" in done


def test_it_says_so_on_the_password_page(web: WebClient, alice: User) -> None:
    web.force_login(alice)
    assert "revokes your API tokens" in web.get("/password/").content.decode()


def test_it_keeps_your_tokens_after_a_wrong_old_password(web: WebClient, alice: User) -> None:
    mine = bearer(alice)
    web.force_login(alice)
    response = web.post(
        "/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert answers(mine) == 200


@pytest.mark.parametrize("door", ["set_password", "changepassword"])
def test_it_revokes_them_whichever_way_the_password_changes(
    web: WebClient, alice: User, door: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = bearer(alice)
    if door == "set_password":
        alice.set_password(NEW_PASSWORD)
        alice.save()
    else:
        monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
        call_command("changepassword", alice.email)
    assert answers(mine) == 401


def test_it_keeps_them_when_the_same_password_is_hashed_anew(web: WebClient, alice: User) -> None:
    alice.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    alice.save()
    mine = bearer(alice)
    response = web.post("/login/", {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.password.startswith("argon2")  # upgraded at the login
    assert answers(mine) == 200


def test_it_keeps_them_when_anything_else_about_you_changes(web: WebClient, alice: User) -> None:
    mine = bearer(alice)
    web.force_login(alice)  # writes last_login
    alice.first_name = "Alicia"
    alice.save()
    assert answers(mine) == 200


# The owner's page of every token in the clinic.


def test_it_lists_every_members_tokens_for_the_owner(
    web: WebClient, owner: User, alice: User, reception: User, charlie: User
) -> None:
    bearer(alice)
    bearer(reception, read_only=True)
    bearer(charlie)
    ApiToken.objects.filter(user=alice).update(last_used_at=timezone.now())
    web.force_login(owner)
    response = web.get("/clinic/api-tokens/")
    assert response.status_code == 200
    rows = {(t.user.email, t.read_only) for t in response.context["tokens"]}
    assert rows == {("alice@example.org", False), ("rita@example.org", True)}
    page = response.content.decode()
    for shown in ("alice@example.org", "rita@example.org", "Read only", "Read and write", "Never"):
        assert shown in page
    assert "charlie@example.org" not in page
    assert response["Cache-Control"] == "no-store"


def test_it_lets_the_owner_revoke_a_members_token(web: WebClient, owner: User, alice: User) -> None:
    headers = bearer(alice)
    token = ApiToken.objects.get(user=alice)
    web.force_login(owner)
    response = web.post(f"/clinic/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/clinic/api-tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert answers(headers) == 401
    assert "Revoked" in web.get("/clinic/api-tokens/").content.decode()


@pytest.mark.parametrize("who", ["alice", "reception"])
def test_it_answers_404_to_everyone_but_the_owner(
    web: WebClient, request: pytest.FixtureRequest, owner: User, bob: User, who: str
) -> None:
    headers = bearer(bob)
    token = ApiToken.objects.get(user=bob)
    web.force_login(request.getfixturevalue(who))
    assert web.get("/clinic/api-tokens/").status_code == 404
    assert web.post(f"/clinic/api-tokens/{token.pk}/revoke/").status_code == 404
    assert answers(headers) == 200


def test_it_answers_404_for_another_clinics_token(
    web: WebClient, owner: User, charlie: User
) -> None:
    headers = bearer(charlie)
    token = ApiToken.objects.get(user=charlie)
    web.force_login(owner)
    assert web.post(f"/clinic/api-tokens/{token.pk}/revoke/").status_code == 404
    assert answers(headers) == 200
    web.force_login(charlie)
    assert [t.pk for t in web.get("/clinic/api-tokens/").context["tokens"]] == [token.pk]


def test_it_sends_a_visitor_to_log_in(web: WebClient, db: None) -> None:
    response = web.get("/clinic/api-tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
