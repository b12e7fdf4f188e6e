"""Events for changes of clinical rows (post_save/post_delete) and for logins."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from softtissue.accounts.models import Membership
from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import client_of_row, is_muted, record

# Apps whose every row is part of a client's record.
CLINICAL_APPS = (
    "clients",
    "assessments",
    "outcomes",
    "treatments",
    "rehab",
    "letters",
    "education",
    "appointments",
)
# Derived rows rewritten on every save of their parent: their changes say nothing new.
SKIPPED = {"clients.ClientSearchTerm", "outcomes.MeasureSeries"}
Action = AuditEvent.Action


def audited_models() -> list[type[models.Model]]:
    """The models whose changes are recorded."""
    found: list[type[models.Model]] = []
    for label in CLINICAL_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in SKIPPED:
                found.append(model)
    return found


def is_signed(instance: models.Model) -> bool:
    """A note or addendum that carries a signature (signed rows are saved only once signed)."""
    return getattr(instance, "signed_at", None) is not None and hasattr(instance, "content_hash")


def on_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    """create, update, or sign for a note or addendum saved with its signature."""
    if kwargs.get("raw") or is_muted():
        return
    action = Action.SIGN if is_signed(instance) else Action.CREATE if created else Action.UPDATE
    record(
        action,
        object_type=sender._meta.label,
        object_id=instance.pk,
        client_id=client_of_row(instance),
        clinic_id=getattr(instance, "clinic_id", None),
    )


def on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """delete, with the row's id and client."""
    if is_muted():
        return
    record(
        Action.DELETE,
        object_type=sender._meta.label,
        object_id=instance.pk,
        client_id=client_of_row(instance),
        clinic_id=getattr(instance, "clinic_id", None),
    )


def clinic_of_user(user_id: int) -> int | None:
    """The clinic a user belongs to, if any."""
    return Membership.objects.filter(user_id=user_id).values_list("clinic_id", flat=True).first()


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """login, attributed to the user and their clinic."""
    record(Action.LOGIN, user_id=user.pk, clinic_id=clinic_of_user(user.pk))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """login_failed: the user when the email is theirs; what was typed is never kept."""
    typed = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    user_id = None
    if typed:
        user_id = (
            get_user_model()
            ._default_manager.filter(email=typed)
            .values_list("pk", flat=True)
            .first()
        )
    record(
        Action.LOGIN_FAILED,
        user_id=user_id,
        clinic_id=clinic_of_user(user_id) if user_id else None,
    )


def connect() -> None:
    """Hook the receivers up (AuditConfig.ready)."""
    for model in audited_models():
        post_save.connect(on_save, sender=model, dispatch_uid=f"audit-save-{model._meta.label}")
        post_delete.connect(
            on_delete, sender=model, dispatch_uid=f"audit-delete-{model._meta.label}"
        )
    user_logged_in.connect(on_login, dispatch_uid="audit-login")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit-login-failed")
