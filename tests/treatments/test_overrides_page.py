"""The owner's overrides page and CSV: every override of the clinic, nobody else's, owner only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client as WebClient
from django.utils import timezone

from softtissue.accounts.models import Clinic, User
from softtissue.audit.models import AuditEvent
from softtissue.clients.models import Client
from softtissue.spreadsheets import csv_cell
from softtissue.treatments import services
from softtissue.treatments.models import Override, TreatmentPlan
from tests.treatments.test_overrides import decided_plan

URLS = ["/overrides/", "/overrides/export.csv"]


def override(clinic: Clinic, user: User, reason: str, outcome: str = "warn") -> Override:
    plan = decided_plan(clinic, user, outcome, True, f"The gate said {outcome}.")
    return services.override_scope(clinic, user.membership, plan, reason)


def exported(web: WebClient) -> str:
    response = web.get("/overrides/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="overrides-')
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def test_it_lists_every_override_of_the_clinic_newest_first(
    web: WebClient, owner: User, alice: User, bob: User, clinic_a: Clinic
) -> None:
    older = override(clinic_a, alice, "The GP cleared the elbow by phone today.")
    Override.objects.filter(pk=older.pk).update(at=timezone.now() - timedelta(days=3))
    newer = override(clinic_a, bob, "Her consultant asked for this in writing.", "block")
    web.force_login(owner)
    response = web.get("/overrides/")
    assert response.status_code == 200
    assert [o.pk for o in response.context["page"]] == [newer.pk, older.pk]
    page = response.content.decode()
    client = newer.plan.episode.client
    assert "Bob" in page and "Alice" in page
    assert f"no. {client.pk}" in page
    assert client.full_name in page
    assert f"/plans/{newer.plan_id}/" in page
    assert "Blocked" in page and "Warning" in page
    assert "The gate said block." in page
    assert "Her consultant asked for this in writing." in page
    assert page.index("Her consultant") < page.index("The GP cleared")


def test_it_pages_fifty_overrides_at_a_time(
    web: WebClient, owner: User, alice: User, clinic_a: Clinic
) -> None:
    plan = decided_plan(clinic_a, alice, "warn", True)
    Override.objects.bulk_create(
        Override(
            clinic=clinic_a,
            plan=plan,
            by=alice,
            reason=f"Reason number {number} for going ahead.",
            outcome="warn",
        )
        for number in range(120)
    )
    web.force_login(owner)
    assert len(web.get("/overrides/").context["page"]) == 50
    last = web.get("/overrides/?page=3")
    assert last.context["page"].number == 3
    assert len(last.context["page"]) == 20
    assert 'rel="prev"' in last.content.decode()


def test_it_shows_an_empty_clinic_none_and_offers_no_download(web: WebClient, owner: User) -> None:
    web.force_login(owner)
    page = web.get("/overrides/").content.decode()
    assert "No overrides recorded in this clinic." in page
    assert "/overrides/export.csv" not in page


def test_it_exports_every_override_as_csv(
    web: WebClient, owner: User, alice: User, clinic_a: Clinic
) -> None:
    made = override(clinic_a, alice, "The GP cleared the elbow by phone today.", "block")
    web.force_login(owner)
    rows = list(csv.DictReader(io.StringIO(exported(web))))
    client = made.plan.episode.client
    assert rows == [
        {
            "at": timezone.localtime(made.at).isoformat(),
            "therapist": "Alice",
            "therapist_email": "alice@example.org",
            "client_number": str(client.pk),
            "client_name": client.full_name,
            "plan_id": str(made.plan_id),
            "plan_of": made.plan.created_at.date().isoformat(),
            "outcome_overridden": "block",
            "reasons_overridden": "The gate said block.",
            "reason": "The GP cleared the elbow by phone today.",
        }
    ]
    assert AuditEvent.objects.filter(
        action="export", object_type="treatments.Override", user=owner
    ).exists()


def test_it_quotes_every_field_and_defuses_formulas(
    web: WebClient, owner: User, alice: User, clinic_a: Clinic
) -> None:
    override(clinic_a, alice, '=HYPERLINK("http://x", "click") is why, said the client')
    override(clinic_a, alice, "@SUM(A1:A2) the client wrote this, then\nleft")
    override(clinic_a, alice, '-2+3 is "what" the client said, so go on')
    web.force_login(owner)
    text = exported(web)
    lines = text.splitlines()
    header = lines[0]
    assert header.startswith('"at","therapist"')
    fields = list(csv.reader(io.StringIO(text)))
    assert all(len(row) == 10 for row in fields)
    records = text.split("\r\n")
    for line in records[1:]:
        if line and not line.startswith("left"):
            assert line.startswith('"') and line.endswith('"'), line
    reasons = {row[-1] for row in fields[1:]}
    assert reasons == {
        '\'=HYPERLINK("http://x", "click") is why, said the client',
        "'@SUM(A1:A2) the client wrote this, then\nleft",
        '\'-2+3 is "what" the client said, so go on',
    }
    assert '"\'=HYPERLINK(""http://x"", ""click"") is why, said the client"' in text


def test_it_shows_no_other_clinics_overrides(
    web: WebClient, owner: User, alice: User, charlie: User, clinic_a: Clinic, clinic_b: Clinic
) -> None:
    ours = override(clinic_a, alice, "Ours: the GP cleared it by phone today.")
    Client.objects.filter(pk=ours.plan.episode.client_id).update(last_name="Quillfeather")
    theirs = override(clinic_b, charlie, "Theirs: the GP cleared it by phone today.")
    web.force_login(owner)
    assert [o.pk for o in web.get("/overrides/").context["page"]] == [ours.pk]
    assert "Theirs" not in exported(web)
    outsider = WebClient()
    outsider.force_login(charlie)
    response = outsider.get("/overrides/")
    assert [o.pk for o in response.context["page"]] == [theirs.pk]
    for text in (response.content.decode(), exported(outsider)):
        assert "Theirs" in text
        assert "Ours" not in text
        assert "Quillfeather" not in text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturned", "'\rReturned"),
        ("Plain text = fine", "Plain text = fine"),
        (42, "42"),
        (None, ""),
    ],
)
def test_it_guards_each_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


@pytest.mark.parametrize("who", ["alice", "reception"])
@pytest.mark.parametrize("url", URLS)
def test_it_refuses_everyone_but_the_owner(
    web: WebClient,
    request: pytest.FixtureRequest,
    who: str,
    url: str,
    alice: User,
    clinic_a: Clinic,
) -> None:
    override(clinic_a, alice, "The GP cleared the elbow by phone today.")
    web.force_login(request.getfixturevalue(who))
    response = web.get(url)
    assert response.status_code == 403
    assert b"GP cleared" not in response.content


@pytest.mark.parametrize("url", URLS)
def test_it_sends_a_visitor_to_log_in(web: WebClient, db: None, url: str) -> None:
    response = web.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_it_links_the_page_for_the_owner_only(
    web: WebClient, owner: User, alice: User, reception: User
) -> None:
    for user, linked in [(owner, True), (alice, False), (reception, False)]:
        web.force_login(user)
        assert ('href="/overrides/"' in web.get("/").content.decode()) is linked, user


def test_it_keeps_the_reason_out_of_the_audit_trail_and_links(
    web: WebClient, owner: User, alice: User, clinic_a: Clinic
) -> None:
    made = override(clinic_a, alice, "Zanzibarine letter from the GP says carry on.")
    web.force_login(owner)
    page = web.get("/overrides/").content.decode()
    exported(web)
    assert "Zanzibarine" in page
    events = repr(list(AuditEvent.objects.values()))
    assert "Zanzibarine" not in events
    assert made.plan.episode.client.last_name not in events
    plan: TreatmentPlan = made.plan
    assert f'href="/plans/{plan.pk}/"' in page
    assert "Zanzibarine" not in " ".join(part.split('"', 1)[0] for part in page.split('href="')[1:])
