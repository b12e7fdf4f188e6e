"""The quick form renderer writes exactly the HTML of Django's form templates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.test import Client as WebClient
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from softtissue.accounts.models import User
from softtissue.assessments import bodychart
from softtissue.assessments.models import Assessment
from softtissue.assessments.rendering import RENDERER, QuickRenderer

DJANGO = DjangoTemplates()
CHOICES: list[Any] = [("", "Not asked"), ("yes", "Yes"), ("no", "No")]
AWKWARD: list[Any] = [
    ("", "Choose <one>"),
    ("a&b", 'Tom & "Jerry"'),
    (3, 1234),
    ("lazy", gettext_lazy("Yes")),
    ("safe", mark_safe("<em>kept</em>")),
    ("Group & co", [("g1", "First"), ("g2", "<Second>")]),
]
WIDGET_CASES = [
    # (choices, value, attrs)
    (CHOICES, None, {"id": "id_q"}),
    (CHOICES, "yes", {"id": "id_q", "required": True}),
    (CHOICES, "no", None),
    (CHOICES, "missing", {"id": "id_q", "disabled": False, "aria-invalid": "true"}),
    (AWKWARD, "a&b", {"id": "id_<q>", "class": "wide & tall", "data-n": 0}),
    (AWKWARD, 3, {"id": "id_q", "title": mark_safe("<b>")}),
    (AWKWARD, "g2", {"id": "id_q", "data-t": ("a", "b")}),
    ([], None, {"id": "id_q"}),
]


@pytest.mark.parametrize(("choices", "value", "attrs"), WIDGET_CASES)
@pytest.mark.parametrize("widget", [forms.Select, forms.RadioSelect])
def test_it_writes_choice_widgets_as_the_templates_do(
    widget: type[forms.ChoiceWidget], choices: list[Any], value: object, attrs: Any
) -> None:
    expected = widget(choices=choices).render("q", value, attrs, renderer=DJANGO)
    assert widget(choices=choices).render("q", value, attrs, renderer=RENDERER) == expected


@pytest.mark.parametrize("value", [None, True, False, "true", "false", "unknown"])
def test_it_writes_the_null_boolean_select(value: object) -> None:
    expected = forms.NullBooleanSelect().render("p", value, {"id": "id_p"}, renderer=DJANGO)
    assert forms.NullBooleanSelect().render("p", value, {"id": "id_p"}, RENDERER) == expected


def test_it_keeps_widget_attrs_on_radio_options() -> None:
    radios = forms.RadioSelect(attrs={"class": "choice"}, choices=CHOICES)
    expected = radios.render("q", "yes", {"id": "id_q"}, renderer=DJANGO)
    assert radios.render("q", "yes", {"id": "id_q"}, renderer=RENDERER) == expected


class Sample(forms.Form):
    """Every kind of field the assessment forms show, with help text and a required class."""

    required_css_class = "needed"
    answer = forms.ChoiceField(label="Answer & <why>?", choices=CHOICES, widget=forms.RadioSelect)
    area = forms.ChoiceField(label="Area", choices=AWKWARD, help_text="<b>Kept</b> as written")
    degrees = forms.IntegerField(label="Degrees", min_value=0, max_value=360)
    notes = forms.CharField(label="", required=False, widget=forms.Textarea)
    painful = forms.BooleanField(label="Painful", required=False)
    silent = forms.CharField(label="Silent", required=False, widget=forms.TextInput({"id": ""}))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"answer": "yes", "area": "g1", "degrees": "90", "painful": "on"},
        {"answer": "maybe", "area": "nowhere", "degrees": "-4"},
    ],
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_it_writes_field_groups_as_the_templates_do(data: Any, auto_id: Any) -> None:
    expected = Sample(data, auto_id=auto_id, renderer=DJANGO)
    quick = Sample(data, auto_id=auto_id, renderer=RENDERER)
    for name in Sample.base_fields:
        assert quick[name].as_field_group() == expected[name].as_field_group(), name


# How sections/chart.html drew each shape before the markup was written once per shape.
SHAPE_TEMPLATE = (
    '{% with s=item.shape %}{% if s.kind == "rect" %}<rect class="area{% if item.lit %} lit'
    '{% endif %}" x="{{ s.x }}" y="{{ s.y }}" width="{{ s.w }}" height="{{ s.h }}" rx="5" '
    'data-area="{{ s.area }}" data-view="{{ s.view }}" data-side="{{ s.side }}"><title>'
    '{{ item.label }}</title></rect>{% else %}<ellipse class="area{% if item.lit %} lit'
    '{% endif %}" cx="{{ s.x }}" cy="{{ s.y }}" rx="{{ s.w }}" ry="{{ s.h }}" '
    'data-area="{{ s.area }}" data-view="{{ s.view }}" data-side="{{ s.side }}"><title>'
    "{{ item.label }}</title></ellipse>{% endif %}{% endwith %}"
)


@pytest.mark.parametrize("lit", [True, False])
def test_it_draws_body_chart_shapes_as_the_template_did(lit: bool) -> None:
    template = engines["django"].from_string(SHAPE_TEMPLATE)
    kinds = set()
    for shape in bodychart.shapes():
        label = f"{shape.area} <&> {shape.side}"
        expected = template.render({"item": {"shape": shape, "lit": lit, "label": label}})
        assert bodychart.shape_markup(shape, lit, label) == expected, shape
        kinds.add(shape.kind)
    assert kinds == {"rect", "ellipse"}


def without_tokens(html: bytes) -> bytes:
    """The page without its CSRF tokens, which differ on every request."""
    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", html)


def django_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render the assessment forms with Django's templates again."""
    monkeypatch.setattr(QuickRenderer, "render", DjangoTemplates.render)


def test_it_leaves_the_assessment_page_unchanged(
    web: WebClient, alice: User, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment.findings = {"lateral_elbow_pain": True, "night_pain": False}
    assessment.onset = "gradual"
    assessment.previous_episodes = True
    assessment.save()
    web.force_login(alice)
    quick = web.get(assessment.get_absolute_url())
    django_templates(monkeypatch)
    expected = web.get(assessment.get_absolute_url())
    assert quick.status_code == expected.status_code == 200
    assert b'type="radio"' in quick.content and b"<legend>" in quick.content
    assert without_tokens(quick.content) == without_tokens(expected.content)


def test_it_leaves_a_page_with_errors_unchanged(
    web: WebClient, alice: User, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.force_login(alice)
    url = f"/assessments/{assessment.pk}/sections/chart/"
    data = {"mark-area": "nowhere", "mark-view": "front", "mark-side": "sideways"}
    quick = web.post(url, data)
    django_templates(monkeypatch)
    expected = web.post(url, data)
    assert quick.status_code == expected.status_code == 422
    assert b'aria-invalid="true"' in quick.content and b'class="errorlist"' in quick.content
    assert without_tokens(quick.content) == without_tokens(expected.content)
