"""The client record: identity, contacts, GP details, history, medications and consent."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse

from softtissue.accounts.models import Clinic


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
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    occupation = models.CharField(max_length=200, blank=True)
    activities = models.CharField("sport and activities", max_length=300, blank=True)
    emergency_contact = models.CharField(max_length=200, blank=True)
    gp_name = models.CharField("GP name", max_length=200, blank=True)
    gp_practice = models.CharField("GP practice", max_length=200, blank=True)
    gp_address = models.TextField("GP address", blank=True)
    gp_phone = models.CharField("GP phone", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"], name="client_name"),
            models.Index(fields=["clinic", "date_of_birth"], name="client_dob"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        """Age in whole years on the given day."""
        years = day.year - self.date_of_birth.year
        had_birthday = (day.month, day.day) >= (self.date_of_birth.month, self.date_of_birth.day)
        return years if had_birthday else years - 1

    def get_absolute_url(self) -> str:
        return reverse("client_detail", args=[self.pk])


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
