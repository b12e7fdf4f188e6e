"""The client record: identity, contacts, GP details, history, medications and consent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse

from softtissue.accounts.models import Clinic
from softtissue.clients.normalise import email_key, name_terms, phone_digits, sort_name
from softtissue.limits import ADDRESS

# Columns a save computes, whichever fields it was asked to write.
DERIVED_FIELDS = ("phone_digits", "email_key", "updated_at")


class Client(models.Model):
    """A person the clinic assesses and treats (never 'patient': therapists say client)."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NOT_STATED = "", "Not stated"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="clients")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, validators=[ADDRESS.validator])
    postcode = models.CharField(max_length=12, blank=True)
    occupation = models.CharField(max_length=200, blank=True)
    activities = models.CharField("sport and activities", max_length=300, blank=True)
    emergency_contact = models.CharField(max_length=200, blank=True)
    gp_name = models.CharField("GP name", max_length=200, blank=True)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)
    gp_address = models.TextField("GP address", blank=True, validators=[ADDRESS.validator])
    gp_phone = models.CharField("GP phone", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The one-time key of the form or API request that created the record (services.py): a
    # second submit of the same form finds this record instead of making another.
    creation_key = models.CharField(max_length=100, blank=True, editable=False)
    # Normalised copies kept for indexed search (see search.py); never edited by hand.
    phone_digits = models.CharField(max_length=40, blank=True, editable=False)
    email_key = models.CharField(max_length=254, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"], name="client_name"),
            # With the name columns, a date-of-birth search is also returned in name order from
            # the index: without them SQLite preferred client_name and scanned the clinic.
            models.Index(
                fields=["clinic", "date_of_birth", "last_name", "first_name"],
                name="client_dob_name",
            ),
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'x%' in any collation;
            # other databases ignore opclasses.
            models.Index(
                fields=["clinic", "phone_digits"],
                name="client_phone",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["clinic", "email_key"],
                name="client_email",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "creation_key"],
                condition=~models.Q(creation_key=""),
                name="client_created_once",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the search columns and name terms in step with what was typed."""
        self.fill_search_columns()
        if kwargs.get("update_fields") is not None:
            # A save of some fields (audit/edits.py) writes what is derived from them too.
            kwargs["update_fields"] = {*kwargs["update_fields"], *DERIVED_FIELDS}
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.search_terms.all().delete()
            ClientSearchTerm.objects.bulk_create(self.search_term_rows())

    def get_absolute_url(self) -> str:
        return reverse("client_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        """Age in whole years on the given day."""
        years = day.year - self.date_of_birth.year
        had_birthday = (day.month, day.day) >= (self.date_of_birth.month, self.date_of_birth.day)
        return years if had_birthday else years - 1

    def fill_search_columns(self) -> None:
        """Set the normalised phone and email used by search."""
        self.phone_digits = phone_digits(self.phone)
        self.email_key = email_key(self.email)

    def search_term_rows(self) -> list[ClientSearchTerm]:
        """One row per normalised word of every name, each carrying the order to list it in."""
        order = sort_name(self.first_name, self.last_name)
        return [
            ClientSearchTerm(
                clinic_id=self.clinic_id, client_id=self.pk, term=term, sort_name=order
            )
            for term in sorted(name_terms(self.first_name, self.last_name, self.preferred_name))
        ]


class ClientSearchTerm(models.Model):
    """One normalised word of a client's names: searched by prefix through an index."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=100)
    # A copy of the client's name order, so a search is matched and sorted in this table alone.
    sort_name = models.CharField(max_length=201)

    class Meta:
        indexes = [
            models.Index(
                fields=["clinic", "term"],
                name="client_term",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.term


class Consent(models.Model):
    """A consent the client gave (or withdrew): what, when, how, and their typed signature."""

    class Kind(models.TextChoices):
        ASSESSMENT_TREATMENT = "assessment_treatment", "Assessment and treatment"
        HEALTH_DATA = "health_data", "Keeping health data"
        SHARE_WITH_GP = "share_with_gp", "Sharing with the GP"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        TABLET = "tablet", "On the tablet"
        PAPER = "paper", "On paper"

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    given = models.BooleanField(default=True)  # False records a refusal or a withdrawal
    method = models.CharField(max_length=20, choices=Method.choices)
    signed_name = models.CharField("typed-name signature", max_length=200)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["client", "kind", "-recorded_at"], name="consent_latest")]

    def __str__(self) -> str:
        verb = "given" if self.given else "withdrawn"
        return f"{self.get_kind_display()} {verb}"


class ClientRecordItem(models.Model):
    """What history items and medications share: who recorded them, when, and whether ended."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client_reported = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Items are ended, never deleted, so the record shows what was known at each visit.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        """True until the item is ended."""
        return self.ended_at is None


class MedicalHistoryItem(ClientRecordItem):
    """A past or present medical condition, coded to a knowledge finding when it matches."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="history_items")
    # None (not "") means the words typed matched no knowledge finding: other apps test for it.
    finding_code = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    description = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["client", "recorded_at"], name="history_by_client")]

    def __str__(self) -> str:
        return self.description


class Medication(ClientRecordItem):
    """A medicine the client takes, coded to a knowledge medication id when it matches."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="medications")
    # None (not "") means the medicine typed matched no knowledge medication.
    knowledge_id = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(max_length=200)
    dose = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["client", "recorded_at"], name="medication_by_client")]

    def __str__(self) -> str:
        return f"{self.name} {self.dose}".strip()


class IntakeLink(models.Model):
    """A single-use, expiring link for the client to fill the intake form; only its hash is kept."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="intake_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Intake link for client {self.client_id}"
