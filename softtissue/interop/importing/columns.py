"""Column mappings: which header in each format fills which client field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Format = Literal["cliniko", "csv"]
FORMATS: tuple[Format, ...] = ("cliniko", "csv")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(header: str) -> str:
    """A header as compared: 'Date of Birth', 'date_of_birth' and 'DATE OF BIRTH' are one."""
    return _NOT_WORD.sub("_", header.strip().lower()).strip("_")


@dataclass(frozen=True, slots=True)
class Mapping:
    """One format: each client field and the header keys that may hold it, in preference order."""

    name: Format
    fields: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    # Several columns joined into one field (Cliniko's address lines), one per line.
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Appointment columns: header key and the status an appointment found there gets.
    appointments: dict[str, str] = field(default_factory=dict)
    external_id: str | None = None


GENERIC = Mapping(
    name="csv",
    fields={
        "first_name": ("first_name",),
        "last_name": ("last_name",),
        "preferred_name": ("preferred_name",),
        "date_of_birth": ("date_of_birth",),
        "sex": ("sex",),
        "phone": ("phone",),
        "email": ("email",),
        "address": ("address",),
        "postcode": ("postcode",),
        "occupation": ("occupation",),
        "activities": ("activities",),
        "emergency_contact": ("emergency_contact",),
        "gp_name": ("gp_name",),
        "gp_practice": ("gp_practice",),
        "gp_address": ("gp_address",),
        "gp_phone": ("gp_phone",),
    },
    required=("first_name", "last_name", "date_of_birth"),
)

# Cliniko's patient export (Settings > Data exports > Patients, a file named like
# Patients-Cliniko-20180123.csv): the column titles are listed with their sources in docs/import.md.
CLINIKO = Mapping(
    name="cliniko",
    fields={
        "first_name": ("first_name",),
        "last_name": ("last_name",),
        "preferred_name": ("preferred_first_name", "preferred_name"),
        "date_of_birth": ("date_of_birth",),
        "sex": ("sex", "gender"),
        "phone": ("mobile", "mobile_phone", "mobile_number", "home_phone", "work_phone", "phone"),
        "email": ("email",),
        "postcode": ("post_code", "postcode"),
        "occupation": ("occupation",),
        "emergency_contact": ("emergency_contact",),
    },
    joined={"address": ("address_1", "address_2", "address_3", "city", "state")},
    required=("patient_id", "first_name", "last_name", "date_of_birth"),
    appointments={"last_appointment": "attended", "next_appointment": "booked"},
    external_id="patient_id",
)

MAPPINGS: dict[Format, Mapping] = {"csv": GENERIC, "cliniko": CLINIKO}


def detect_format(header: list[str]) -> Format:
    """Cliniko when the header has its 'Patient ID' column, else the generic CSV."""
    return "cliniko" if "patient_id" in {header_key(cell) for cell in header} else "csv"
