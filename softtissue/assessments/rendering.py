"""A form renderer that writes the HTML of Django's commonest form templates in Python."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import SafeData, mark_safe

# The assessment page shows about 80 fields with 300 options and radio buttons, and Django
# renders each field through its field, label and error templates and each option through two or
# three nested templates (option, input, attrs): most of the page's time. This renderer is given
# the same contexts by Django (ids, selection, attributes, labels) and writes the same markup,
# byte for byte (tests/assessments/test_rendering.py compares them); any other template, and an
# error list that is not empty, is still rendered by Django's templates.
# The assessment forms name it as their default_renderer, so it stands in for FORM_RENDERER
# (Django's template renderer: settings.py does not set one) on the assessment page only.

# A page's context as far as `{{ value }}` reads one: autoescape on, the settings' time zone
# and localisation.
_PAGE = Context()


def template_value(value: object) -> str:
    """A value as `{{ value }}` shows it in a template: localised and escaped."""
    if type(value) is str:
        # Most values are plain text, which the template would only escape, as html.escape does.
        return html.escape(value)
    return str(render_value_in_context(value, _PAGE))


def _formatted(value: object) -> str:
    """A value as `{{ value|stringformat:'s' }}` shows it in a template."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    # stringformat keeps a safe value safe, so the template would not escape it again.
    return template_value(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """What django/forms/widgets/attrs.html (and forms/attrs.html) writes."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(
            f" {template_value(name)}"
            if value is True
            else f' {template_value(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _select(widget: Mapping[str, Any]) -> str:
    """What django/forms/widgets/select.html writes, with select_option.html for each option."""
    parts = [f'<select name="{template_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{template_value(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{template_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(option: Mapping[str, Any]) -> str:
    """What django/forms/widgets/input.html writes."""
    value = option["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    kind, name = template_value(option["type"]), template_value(option["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(option["attrs"])}>\n'


def _radio_option(option: Mapping[str, Any]) -> str:
    """What django/forms/widgets/radio_option.html writes (input_option.html around input.html)."""
    if not option["wrap_label"]:
        return f"{_input(option)}\n\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{template_value(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)} {template_value(option['label'])}</label>\n\n"


def _radios(widget: Mapping[str, Any]) -> str:
    """What django/forms/widgets/multiple_input.html writes, as radio.html includes it."""
    widget_id = widget["attrs"].get("id")
    css_class = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{template_value(widget_id)}"' if widget_id else "",
        f' class="{template_value(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{template_value(group)}</label>")
        parts.extend(f"<div>\n    {_radio_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _field(field: BoundField) -> str:
    """What django/forms/field.html writes: label or legend, help text, errors and widget."""
    if field.use_fieldset:
        described = field.aria_describedby
        described_by = f' aria-describedby="{template_value(described)}"' if described else ""
        legend = template_value(field.legend_tag()) if field.label else ""
        parts = [f"\n  <fieldset{described_by}>\n  {legend}\n"]
    else:
        parts = [f"\n  {template_value(field.label_tag()) if field.label else ''}\n"]
    parts.append("\n")
    if field.help_text:
        help_id = f' id="{template_value(field.auto_id)}_helptext"' if field.auto_id else ""
        # As the template's |safe: help text is the form's own markup.
        help_html = mark_safe(str(field.help_text))  # noqa: S308
        parts.append(f'<div class="helptext"{help_id}>{template_value(help_html)}</div>')
    parts.append(f"\n{template_value(field.errors)}\n{template_value(field)}")
    if field.use_fieldset:
        parts.append("</fieldset>")
    return "".join(parts)


def _label(context: Mapping[str, Any]) -> str:
    """What django/forms/label.html writes."""
    if not context["use_tag"]:
        return template_value(context["label"])
    tag = template_value(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{template_value(context['label'])}</{tag}>"


class QuickRenderer(DjangoTemplates):
    """Django's template form renderer, with fields, labels and choice widgets written in Python."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        """The template's HTML, written here when it is one of the commonest."""
        if template_name == "django/forms/field.html":
            html = _field(context["field"])
        elif template_name == "django/forms/label.html":
            html = _label(context)
        elif template_name == "django/forms/widgets/select.html":
            html = _select(context["widget"])
        elif template_name == "django/forms/widgets/radio.html":
            html = _radios(context["widget"])
        elif template_name == "django/forms/errors/list/default.html" and not context["errors"]:
            html = ""
        else:
            return super().render(template_name, context, request)
        return html.strip()


# One per process: a renderer builds its own template engine the first time it is used.
RENDERER = QuickRenderer()
