"""A synthetic clinic of N clients with a realistic record each, for benchmarks at scale.

    .venv/bin/python bench/synthetic.py --clients 100000 [--engine sqlite|postgres] [--seed 1]

Prints the SOFTTISSUE_DATABASE_URL of a generated database. Databases are cached under
/tmp/softtissue-bench (SQLite files) or as PostgreSQL databases named softtissue_bench_<n>_s<seed>,
keyed by size, engine, seed and generator version, so later runs reuse them; --force rebuilds.

`build_clinic(n)` fills whatever database Django is configured with (the tests use it on the
test database). Every name, date and answer comes from a random.Random seeded by `seed`.
Every value is fictional; ids (regions, body-chart areas, movements, tests, techniques,
measures, exercises, qualifications) are real knowledge-base ids, and scores come from the
reasoning core's scorer, so pages render exactly as they would for a real clinic.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# Throwaway benchmark databases: the brief keeps them under /tmp on purpose.
CACHE_DIR = Path(os.environ.get("SOFTTISSUE_BENCH_CACHE", "/tmp/softtissue-bench"))  # noqa: S108
POSTGRES_HOST = os.environ.get("SOFTTISSUE_BENCH_POSTGRES_HOST", "/var/run/postgresql")
# Bump when the shape of the generated data changes, so cached databases are rebuilt.
GENERATOR_VERSION = 2
PASSWORD = "bench-password-123"  # noqa: S105 - synthetic logins in throwaway databases only
THERAPIST_EMAIL = "therapist@bench.example"
OWNER_EMAIL = "owner@bench.example"
RECEPTION_EMAIL = "reception@bench.example"
# A fixed "today" so a seed always gives the same dates, whenever it is run.
ANCHOR = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
NOTES_PER_CLIENT = 10

FIRST = """
Aaliyah Abdul Ada Adam Aisha Alex Alfie Alice Amara Amelia Amir Amy Andrew Anna Archie Arjun Ava
Ben Bethan Callum Charlie Chloe Chris Connor Daisy Daniel David Dylan Eleanor Eli Ella Emily
Emma Ethan Evie Faith Finley Freya George Grace Hannah Harper Harry Harvey Hugo Ibrahim Imogen
Isaac Isla Jack Jacob James Jasmine Jessica Joe John Joshua Kai Katie Layla Leo Lewis Liam Lily
Logan Lucy Luke Maisie Maria Mason Matilda Megan Mia Michael Mohammed Molly Muhammad Nathan
Niamh Noah Olivia Oliver Oscar Paige Poppy Priya Rachel Reuben Rhys Rosie Ruby Ryan Samuel Sara
Scarlett Sebastian Sienna Sofia Sophie Thomas Toby Tom Wiktoria William Zara Zoe
""".split()  # noqa: SIM905 - names read best as words
LAST = """
Adams Ahmed Ali Allen Anderson Bailey Baker Barker Begum Bell Bennett Brown Butler Campbell
Carter Chapman Clark Clarke Collins Cook Cooper Cox Davies Davis Dixon Edwards Ellis Evans
Fisher Fletcher Foster Gibson Graham Gray Green Griffiths Hall Harris Harrison Hill Holmes
Hughes Hunt Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Kennedy Khan King Knight Lee
Lewis Lloyd Marshall Martin Mason Matthews Miller Mills Mitchell Moore Morgan Morris Murphy
Murray Owen Palmer Parker Patel Pearson Phillips Powell Price Richards Richardson Roberts
Robinson Rogers Rose Russell Saunders Scott Shah Shaw Simpson Singh Smith Stevens Stewart Taylor
Thomas Thompson Turner Walker Ward Watson Webb Wells White Wilkinson Williams Wilson Wood Wright
Young O'Brien Nowak Kowalski Okafor Adeyemi Mensah Nguyen Chen Wang Ferreira
""".split()  # noqa: SIM905 - names read best as words
OCCUPATIONS = (
    "Teacher",
    "Nurse",
    "Software developer",
    "Electrician",
    "Retired",
    "Student",
    "Warehouse operative",
    "Accountant",
    "Chef",
    "Plasterer",
    "Delivery driver",
    "Hairdresser",
)
ACTIVITIES = (
    "Running, parkrun most Saturdays",
    "Five-a-side football",
    "Cycling to work",
    "Gym three times a week",
    "Tennis",
    "Swimming",
    "Yoga",
    "Walking the dog",
    "Netball",
    "Rugby (club level)",
    "",
)
HISTORY = ("Diabetes", "Asthma", "High blood pressure", "Osteoporosis", "Previous knee surgery")
MEDICINES = (("Metformin", "500 mg twice daily"), ("Warfarin", "3 mg daily"), ("Salbutamol", ""))
# Questionnaires a therapist would choose for each region (besides a pain rating).
MEASURES_BY_REGION = {
    "region.neck": "ndi",
    "region.thoracic": "psfs",
    "region.lumbar-pelvis": "odi",
    "region.shoulder": "spadi",
    "region.elbow": "quickdash",
    "region.wrist-hand": "quickdash",
    "region.hip-groin": "lefs",
    "region.knee": "koos12",
    "region.leg": "lefs",
    "region.ankle-foot": "lefs",
}
# The therapists of the clinic: (first name, last name, qualification knowledge ids).
THERAPISTS = (
    ("Jo", "Clarke", ("qualification.stt-l5",)),
    ("Sam", "Patel", ("qualification.smt-l3",)),
    ("Alex", "Morgan", ("qualification.smt-l4",)),
    ("Tom", "Baker", ("qualification.sports-therapist-l6",)),
)


@dataclass
class BuiltClinic:
    """What build_clinic made: the clinic's id, its logins and how many rows of each kind."""

    clinic_id: int
    clients: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def cache_key(clients: int, engine: str, seed: int) -> str:
    """The name a generated database is cached under."""
    return f"softtissue_bench_{clients}_s{seed}_v{GENERATOR_VERSION}_{engine}"


def database_url(clients: int, engine: str, seed: int = 1) -> str:
    """SOFTTISSUE_DATABASE_URL of the cached database for this size, engine and seed."""
    key = cache_key(clients, engine, seed)
    if engine == "postgres":
        return f"postgres:///{key}?host={POSTGRES_HOST}"
    if engine == "sqlite":
        return f"sqlite:///{CACHE_DIR / key}.sqlite3"
    raise ValueError(f"unknown engine {engine!r}: use sqlite or postgres")


def ready_marker(clients: int, engine: str, seed: int) -> Path:
    """A file written only once a generated database is complete."""
    return CACHE_DIR / f"{cache_key(clients, engine, seed)}.json"


def ensure_database(clients: int, engine: str, seed: int = 1, force: bool = False) -> str:
    """The URL of a complete generated database, building it in a subprocess when missing."""
    marker = ready_marker(clients, engine, seed)
    if marker.exists() and not force:
        return database_url(clients, engine, seed)
    command = [sys.executable, __file__, "--clients", str(clients), "--engine", engine]
    command += ["--seed", str(seed), *(["--force"] if force else [])]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return database_url(clients, engine, seed)


def setup_django(url: str) -> None:
    """Point Django at the database and set it up (once per process)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "softtissue.settings"
    os.environ["SOFTTISSUE_DATABASE_URL"] = url
    os.environ.setdefault("SOFTTISSUE_DATA_DIR", str(CACHE_DIR / "data"))
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def chunks(total: int, size: int) -> Iterator[range]:
    """Consecutive ranges of at most `size` covering 0..total."""
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


class Generator:
    """Builds rows for one clinic; all randomness comes from one seeded Random."""

    def __init__(self, seed: int) -> None:
        from softtissue.assessments.questions import movements, region_questions, suggested_tests
        from softtissue.reasoning import default_knowledge

        self.rng = random.Random(seed)
        self.kb = default_knowledge()
        self.regions = sorted(self.kb.regions)
        self.questions = {r: region_questions(r) for r in self.regions}
        self.movements = {r: [m["id"] for m in movements(r)] for r in self.regions}
        self.tests = {r: suggested_tests(r) for r in self.regions}
        self.areas = {r: list(self.kb.regions[r]["body_chart"]) for r in self.regions}
        self.conditions = {r: self.kb.conditions_by_region.get(r, ()) for r in self.regions}
        self.exercises = {
            r: sorted(k for k, e in self.kb.exercises.items() if e.get("region") == r)
            for r in self.regions
        }
        self.techniques = sorted(self.kb.techniques)

    def finding_value(self, code: str) -> object:
        """A plausible answer to one finding question."""
        finding = self.kb.findings[code]
        if finding.type == "boolean":
            return self.rng.random() < 0.3
        if finding.type == "number":
            low = int(finding.min if finding.min is not None else 0)
            high = int(finding.max if finding.max is not None else 10)
            return self.rng.randint(low, min(high, low + 20))
        if finding.type == "choice":
            return self.rng.choice(finding.choices)
        return None

    def findings(self, region: str) -> dict[str, object]:
        """Pain now plus a few of the region's own questions answered."""
        asked = self.questions[region]
        chosen = self.rng.sample(asked, min(len(asked), self.rng.randint(3, 6)))
        answers = {code: self.finding_value(code) for code in chosen}
        answers["pain_nrs"] = self.rng.randint(2, 8)
        return {code: value for code, value in answers.items() if value is not None}

    def answers(self, measure: str, improvement: float) -> list[int | None]:
        """Answers to every item, shifted towards 'better' as the client improves."""
        definition = self.kb.measures[measure]
        out: list[int | None] = []
        for item in definition.items:
            allowed = sorted(item.allowed)
            worse_high = item.higher_means == "worse"
            position = self.rng.uniform(0.35, 0.75) - improvement * self.rng.uniform(0.3, 0.6)
            if not worse_high:
                position = 1 - position
            position = min(max(position, 0.0), 1.0)
            out.append(allowed[round(position * (len(allowed) - 1))])
        return out


def build_clinic(
    clients: int,
    *,
    seed: int = 1,
    batch: int = 500,
    notes_per_client: int = NOTES_PER_CLIENT,
    progress: bool = False,
) -> BuiltClinic:
    """Fill the configured database with one clinic of `clients` clients and their records."""
    from django.db import connection, transaction

    from softtissue.accounts.models import Clinic

    started = time.perf_counter()
    generator = Generator(seed)
    with transaction.atomic():
        clinic = Clinic.objects.create(name=f"Bench clinic ({clients:,} clients, seed {seed})")
        therapist_ids, user_ids = make_staff(clinic, generator)
    built = BuiltClinic(clinic.pk, clients)
    chain = Chain()
    for numbers in chunks(clients, batch):
        with transaction.atomic():
            counts = make_clients(clinic.pk, numbers, generator, therapist_ids, user_ids, chain)
            counts["notes"] = make_notes(
                clinic.pk, counts.pop("_notes"), chain, notes_per_client, generator
            )
        for name, count in counts.items():
            built.counts[name] = built.counts.get(name, 0) + count
        if progress:
            print(f"\r{numbers.stop:,} clients", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    reset_sequences()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would by the time anyone used the clinic: statistics, visibility map
            # (VACUUM cannot run inside a transaction, as in the tests).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    built.seconds = time.perf_counter() - started
    return built


def make_staff(clinic: Any, generator: Generator) -> tuple[list[int], list[int]]:
    """An owner, four therapists with their qualifications, and a receptionist."""
    from django.contrib.auth.hashers import make_password

    from softtissue.accounts.models import Membership, Qualification, Therapist, User

    # One hash for every login: Argon2 is slow on purpose, and six hashes cost seconds.
    hashed = make_password(PASSWORD)

    def member(email: str, first: str, last: str, role: str) -> User:
        user = User.objects.create(email=email, password=hashed, first_name=first, last_name=last)
        Membership.objects.create(user=user, clinic=clinic, role=role)
        return user

    therapist_ids, user_ids = [], []
    owner = member(OWNER_EMAIL.replace("@", f"+{clinic.pk}@"), "Rachel", "Rivers", "owner")
    Therapist.objects.create(user=owner, clinic=clinic)
    for number, (first, last, qualifications) in enumerate(THERAPISTS):
        email = THERAPIST_EMAIL if number == 0 else f"therapist{number}@bench.example"
        email = email.replace("@", f"+{clinic.pk}@")
        user = member(email, first, last, "therapist")
        therapist = Therapist.objects.create(
            user=user, clinic=clinic, professional_body="Institute of Soft Tissue Therapists"
        )
        for knowledge_id in qualifications:
            Qualification.objects.create(
                clinic=clinic,
                therapist=therapist,
                knowledge_id=knowledge_id,
                awarding_body="Bench awarding body",
                awarded_on=date(2015 + number, 7, 1),
            )
        therapist_ids.append(therapist.pk)
        user_ids.append(user.pk)
    member(RECEPTION_EMAIL.replace("@", f"+{clinic.pk}@"), "Amy", "Reid", "reception")
    return therapist_ids, user_ids


def login_email(clinic_id: int, role: str = "therapist") -> str:
    """The email of a generated clinic's first therapist (or owner or receptionist)."""
    base = {"therapist": THERAPIST_EMAIL, "owner": OWNER_EMAIL, "reception": RECEPTION_EMAIL}[role]
    return base.replace("@", f"+{clinic_id}@")


@dataclass
class Chain:
    """The head of the clinic's signing chain, carried from batch to batch."""

    sequence: int = 0
    previous_hash: str = ""
    next_note_id: int = 0


def make_clients(
    clinic_id: int,
    numbers: range,
    g: Generator,
    therapist_ids: Sequence[int],
    user_ids: Sequence[int],
    chain: Chain,
) -> dict[str, Any]:
    """One batch of clients with consents, history, episodes, assessments, plans and measures."""
    from softtissue.assessments.models import (
        Assessment,
        BodyChartMark,
        Episode,
        RangeOfMotion,
        SpecialTestResult,
    )
    from softtissue.clients.coding import match_history, match_medication
    from softtissue.clients.models import (
        Client,
        ClientSearchTerm,
        Consent,
        MedicalHistoryItem,
        Medication,
    )
    from softtissue.outcomes.models import MeasureAdministration, MeasureSeries
    from softtissue.outcomes.services import score_answers
    from softtissue.rehab.models import PrescribedExercise, Programme
    from softtissue.treatments.models import PlanTechnique, TreatmentPlan

    rng = g.rng
    people = []
    for number in numbers:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        born = date(1935, 1, 1) + timedelta(days=rng.randrange(70 * 365))
        phone = f"07{rng.randrange(10**8, 10**9)}"
        client = Client(
            clinic_id=clinic_id,
            first_name=first,
            last_name=last,
            preferred_name=rng.choice(("", "", "", first[:3])),
            date_of_birth=born,
            sex=rng.choice(("female", "male", "")),
            phone=f"{phone[:5]} {phone[5:]}",
            email=f"{first}.{last}{number}@example.com".lower().replace("'", ""),
            address=f"{rng.randint(1, 220)} {rng.choice(LAST)} Road",
            postcode=f"{rng.choice(('LS', 'M', 'B', 'BS', 'N', 'SE'))}{rng.randint(1, 20)} "
            f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLN')}",
            occupation=rng.choice(OCCUPATIONS),
            activities=rng.choice(ACTIVITIES),
            emergency_contact=f"{rng.choice(FIRST)} {last}, 07700 900{rng.randint(100, 999)}",
            gp_name=f"Dr {rng.choice(FIRST)} {rng.choice(LAST)}",
            gp_practice=f"{rng.choice(LAST)} Health Centre",
        )
        client.fill_search_columns()
        people.append(client)
    Client.objects.bulk_create(people)
    terms = [row for c in people for row in c.search_term_rows()]
    ClientSearchTerm.objects.bulk_create(terms)

    consents, history, medicines, episodes = [], [], [], []
    for client in people:
        # A practice's records build up over years: clients joined over the last fifteen.
        joined = ANCHOR - timedelta(days=rng.randrange(30, 15 * 365))
        for kind in Consent.Kind.values:
            consents.append(
                Consent(
                    clinic_id=clinic_id,
                    client=client,
                    kind=kind,
                    given=not (kind == "share_with_gp" and rng.random() < 0.1),
                    method=rng.choice(("in_person", "tablet", "paper")),
                    signed_name=client.full_name,
                    recorded_at=joined,
                    recorded_by_id=rng.choice(user_ids),
                )
            )
        if rng.random() < 0.3:
            description = rng.choice(HISTORY)
            history.append(
                MedicalHistoryItem(
                    clinic_id=clinic_id,
                    client=client,
                    description=description,
                    finding_code=match_history(description),
                    client_reported=True,
                    recorded_at=joined,
                )
            )
        if rng.random() < 0.2:
            name, dose = rng.choice(MEDICINES)
            medicines.append(
                Medication(
                    clinic_id=clinic_id,
                    client=client,
                    name=name,
                    dose=dose,
                    knowledge_id=match_medication(name),
                    client_reported=True,
                    recorded_at=joined,
                )
            )
        count = 1 if rng.random() < 0.7 else 2
        for index in range(count):
            region = rng.choice(g.regions)
            later = joined + timedelta(days=index * rng.randint(120, 400))
            opened = min(later, ANCHOR - timedelta(days=rng.randint(7, 60)))
            conditions = g.conditions[region]
            episodes.append(
                Episode(
                    clinic_id=clinic_id,
                    client=client,
                    therapist_id=rng.choice(therapist_ids),
                    presenting_problem=f"{rng.choice(('Pain', 'Stiffness', 'Ache'))} in the "
                    f"{rng.choice(g.areas[region])} for {rng.randint(1, 20)} weeks",
                    region=region,
                    opened_at=opened,
                    # Only the last episode may still be open.
                    discharged_at=opened + timedelta(days=70) if index < count - 1 else None,
                    discharge_reason="Goals met" if index < count - 1 else "",
                    condition=rng.choice(conditions) if conditions and rng.random() < 0.8 else "",
                )
            )
    Consent.objects.bulk_create(consents)
    MedicalHistoryItem.objects.bulk_create(history)
    Medication.objects.bulk_create(medicines)
    Episode.objects.bulk_create(episodes)

    assessments = []
    for episode in episodes:
        for index in range(1 if rng.random() < 0.5 else 2):
            assessments.append(
                Assessment(
                    clinic_id=clinic_id,
                    episode=episode,
                    therapist_id=episode.therapist_id,
                    started_at=episode.opened_at + timedelta(days=28 * index),
                    kind="initial" if index == 0 else "reassessment",
                    onset=rng.choice(("sudden", "gradual", "after_trauma")),
                    mechanism="Came on after a long run" if rng.random() < 0.3 else "",
                    symptom_duration_weeks=rng.randint(1, 52),
                    aggravating=rng.choice(("Sitting", "Stairs", "Lifting", "Gripping")),
                    easing=rng.choice(("Rest", "Heat", "Moving about")),
                    irritability=rng.choice(("low", "moderate", "high")),
                    previous_episodes=rng.random() < 0.3,
                    goals="Back to sport without pain",
                    findings=g.findings(episode.region),
                )
            )
    Assessment.objects.bulk_create(assessments)

    marks, motions, results = [], [], []
    for assessment in assessments:
        region = assessment.episode.region
        for area in rng.sample(g.areas[region], min(len(g.areas[region]), rng.randint(1, 3))):
            marks.append(mark(clinic_id, assessment, area, g))
        for movement in rng.sample(g.movements[region], min(2, len(g.movements[region]))):
            motions.append(
                RangeOfMotion(
                    clinic_id=clinic_id,
                    assessment=assessment,
                    movement_id=movement,
                    side=rng.choice(("left", "right")),
                    degrees=rng.randint(10, 90),
                    painful=rng.random() < 0.4,
                )
            )
        for test in rng.sample(g.tests[region], min(len(g.tests[region]), rng.randint(0, 2))):
            results.append(
                SpecialTestResult(
                    clinic_id=clinic_id,
                    assessment=assessment,
                    test_id=test,
                    result=rng.choice(("positive", "negative", "negative")),
                )
            )
    BodyChartMark.objects.bulk_create(marks)
    RangeOfMotion.objects.bulk_create(motions)
    SpecialTestResult.objects.bulk_create(results)

    plans = [
        TreatmentPlan(
            clinic_id=clinic_id,
            episode=episode,
            therapist_id=episode.therapist_id,
            created_at=episode.opened_at + timedelta(hours=1),
            goals="Run 5 km pain-free within eight weeks",
            condition=episode.condition,
            condition_category="",
            frequency="Weekly for 6 weeks",
            review_on=(episode.opened_at + timedelta(days=42)).date(),
        )
        for episode in episodes
    ]
    TreatmentPlan.objects.bulk_create(plans)
    plan_techniques = [
        PlanTechnique(clinic_id=clinic_id, plan=plan, technique=technique, region=region)
        for plan in plans
        for technique in g.rng.sample(g.techniques, 2)
        for region in (plan.episode.region,)
    ]
    PlanTechnique.objects.bulk_create(plan_techniques)

    administrations = []
    for episode in episodes:
        for measure in ("nprs", MEASURES_BY_REGION.get(episode.region, "psfs")):
            for visit in range(rng.randint(1, 3)):
                answers = g.answers(measure, improvement=visit / 2)
                result = score_answers(measure, answers)
                administrations.append(
                    MeasureAdministration(
                        clinic_id=clinic_id,
                        episode=episode,
                        measure=measure,
                        answers=answers,
                        score=result.score,
                        scorable=result.scorable,
                        band=result.band or "",
                        reason=result.reason or "",
                        subscales=result.as_json()["subscales"],
                        administered_at=episode.opened_at + timedelta(days=21 * visit),
                        entered_by_id=rng.choice(user_ids),
                    )
                )
    MeasureAdministration.objects.bulk_create(administrations)
    # bulk_create skips the model's save(), so the series the outcomes report reads are made here:
    # the list holds each episode's visits of a measure in the order they were given.
    series: dict[tuple[int, str], MeasureSeries] = {}
    for given in administrations:
        if not given.scorable:
            continue
        key = (given.episode_id, given.measure)
        if key in series:
            series[key].latest_score = given.score
            series[key].followed_up = True
        else:
            series[key] = MeasureSeries(
                clinic_id=clinic_id,
                episode_id=given.episode_id,
                measure=given.measure,
                condition=given.episode.condition,
                started_at=given.administered_at,
                baseline_score=given.score,
                latest_score=given.score,
                followed_up=False,
            )
    MeasureSeries.objects.bulk_create(series.values())

    programmes = [
        Programme(
            clinic_id=clinic_id,
            episode=episode,
            therapist_id=episode.therapist_id,
            created_at=episode.opened_at + timedelta(days=7),
            notes="Little and often; stop if the pain is worse the next morning.",
        )
        for episode in episodes
        if g.exercises[episode.region] and rng.random() < 0.4
    ]
    Programme.objects.bulk_create(programmes)
    prescribed = [
        PrescribedExercise(
            clinic_id=clinic_id,
            programme=programme,
            exercise=exercise,
            phase=1 + order // 2,
            dosage=rng.choice(
                ("3 x 10, daily", "3 x 30 s hold, twice daily", "2 x 15, alternate days")
            ),
            order=order,
        )
        for programme in programmes
        for order, exercise in enumerate(
            rng.sample(
                g.exercises[programme.episode.region],
                min(3, len(g.exercises[programme.episode.region])),
            )
        )
    ]
    PrescribedExercise.objects.bulk_create(prescribed)

    therapist_users = dict(zip(therapist_ids, user_ids, strict=True))
    pending = [
        (
            episode,
            therapist_users.get(episode.therapist_id or 0, user_ids[0]),
        )
        for episode in episodes
    ]
    return {
        "clients": len(people),
        "search_terms": len(terms),
        "consents": len(consents),
        "history_items": len(history),
        "medications": len(medicines),
        "episodes": len(episodes),
        "assessments": len(assessments),
        "body_chart_marks": len(marks),
        "range_of_motion": len(motions),
        "special_tests": len(results),
        "plans": len(plans),
        "plan_techniques": len(plan_techniques),
        "measures": len(administrations),
        "programmes": len(programmes),
        "prescribed_exercises": len(prescribed),
        "_notes": pending,
    }


def mark(clinic_id: int, assessment: Any, area: str, g: Generator) -> Any:
    """A body-chart mark drawn on a figure the area appears on, with a valid side."""
    from softtissue.assessments import bodychart
    from softtissue.assessments.models import BodyChartMark

    rng = g.rng
    view = rng.choice(sorted(bodychart.views_of(area)))
    sides = ["left", "right", "bilateral"] + (["centre"] if bodychart.is_midline(area) else [])
    if bodychart.is_midline(area):
        sides = ["centre"]
    return BodyChartMark(
        clinic_id=clinic_id,
        assessment=assessment,
        area=area,
        view=view,
        side=rng.choice(sides),
        symptom=rng.choice(("pain", "ache", "pins_and_needles", "numbness", "stiffness")),
        intensity=rng.randint(1, 9),
        depth=rng.choice(("superficial", "deep")),
    )


def make_notes(
    clinic_id: int,
    pending: list[tuple[Any, int]],
    chain: Chain,
    per_client: int,
    g: Generator,
) -> int:
    """Signed SOAP notes for the batch's clients, linked into the clinic's chain in order."""
    from django.db.models import Max

    from softtissue.audit.models import ChainAnchor
    from softtissue.treatments.anchors import unsaved_anchors
    from softtissue.treatments.models import TreatmentNote
    from softtissue.treatments.signing import chain_hash, note_content

    rng = g.rng
    by_client: dict[int, list[tuple[Any, int]]] = {}
    for episode, user_id in pending:
        by_client.setdefault(episode.client_id, []).append((episode, user_id))
    if chain.next_note_id == 0:
        # Ids are set here because a note's signature covers its id; the sequence is reset after.
        chain.next_note_id = (TreatmentNote.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    notes = []
    for client_episodes in by_client.values():
        # With two episodes the first (discharged) one had six visits and the open one the rest.
        first_share = per_client if len(client_episodes) == 1 else (per_client * 3) // 5
        for index in range(per_client):
            later = index >= first_share
            episode, user_id = client_episodes[-1 if later else 0]
            visit = index - first_share if later else index
            day = (episode.opened_at + timedelta(days=7 * visit)).date()
            technique = rng.choice(g.techniques)
            chain.sequence += 1
            note = TreatmentNote(
                pk=chain.next_note_id,
                clinic_id=clinic_id,
                episode=episode,
                therapist_id=episode.therapist_id,
                session_date=day,
                subjective=f"Pain {rng.randint(1, 8)}/10 this week; "
                f"{rng.choice(('better', 'the same', 'a little worse'))} since last visit.",
                objective=f"Range improving; tender over the {episode.region.split('.')[1]}.",
                techniques=[{"technique": technique, "region": episode.region, "dosage": "10 min"}],
                response=rng.choice(("Eased", "No change", "Sore afterwards, settled")),
                advice="Keep up the home exercises.",
                plan="Review next week.",
                status="signed",
                signed_by_id=user_id,
                signed_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=17),
                sequence=chain.sequence,
                previous_hash=chain.previous_hash,
            )
            note.content_hash = chain_hash(note_content(note), chain.previous_hash)
            chain.previous_hash = note.content_hash
            chain.next_note_id += 1
            notes.append(note)
    TreatmentNote.objects.bulk_create(notes)
    # Each signing's head is anchored, as signing.sign_note does one at a time.
    ChainAnchor.objects.bulk_create(
        unsaved_anchors(
            clinic_id,
            [(n.sequence, "note", n.pk, n.episode.client_id, n.content_hash) for n in notes],
        )
    )
    return len(notes)


def reset_sequences(everything: bool = False) -> None:
    """Move PostgreSQL's id sequences past ids set by hand (the notes', or every table's)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from softtissue.treatments.models import TreatmentNote

    models = list(apps.get_models()) if everything else [TreatmentNote]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def create_postgres_database(name: str, drop: bool) -> None:
    """Create (or re-create) a PostgreSQL database on the bench server."""
    import psycopg

    with psycopg.connect(f"dbname=postgres host={POSTGRES_HOST}", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or drop:
            conn.execute(f'CREATE DATABASE "{name}"')


# Tables that `migrate` fills by itself, or that hold no generated data.
NOT_COPIED = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}


def copy_from_sqlite(source: Path) -> None:
    """Copy every generated row from a finished SQLite database into the (migrated) PostgreSQL.

    The generator is deterministic, so this gives the same clinic as generating it again, in
    minutes rather than the best part of an hour on a busy machine.
    """
    import sqlite3

    from django.db import connection

    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    tables = [
        row[0]
        for row in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if row[0] not in NOT_COPIED
    ]
    with connection.cursor() as cursor:
        wanted = set(connection.introspection.table_names(cursor))
        # Rows arrive table by table, so foreign keys are checked only at the end.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET TIME ZONE 'UTC'")
        filled = [
            table
            for table in tables
            if table in wanted and reader.execute(f'SELECT 1 FROM "{table}"').fetchone()  # noqa: S608 - names from sqlite_master
        ]
        # One TRUNCATE for all: a CASCADE per table would empty tables already copied.
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in filled) + " CASCADE")
        for table in filled:
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            mine = {row[1] for row in reader.execute(f'PRAGMA table_info("{table}")')}
            shared = [c for c in columns if c in mine]
            names = ", ".join(f'"{c}"' for c in shared)
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in reader.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608
                    copy.write_row(row)
        cursor.execute("SET session_replication_role = DEFAULT")
    reset_sequences(everything=True)


def generate(clients: int, engine: str, seed: int, force: bool) -> dict[str, Any]:
    """Build (or reuse) the cached database; return what the marker file records."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    marker = ready_marker(clients, engine, seed)
    key = cache_key(clients, engine, seed)
    reuse = marker.exists() and not force
    if not reuse:
        marker.unlink(missing_ok=True)
        if engine == "postgres":
            create_postgres_database(key, drop=True)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{CACHE_DIR / key}.sqlite3{suffix}").unlink(missing_ok=True)
    setup_django(database_url(clients, engine, seed))
    from django.core.management import call_command
    from django.db import connection

    # Migrations other engineers added since the cache was built are applied (to empty tables).
    call_command("migrate", verbosity=0)
    if reuse:
        return dict(json.loads(marker.read_text()))
    twin = ready_marker(clients, "sqlite", seed)
    if engine == "postgres" and twin.exists():
        started = time.perf_counter()
        # The twin may predate newer migrations: bring it up to date so every column is there.
        command = [sys.executable, __file__, "--clients", str(clients), "--engine", "sqlite"]
        subprocess.run([*command, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        copy_from_sqlite(CACHE_DIR / f"{cache_key(clients, 'sqlite', seed)}.sqlite3")
        copied = json.loads(twin.read_text())
        built = BuiltClinic(copied["clinic_id"], clients, copied["counts"])
        built.seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            # As autovacuum would by the time anyone used the clinic: statistics, visibility map.
            cursor.execute("VACUUM ANALYZE")
    else:
        built = build_clinic(clients, seed=seed, progress=True)
    summary = {
        "clients": clients,
        "engine": engine,
        "seed": seed,
        "url": database_url(clients, engine, seed),
        "clinic_id": built.clinic_id,
        "therapist_email": login_email(built.clinic_id),
        "reception_email": login_email(built.clinic_id, "reception"),
        "password": PASSWORD,
        "counts": built.counts,
        "seconds": round(built.seconds, 1),
    }
    marker.write_text(json.dumps(summary, indent=2))
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    default_engine = (
        "postgres"
        if os.environ.get("SOFTTISSUE_DATABASE_URL", "").startswith("postgres")
        else "sqlite"
    )
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default=default_engine)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="rebuild even when cached")
    args = parser.parse_args(argv)
    if args.clients < 1:
        parser.error("--clients must be at least 1")
    summary = generate(args.clients, args.engine, args.seed, args.force)
    print(
        f"{summary['clients']:,} clients in {summary['seconds']} s: {summary['counts']}",
        file=sys.stderr,
    )
    print(summary["url"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
