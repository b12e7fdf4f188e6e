"""Saving a record edited in place, from a page that may be out of date.

By the time a page is saved a colleague may have saved the same record from their own page. Each
edited field carries, in a hidden input, the value the page showed (Django's show_hidden_initial),
so a save can tell what this person changed: only those fields are written, onto the row as it is
now, and a colleague's change to any other field is kept. A field that both changed is refused,
saying who last saved the record and when, and nothing is saved; the form shown again carries the
record as it now is, so saving it again means "keep mine". It lives beside the audit trail
because the trail is what says who saved the record and when.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.forms.models import construct_instance, model_to_dict
from django.http import QueryDict
from django.utils import timezone

from softtissue.audit.models import AuditEvent
from softtissue.audit.recording import client_of_row

M = TypeVar("M", bound=models.Model)
MISSING = object()
SHOWN_MAX = 200


def track_changes(form: forms.BaseModelForm[Any], names: Iterable[str] | None = None) -> None:
    """Carry each edited field's shown value in a hidden input, for `save_changes`."""
    for name in names if names is not None else edited_fields(form):
        form.fields[name].show_hidden_initial = True


def edited_fields(form: forms.BaseModelForm[Any]) -> list[str]:
    """The form's fields that are the model's."""
    model_fields = {field.name for field in form._meta.model._meta.get_fields()}
    return [name for name in form.fields if name in model_fields]


def save_changes(
    form: forms.BaseModelForm[Any], rows: models.QuerySet[M], pk: int, user_id: int | None = None
) -> M | None:
    """Write the fields this person changed onto the row as it is now; None when a colleague
    changed one of them since the page was shown (each such field then carries an error)."""
    with transaction.atomic():
        row = rows.select_for_update().get(pk=pk)
        changed = merge_changes(form, row, user_id)
        if changed is None:
            return None
        if changed:
            row.save(update_fields=changed)
    return row


def save_fields(
    form: forms.BaseModelForm[Any], rows: models.QuerySet[M], pk: int, names: Iterable[str]
) -> M:
    """Write these fields of a valid form onto the row as it is now (an API PATCH: the fields
    sent), so that a field the request did not send keeps a colleague's change."""
    names = list(names)
    with transaction.atomic():
        row = rows.select_for_update().get(pk=pk)
        construct_instance(form, row, fields=names)
        if names:
            row.save(update_fields=names)
    return row


def merge_changes(
    form: forms.BaseModelForm[Any], row: models.Model, user_id: int | None = None
) -> list[str] | None:
    """Apply to the row (locked by the caller) the fields this person changed, and name them;
    None, with an error on each, when a colleague changed one of them meanwhile."""
    names = edited_fields(form)
    now = model_to_dict(row, fields=names)
    changed, clashes = [], []
    for name in names:
        field = form.fields[name]
        posted = form[name].data
        shown = shown_value(form, name)
        if shown is MISSING:
            # No page said what it showed (a script posting the form): the row as it is now is
            # what the post changes.
            if differs(field, now[name], posted):
                changed.append(name)
            continue
        if not differs(field, shown_as_python(field, shown), posted):
            continue
        if differs(field, now[name], shown) and differs(field, now[name], posted):
            clashes.append(name)
        changed.append(name)
    if clashes:
        refuse(form, row, now, clashes, changed, user_id)
        return None
    construct_instance(form, row, fields=changed)
    return changed


def shown_value(form: forms.BaseForm, name: str) -> Any:
    """What the page showed in this field (as sent back in its hidden input), or MISSING."""
    key = form.add_initial_prefix(name)
    if key not in form.data:
        return MISSING
    return form.fields[name].hidden_widget().value_from_datadict(form.data, form.files, key)


def shown_as_python(field: forms.Field, shown: Any) -> Any:
    """The shown value as the field reads it (as Django compares a hidden initial)."""
    try:
        return field.to_python(shown)
    except forms.ValidationError:
        return shown


def differs(field: forms.Field, value: Any, data: Any) -> bool:
    """True when the data the field received is another value than this one."""
    return bool(field.has_changed(unix_lines(value), unix_lines(data)))


def unix_lines(value: Any) -> Any:
    """Text with every line break as \\n: browsers send \\r\\n, a hidden input may give \\n."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def as_data(field: forms.Field, value: Any) -> str:
    """A stored value as a form would send it."""
    return "" if value is None else str(field.prepare_value(value))


def refuse(
    form: forms.BaseModelForm[Any],
    row: models.Model,
    now: dict[str, Any],
    clashes: list[str],
    changed: list[str],
    user_id: int | None,
) -> None:
    """Mark each clashing field, and show the record as it now is, with this person's edits."""
    saved = last_saved(row, user_id)
    data = editable_copy(form.data)
    for name in edited_fields(form):
        field = form.fields[name]
        current = as_data(field, now[name])
        data[form.add_initial_prefix(name)] = current
        if name in clashes:
            form.add_error(
                name,
                f"This was changed since the page was opened{saved}, and now reads: "
                f"“{shown_text(field, now[name])}”. Nothing was saved. Your version is below: "
                "save again to keep it, or change it.",
            )
        elif name not in changed:
            data[form.add_prefix(name)] = current
    form.data = data


def editable_copy(data: Mapping[str, Any]) -> QueryDict:
    """Submitted data that can be changed before the form is shown again."""
    copy = QueryDict(mutable=True)
    for key in data:
        copy.setlist(key, data.getlist(key) if isinstance(data, QueryDict) else [data[key]])
    return copy


def shown_text(field: forms.Field, value: Any) -> str:
    """A stored value in words, shortened."""
    choices = dict(getattr(field, "choices", None) or [])
    text = str(choices.get(value, choices.get(str(value), value)) if choices else value)
    if value in (None, ""):
        text = "(empty)"
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def last_saved(row: models.Model, user_id: int | None) -> str:
    """ "(saved last by whom, when)" from the audit trail, or "" when it has no record of it."""
    filters: dict[str, Any] = {
        "clinic_id": getattr(row, "clinic_id", None),
        "client_id": client_of_row(row),
        "object_type": row._meta.label,
        "object_id": row.pk,
    }
    event = (
        AuditEvent.objects.filter(
            action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE], **filters
        )
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        return ""
    at = timezone.localtime(event.at)
    when = f"at {at:%H:%M} on {at.day} {at:%B %Y}"
    if event.user_id is not None and event.user_id == user_id:
        return f" (you saved it {when}, in another window or tab)"
    user = (
        get_user_model()._default_manager.filter(pk=event.user_id).first()
        if event.user_id is not None
        else None
    )
    name = (user.get_full_name() or "a colleague") if user is not None else "someone"
    return f" (last saved by {name} {when})"
