"""Clinics, users, memberships and therapist profiles."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models

from softtissue.accounts.qualifications import cpd_choices, insurer_choices, qualification_choices


class UserManager(BaseUserManager["User"]):
    """Users are identified by their email address, stored in lower case."""

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """A user who logs in with this email and password."""
        if not email:
            raise ValueError("A user needs an email address")
        user = self.model(email=email.strip().lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        """A site administrator (not a clinic role)."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in; their clinic and role come from their membership."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep emails in lower case so logins are not case-sensitive."""
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Clinic(models.Model):
    """A practice: the unit that owns every client record (the tenant)."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    require_two_factor = models.BooleanField(
        "require two-factor authentication",
        default=False,
        help_text="Every member must log in with a code from an authenticator app as well.",
    )

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in exactly one clinic, with the role that decides what they may see."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        THERAPIST = "therapist", "Therapist"
        RECEPTION = "reception", "Reception"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.clinic})"

    @property
    def is_clinical(self) -> bool:
        """Owners and therapists read clinical records; reception does not."""
        return self.role in {self.Role.OWNER, self.Role.THERAPIST}


class Therapist(models.Model):
    """A clinician's professional profile: the facts their scope of practice is checked against."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="therapists")
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="therapist")
    professional_body = models.CharField(max_length=200, blank=True)
    membership_number = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return str(self.user)

    def qualification_ids(self) -> tuple[str, ...]:
        """Knowledge ids of the qualifications held, for the reasoning core."""
        return tuple(q.knowledge_id for q in self.qualifications.all())


class Qualification(models.Model):
    """A qualification held by a therapist, keyed to the knowledge base's qualification id."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        Therapist, on_delete=models.CASCADE, related_name="qualifications"
    )
    knowledge_id = models.CharField("qualification", max_length=100)
    awarding_body = models.CharField(max_length=200, blank=True)
    awarded_on = models.DateField(null=True, blank=True)
    certificate_ref = models.CharField("certificate reference", max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "knowledge_id"], name="one_record_per_qualification"
            )
        ]

    def __str__(self) -> str:
        return qualification_choices().get(self.knowledge_id, self.knowledge_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A qualification always belongs to its therapist's clinic."""
        self.clinic_id = self.therapist.clinic_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Refuse qualifications the knowledge base does not know."""
        if self.knowledge_id not in qualification_choices():
            raise ValidationError({"knowledge_id": f"Unknown qualification {self.knowledge_id!r}"})


class CpdCertificate(models.Model):
    """A CPD certificate that lets a therapist use the techniques its knowledge entry grants."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        Therapist, on_delete=models.CASCADE, related_name="cpd_certificates"
    )
    knowledge_id = models.CharField("CPD course", max_length=100)
    provider = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    certificate_ref = models.CharField("certificate reference", max_length=100, blank=True)

    class Meta:
        ordering = ["knowledge_id"]

    def __str__(self) -> str:
        return cpd_choices().get(self.knowledge_id, self.knowledge_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A certificate always belongs to its therapist's clinic."""
        self.clinic_id = self.therapist.clinic_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Refuse CPD the knowledge base does not know."""
        if self.knowledge_id not in cpd_choices():
            raise ValidationError({"knowledge_id": f"Unknown CPD course {self.knowledge_id!r}"})


class InsurancePolicy(models.Model):
    """Professional indemnity insurance: the insurer's schedule of covered therapies and dates."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        Therapist, on_delete=models.CASCADE, related_name="insurance_policies"
    )
    insurer = models.CharField(max_length=200)
    policy_number = models.CharField(max_length=100)
    valid_from = models.DateField()
    valid_to = models.DateField()
    schedule = models.CharField("covered therapies (schedule)", max_length=100)

    class Meta:
        ordering = ["-valid_to", "-pk"]
        verbose_name_plural = "insurance policies"

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A policy always belongs to its therapist's clinic."""
        self.clinic_id = self.therapist.clinic_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Refuse an unknown schedule and dates that end before they start."""
        errors = {}
        if self.schedule not in insurer_choices():
            errors["schedule"] = f"Unknown insurance schedule {self.schedule!r}"
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "The policy cannot end before it starts."
        if errors:
            raise ValidationError(errors)

    def expired_on(self, today: date) -> bool:
        """True once the policy's last day has passed."""
        return self.valid_to < today
