"""Load test: simulated therapists read and write through `softtissue serve`; no write may be lost.

    python bench/load.py [--users 50] [--seconds 120] [--database-url URL]

It serves softtissue with gunicorn on the loopback interface only, from a fresh temporary data
directory (SQLite) or the PostgreSQL database given, creates a clinic of therapists with one
prepared episode each, and runs the users as threads for a bounded time and request count. Each
user logs in (session and CSRF as a browser does) and, with a short think time between requests,
reads the client list, a client page and an episode page, and writes: a new client, a consent,
and a draft SOAP note that it then signs. Every write's id is kept; afterwards each is looked up
in the database, the signed-note chain is verified, and the summary is printed. Exit status 1
when any request failed (5xx, connection error, unexpected status) or any write is missing.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "load-test-password-1"  # noqa: S105 - throwaway users in a throwaway clinic
TECHNIQUE = ("technique.soft-tissue-release", "region.elbow")
MAX_REQUESTS = 200_000
LOCATION_ID = re.compile(r"/(\d+)/")


def loopback(host: str) -> bool:
    """True for localhost and loopback addresses only: this script never loads another machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host.strip("[]"), 0))
        return int(probe.getsockname()[1])


@dataclass
class Tally:
    """What every user did, shared by the threads under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    clients: list[int] = field(default_factory=list)
    consents: Counter[int] = field(default_factory=Counter)
    drafts: list[int] = field(default_factory=list)
    signed: list[int] = field(default_factory=list)
    plans: list[int] = field(default_factory=list)
    requests: int = 0

    def record(self, seconds: float, label: str) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)
            self.statuses[label] += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Browser:
    """One user's cookies and CSRF token over fresh loopback connections (gunicorn closes them)."""

    def __init__(self, host: str, port: int, tally: Tally) -> None:
        self.host, self.port, self.tally = host, port, tally
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """Status and Location (for redirects); errors are tallied and returned as status 0."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            self.tally.record(time.perf_counter() - started, "connection error")
            self.tally.error(f"{method} {path}: {type(error).__name__}")
            return 0, ""
        finally:
            connection.close()
        self.tally.record(time.perf_counter() - started, str(response.status))
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.status >= 500:
            self.tally.error(f"{method} {path}: {response.status}")
        return response.status, response.getheader("Location") or ""

    def expect(
        self, method: str, path: str, status: int, form: dict[str, str] | None = None
    ) -> str:
        """Make the request; anything but the expected status is an error. Returns Location."""
        got, location = self.request(method, path, form)
        if got != status and got < 500 and got != 0:
            self.tally.error(f"{method} {path}: {got}, expected {status}")
        return location if got == status else ""


def location_id(location: str) -> int | None:
    match = LOCATION_ID.search(location)
    return int(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class Seat:
    """One simulated user's login and the episode prepared for their notes."""

    email: str
    client_id: int
    episode_id: int


def rows(prefix: str, techniques: list[dict[str, str]]) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(techniques)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(techniques):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def run_user(seat: Seat, browser: Browser, deadline: float, stop: threading.Event) -> None:
    """Log in, write the episode's plan, then read and write until the time is up."""
    tally = browser.tally
    browser.expect("GET", "/login/", 200)
    browser.expect("POST", "/login/", 302, {"username": seat.email, "password": PASSWORD})
    technique = {"technique": TECHNIQUE[0], "region": TECHNIQUE[1]}
    plan = {
        "goals": "Grip a kettle without pain within 6 weeks",
        "condition": "condition.lateral-elbow-tendinopathy",
        "condition_category": "",
        "frequency": "Weekly for 4 weeks",
        "review_on": (date.today() + timedelta(days=42)).isoformat(),  # within 2 years
        **rows("techniques", [{**technique, "dosage": ""}]),
    }
    where = browser.expect("POST", f"/episodes/{seat.episode_id}/plans/new/", 302, plan)
    if (plan_id := location_id(where)) is None:
        stop.set()
        tally.error(f"{seat.email}: could not write the plan; stopping")
        return
    with tally.lock:
        tally.plans.append(plan_id)
    my_clients = [seat.client_id]
    randomiser = random.Random(seat.email)
    while time.monotonic() < deadline and not stop.is_set():
        with tally.lock:
            if tally.requests >= MAX_REQUESTS:
                return
        time.sleep(randomiser.uniform(0.2, 1.0))  # a person reads the page before the next click
        action = randomiser.random()
        if action < 0.2:
            browser.expect("GET", "/clients/", 200)
        elif action < 0.4:
            browser.expect("GET", f"/clients/{randomiser.choice(my_clients)}/", 200)
        elif action < 0.6:
            browser.expect("GET", f"/episodes/{seat.episode_id}/", 200)
        elif action < 0.7:
            form = {
                "first_name": "Load",
                "last_name": f"Client {randomiser.randrange(10**6)}",
                "date_of_birth": "1990-05-21",
            }
            new = location_id(browser.expect("POST", "/clients/new/", 302, form))
            if new is not None:
                my_clients.append(new)
                with tally.lock:
                    tally.clients.append(new)
        elif action < 0.8:
            client = randomiser.choice(my_clients)
            form = {
                "kind": "health_data",
                "given": "yes",
                "method": "in_person",
                "signed_name": "Load Client",
            }
            if browser.expect("POST", f"/clients/{client}/consent/", 302, form):
                with tally.lock:
                    tally.consents[client] += 1
        else:
            note = {
                "session_date": date.today().isoformat(),
                "subjective": "Elbow 3/10 when gripping",
                "objective": "Pain-free grip 22 kg",
                "response": "Eased",
                "advice": "Isometrics twice daily",
                "plan": "Review in a week",
                **rows("techniques", [{**technique, "dosage": "10 minutes"}]),
            }
            where = browser.expect("POST", f"/episodes/{seat.episode_id}/notes/new/", 302, note)
            if (note_id := location_id(where)) is None:
                continue
            with tally.lock:
                tally.drafts.append(note_id)
            if browser.expect("POST", f"/notes/{note_id}/sign/", 302, {}):
                with tally.lock:
                    tally.signed.append(note_id)


def prepare(users: int) -> tuple[int, list[Seat]]:
    """A clinic of Level 5 therapists, each with a consenting client and an elbow episode."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from softtissue.accounts.models import Clinic, Membership, Qualification, Therapist, User
    from softtissue.assessments.models import Assessment, Episode
    from softtissue.clients.models import Client, Consent

    stamp = time.strftime("%Y%m%d%H%M%S")
    password = make_password(PASSWORD)  # hashed once: Argon2 fifty times would dominate set-up
    seats = []
    with transaction.atomic():
        clinic = Clinic.objects.create(name=f"Load test clinic {stamp}")
        for n in range(users):
            user = User.objects.create(
                email=f"load-{stamp}-{n}@example.org", first_name=f"User {n}", password=password
            )
            Membership.objects.create(user=user, clinic=clinic, role="therapist")
            therapist = Therapist.objects.create(user=user, clinic=clinic)
            Qualification.objects.create(
                therapist=therapist, clinic=clinic, knowledge_id="qualification.stt-l5"
            )
            client = Client.objects.create(
                clinic=clinic,
                first_name="Load",
                last_name=f"Seat {n}",
                date_of_birth=date(1984, 3, 9),
            )
            Consent.objects.create(
                clinic=clinic,
                client=client,
                kind=Consent.Kind.ASSESSMENT_TREATMENT,
                method=Consent.Method.IN_PERSON,
                signed_name=client.full_name,
                recorded_at=timezone.now(),
            )
            episode = Episode.objects.create(
                clinic=clinic,
                client=client,
                therapist=therapist,
                presenting_problem="Pain on the outside of the elbow when gripping",
                region="region.elbow",
                condition="condition.lateral-elbow-tendinopathy",
            )
            Assessment.objects.create(
                clinic=clinic, episode=episode, therapist=therapist, findings={}
            )
            seats.append(Seat(user.email, client.pk, episode.pk))
    return clinic.pk, seats


def check_writes(clinic_id: int, tally: Tally) -> dict[str, tuple[int, int]]:
    """Each kind of write: how many the users made, how many the database holds."""
    from django.db.models import Count

    from softtissue.clients.models import Client, Consent
    from softtissue.treatments.models import TreatmentNote, TreatmentPlan
    from softtissue.treatments.signing import verify_clinic

    found_clients = Client.objects.filter(clinic_id=clinic_id, pk__in=tally.clients).count()
    per_client = dict(
        Consent.objects.filter(
            clinic_id=clinic_id, client_id__in=tally.consents, kind="health_data"
        )
        .values_list("client_id")
        .annotate(n=Count("pk"))
    )
    found_consents = sum(min(per_client.get(c, 0), n) for c, n in tally.consents.items())
    notes = TreatmentNote.objects.filter(clinic_id=clinic_id)
    found_drafts = notes.filter(pk__in=tally.drafts).count()
    found_signed = notes.filter(pk__in=tally.signed, status="signed").exclude(content_hash="")
    plans = TreatmentPlan.objects.filter(clinic_id=clinic_id, pk__in=tally.plans).count()
    links, problems = verify_clinic(clinic_id)
    return {
        "plans": (len(tally.plans), plans),
        "clients": (len(tally.clients), found_clients),
        "consents": (sum(tally.consents.values()), found_consents),
        "draft notes": (len(tally.drafts), found_drafts),
        "signed notes": (len(tally.signed), found_signed.count()),
        "chain links intact": (links, links - len(problems)),
    }


def percentile(values: list[float], fraction: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(fraction * 100) - 1]


def wait_until_up(host: str, port: int, server: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"load: the server stopped while starting (exit {server.returncode})")
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("load: the server did not answer within a minute")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated users (1-200)")
    parser.add_argument("--seconds", type=int, default=120, help="how long to run (5-900)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to serve on")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL URL; default: SQLite in a temp dir"
    )
    args = parser.parse_args(argv)
    if not loopback(args.host):
        parser.error(
            f"--host {args.host} is not a loopback address: use 127.0.0.1, ::1 or localhost"
        )
    if not 1 <= args.users <= 200 or not 5 <= args.seconds <= 900:
        parser.error("--users must be 1-200 and --seconds 5-900")
    data_dir = tempfile.mkdtemp(prefix="softtissue-load-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="softtissue.settings",
        SOFTTISSUE_DATA_DIR=data_dir,
        SOFTTISSUE_DATABASE_URL=args.database_url,
    )
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings
    from django.db import connections

    call_command("migrate", verbosity=0)
    clinic_id, seats = prepare(args.users)
    connections.close_all()
    port = free_port(args.host)
    log = Path(data_dir) / "server.log"
    with log.open("wb") as server_log:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "softtissue", "serve", "--host", args.host),
                *("--port", str(port), "--workers", str(args.workers)),
            ],
            cwd=REPO,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
    tally = Tally()
    started = time.monotonic()
    try:
        wait_until_up(args.host, port, server, 60)
        stop = threading.Event()
        started = time.monotonic()
        deadline = started + args.seconds
        threads = [
            threading.Thread(
                target=run_user, args=(seat, Browser(args.host, port, tally), deadline, stop)
            )
            for seat in seats
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        elapsed = time.monotonic() - started
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    writes = check_writes(clinic_id, tally)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lost = sum(made - found for made, found in writes.values())
    print(f"engine: {engine}, users: {args.users}, seconds: {elapsed:.0f}, workers: {args.workers}")
    # The machine's own load matters when reading the latencies: say what it was.
    print(f"cpus: {os.cpu_count()}, load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    print(
        f"requests: {tally.requests} ({tally.requests / max(elapsed, 1):.1f}/s), "
        f"errors: {len(tally.errors)}, "
        f"statuses: {dict(sorted(tally.statuses.items()))}"
    )
    print(
        f"latency ms: p50 {1000 * percentile(tally.latencies, 0.5):.0f}, "
        f"p95 {1000 * percentile(tally.latencies, 0.95):.0f}, "
        f"max {1000 * max(tally.latencies, default=0):.0f}"
    )
    for kind, (made, found) in writes.items():
        print(f"{kind}: made {made}, found {found}")
    for message in tally.errors[:20]:
        print(f"error: {message}")
    print(f"server log: {log}")
    return 1 if tally.errors or lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
