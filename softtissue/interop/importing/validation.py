"""Checking every row before anything is written: the client form's rules, dates, duplicates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TypeVar

from django.utils import timezone

from softtissue.accounts.models import Clinic
from softtissue.appointments.models import Appointment
from softtissue.clients.duplicates import DuplicateKey, clients_by_key, duplicate_key
from softtissue.clients.forms import ClientForm
from softtissue.clients.models import Client
from softtissue.clients.normalise import fold
from softtissue.interop.importing.columns import Mapping, header_key
from softtissue.interop.importing.problems import FileProblem, Problem
from softtissue.interop.importing.reading import Table

# Day first, as written in the UK; a two-digit year is refused (which century?).
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")
DATE_FORMAT_NAMES = "YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or 31 Dec 1980"
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %I:%M %p",
)
SEX_VALUES = {
    "female": Client.Sex.FEMALE,
    "f": Client.Sex.FEMALE,
    "woman": Client.Sex.FEMALE,
    "male": Client.Sex.MALE,
    "m": Client.Sex.MALE,
    "man": Client.Sex.MALE,
    "": Client.Sex.NOT_STATED,
    "not stated": Client.Sex.NOT_STATED,
    "unknown": Client.Sex.NOT_STATED,
    "prefer not to say": Client.Sex.NOT_STATED,
}
# Cliniko's export gives when an appointment started, not how long it was.
IMPORTED_DURATION_MINUTES = 60
# [PROJECT] An imported time outside these is a typing slip (2099 for 2019), not a booking.
EARLIEST_APPOINTMENT = date(1900, 1, 1)
LATEST_BOOKING = timedelta(days=2 * 365)
CHUNK = 500
T = TypeVar("T")

Progress = Callable[[int], None]


@dataclass(slots=True)
class Candidate:
    """A valid row: the client to create and any appointments that come with it."""

    row: int
    client: Client
    appointments: list[Appointment] = field(default_factory=list)


@dataclass(slots=True)
class Checked:
    """Every valid row, every problem, and warnings that do not stop the import."""

    format: str
    encoding: str
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def appointment_count(self) -> int:
        """How many appointments the valid rows bring."""
        return sum(len(candidate.appointments) for candidate in self.candidates)


@dataclass(frozen=True, slots=True)
class Column:
    """Where a field is in the file, and the header as the file spells it."""

    index: int
    header: str


def locate(table: Table, mapping: Mapping) -> tuple[dict[str, Column], list[Problem]]:
    """Each known key's column; a missing required column is a file problem naming them all."""
    positions: dict[str, Column] = {}
    for index, header in enumerate(table.header):
        key = header_key(header)
        if key and key not in positions:
            positions[key] = Column(index, header)
    missing = [key for key in mapping.required if key not in positions]
    if missing:
        raise FileProblem(
            "missing required column"
            + ("s" if len(missing) > 1 else "")
            + ": "
            + ", ".join(title(mapping, key) for key in missing)
            + f". The first row has: {', '.join(repr(h) for h in table.header if h)}."
        )
    known = {key for keys in mapping.fields.values() for key in keys}
    known |= {key for keys in mapping.joined.values() for key in keys}
    known |= set(mapping.appointments) | set(mapping.required)
    ignored = [column.header for key, column in positions.items() if key not in known]
    warnings = []
    if ignored and mapping.name == "csv":
        # Cliniko's export has many columns softtissue has no place for; a generic file should not.
        warnings.append(Problem(None, None, f"columns ignored: {', '.join(ignored)}"))
    return positions, warnings


def title(mapping: Mapping, key: str) -> str:
    """A column as the format's documentation names it."""
    if mapping.name == "cliniko":
        return repr(key.replace("_", " ").title().replace(" Of ", " of ").replace("Id", "ID"))
    return repr(key)


def parse_day(text: str) -> date | None:
    """A date in one of the accepted formats with a four-digit year, or None."""
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if day.year >= 1000 else None
    return None


def read_moment(text: str) -> datetime | str:
    """A date and time (ISO 8601 or day first), in the clinic's time zone when it has none;
    or, when the text names no single instant, what is wrong with it."""
    moment = None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in DATETIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None or moment.year < 1000:
        return f"{text!r} is not a date and time: use YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM"
    if timezone.is_naive(moment):
        zone = timezone.get_current_timezone()
        problem = local_time_problem(moment, zone)
        if problem is not None:
            return problem
        moment = timezone.make_aware(moment, zone)
    return moment


def local_time_problem(moment: datetime, zone: tzinfo) -> str | None:
    """Why a time without an offset names no single instant in the zone, or None when it does."""
    earlier, later = moment.replace(fold=0, tzinfo=zone), moment.replace(fold=1, tzinfo=zone)
    if earlier.utcoffset() == later.utcoffset():
        return None
    shown = f"{moment:%Y-%m-%d %H:%M}"
    # zoneinfo reads a skipped time with the offset from before the change: it comes back
    # from UTC as another time of day.
    skipped = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment
    if skipped:
        return (
            f"{shown} does not exist in {zone}: the clocks went forward over it. Check the "
            "time, or give it with its UTC offset (for example 2026-03-29T01:30+00:00)"
        )
    return (
        f"{shown} happened twice in {zone} (the clocks went back): give it with its UTC "
        f"offset, {earlier.isoformat(timespec='minutes')} or {later.isoformat(timespec='minutes')}"
    )


def check_table(
    table: Table, mapping: Mapping, clinic: Clinic, allow_duplicates: bool, progress: Progress
) -> Checked:
    """Check every row and the file's duplicates; nothing is written."""
    checked = Checked(format=mapping.name, encoding=table.encoding)
    columns, checked.warnings = locate(table, mapping)
    seen_ids: dict[str, int] = {}
    form = ClientForm({})
    # Every row read as a person, valid or not: the checks across rows report on all of them,
    # so that a row's every problem is listed at once, not one more with each attempt.
    rows: list[Candidate] = []
    for number, cells in table.records:
        candidate, valid = check_row(
            number, cells, columns, mapping, clinic, form, checked.problems
        )
        if mapping.external_id:
            external = cell(cells, columns, mapping.external_id)
            if external in seen_ids:
                checked.problems.append(
                    Problem(
                        number,
                        columns[mapping.external_id].header,
                        f"the same id as row {seen_ids[external]}",
                    )
                )
                valid = False
            else:
                seen_ids[external] = number
        rows.append(candidate)
        if valid:
            checked.candidates.append(candidate)
        progress(1)
    comparable = [
        row
        for row in rows
        if row.client.date_of_birth is not None
        and row.client.first_name.strip()
        and row.client.last_name.strip()
    ]
    duplicates = duplicate_problems(comparable, clinic)
    if allow_duplicates:
        checked.warnings.extend(duplicates)
    else:
        checked.problems.extend(duplicates)
    checked.problems.extend(imported_appointments(rows, clinic, mapping))
    checked.problems.sort(key=lambda problem: problem.row or 0)
    return checked


def cell(cells: list[str], columns: dict[str, Column], key: str) -> str:
    """The cell under this key, or '' when the column or the cell is missing."""
    column = columns.get(key)
    if column is None or column.index >= len(cells):
        return ""
    return cells[column.index]


def rebind(form: ClientForm, data: dict[str, str]) -> ClientForm:
    """The same client form checking a new row: full_clean() reads only data and instance."""
    # A new form deep-copies its fields, which was 40% of the time spent checking a row.
    form.data, form.instance = data, Client()
    form._errors = None  # type: ignore[attr-defined]  # so is_valid() cleans again
    return form


def check_row(
    number: int,
    cells: list[str],
    columns: dict[str, Column],
    mapping: Mapping,
    clinic: Clinic,
    form: ClientForm,
    problems: list[Problem],
) -> tuple[Candidate, bool]:
    """The row as a client through the client form's own checks, and whether it passed them.

    A row that did not pass is still returned, as far as it could be read, for the checks
    across rows (duplicates, an appointment imported before).
    """
    found: list[Problem] = []
    if len(cells) > len(columns) and any(cells[len(columns) :]):
        found.append(Problem(number, None, "more cells than the first row has column names"))
    data: dict[str, str] = {}
    headers: dict[str, str] = {}
    for name, keys in mapping.fields.items():
        for key in keys:
            if key in columns:
                headers.setdefault(name, columns[key].header)
                value = cell(cells, columns, key)
                if value:
                    data[name] = value
                    headers[name] = columns[key].header
                    break
    for name, keys in mapping.joined.items():
        parts = [cell(cells, columns, key) for key in keys if key in columns]
        data[name] = "\n".join(part for part in parts if part)
    birth_header = headers.get("date_of_birth", "date_of_birth")
    raw_birth = data.get("date_of_birth", "")
    day = parse_day(raw_birth) if raw_birth else None
    if not raw_birth:
        found.append(Problem(number, birth_header, "the date of birth is empty"))
    elif day is None:
        found.append(
            Problem(number, birth_header, f"{raw_birth!r} is not a date: use {DATE_FORMAT_NAMES}")
        )
    data["date_of_birth"] = day.isoformat() if day else ""
    raw_sex = data.get("sex", "")
    if fold(raw_sex) in SEX_VALUES:
        data["sex"] = SEX_VALUES[fold(raw_sex)]
    else:
        found.append(
            Problem(
                number,
                headers.get("sex", "sex"),
                f"{raw_sex!r} is not a recorded sex: use female, male or leave it empty",
            )
        )
        data["sex"] = ""
    form = rebind(form, data)
    if not form.is_valid():
        for name, messages in form.errors.items():
            if name == "date_of_birth" and not data["date_of_birth"]:
                continue  # already reported above, in the file's terms
            for message in messages:
                found.append(Problem(number, headers.get(name, name), str(message)))
    appointments = row_appointments(number, cells, columns, mapping, clinic, day, found)
    if found:
        problems.extend(found)
        as_read = Client(
            clinic=clinic,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            date_of_birth=day,  # type: ignore[misc]  # None: the date could not be read
        )
        return Candidate(number, as_read, appointments), False
    client = form.save(commit=False)
    client.clinic = clinic
    return Candidate(number, client, appointments), True


def row_appointments(
    number: int,
    cells: list[str],
    columns: dict[str, Column],
    mapping: Mapping,
    clinic: Clinic,
    born: date | None,
    found: list[Problem],
) -> list[Appointment]:
    """The appointments named in the row's appointment columns (Cliniko's last and next)."""
    appointments: list[Appointment] = []
    starts: set[datetime] = set()
    external = cell(cells, columns, mapping.external_id) if mapping.external_id else ""
    now = timezone.now()
    for key, status in mapping.appointments.items():
        text = cell(cells, columns, key)
        if not text:
            continue
        moment = read_moment(text)
        if isinstance(moment, str):
            found.append(Problem(number, columns[key].header, moment))
            continue
        problem = appointment_time_problem(moment, status, born, now)
        if problem is not None:
            found.append(Problem(number, columns[key].header, problem))
            continue
        if moment in starts:
            continue
        starts.add(moment)
        appointments.append(
            Appointment(
                clinic=clinic,
                starts_at=moment,
                duration_minutes=IMPORTED_DURATION_MINUTES,
                status=status,
                source=mapping.name,
                external_id=f"{external}@{moment.isoformat()}"[:100],
            )
        )
    return appointments


def appointment_time_problem(
    moment: datetime, status: str, born: date | None, now: datetime
) -> str | None:
    """Why an imported appointment's time makes no sense for its status, or None."""
    day = timezone.localtime(moment).date()
    shown = f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
    if day < EARLIEST_APPOINTMENT:
        return f"{shown} is before {EARLIEST_APPOINTMENT.year}: check the year"
    if born is not None and day < born:
        return f"{shown} is before the client's date of birth ({born.isoformat()})"
    if status == Appointment.Status.ATTENDED and moment > now:
        return f"{shown} is in the future, so it cannot have been attended: check the date"
    if moment > now + LATEST_BOOKING:
        years = LATEST_BOOKING.days // 365
        return f"{shown} is more than {years} years ahead: check the year"
    return None


def duplicate_problems(candidates: list[Candidate], clinic: Clinic) -> list[Problem]:
    """Rows that match another row, or a client the clinic already has, on name and birth date."""
    problems: list[Problem] = []
    first_row: dict[DuplicateKey, int] = {}
    for candidate in candidates:
        client = candidate.client
        key = duplicate_key(client.first_name, client.last_name, client.date_of_birth)
        if key in first_row:
            problems.append(
                Problem(
                    candidate.row,
                    None,
                    f"possible duplicate: same name and date of birth as row {first_row[key]}",
                )
            )
        else:
            first_row[key] = candidate.row
    existing: dict[DuplicateKey, int] = {}
    births = sorted({candidate.client.date_of_birth for candidate in candidates})
    for chunk in chunks(births, CHUNK):
        existing.update(clients_by_key(clinic, chunk))
    for key, row in first_row.items():
        if key in existing:
            problems.append(
                Problem(
                    row,
                    None,
                    "possible duplicate: same name and date of birth as existing client "
                    f"#{existing[key]}",
                )
            )
    return problems


def imported_appointments(
    candidates: list[Candidate], clinic: Clinic, mapping: Mapping
) -> list[Problem]:
    """Appointments this clinic already imported from the same system (a file imported twice)."""
    by_id = {
        appointment.external_id: candidate.row
        for candidate in candidates
        for appointment in candidate.appointments
    }
    problems = []
    for chunk in chunks(sorted(by_id), CHUNK):
        already = Appointment.objects.filter(
            clinic=clinic, source=mapping.name, external_id__in=chunk
        ).values_list("external_id", flat=True)
        for external_id in already:
            problems.append(
                Problem(by_id[external_id], None, "this appointment was imported before")
            )
    return problems


def chunks(items: Iterable[T], size: int) -> Iterable[list[T]]:
    """Lists of at most size items, so no query has more parameters than a database allows."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
