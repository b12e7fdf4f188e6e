"""The coded body chart: each knowledge-base area drawn as shapes on a front and a back figure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.utils.safestring import SafeString, mark_safe

from softtissue.assessments.questions import kb
from softtissue.assessments.rendering import template_value

WIDTH = 200


@dataclass(frozen=True, slots=True)
class Shape:
    """One clickable shape: an area on one view and side, as an SVG rect or ellipse."""

    area: str
    view: str
    side: str
    kind: str  # "rect" or "ellipse"
    x: float  # rect: left edge; ellipse: centre
    y: float
    w: float  # rect: width; ellipse: x radius
    h: float  # rect: height; ellipse: y radius


# Limb shapes drawn on the viewer's left; they are mirrored for the other side. Seen from the
# front, the viewer's left is the client's right; seen from the back, it is the client's left.
_LIMB: tuple[tuple[str, tuple[str, ...], str, float, float, float, float], ...] = (
    ("shoulder", ("front", "back"), "ellipse", 62, 88, 14, 11),
    ("upper-arm", ("front", "back"), "rect", 44, 98, 18, 58),
    ("elbow", ("front", "back"), "ellipse", 52, 164, 10, 9),
    ("forearm", ("front", "back"), "rect", 38, 173, 18, 52),
    ("wrist", ("front", "back"), "rect", 35, 225, 18, 10),
    ("hand", ("front", "back"), "rect", 32, 235, 20, 22),
    ("thumb", ("front",), "ellipse", 27, 244, 4, 9),
    ("fingers", ("front",), "rect", 33, 257, 17, 18),
    ("hip", ("front",), "ellipse", 76, 186, 13, 12),
    ("groin", ("front",), "ellipse", 92, 203, 7, 8),
    ("buttock", ("back",), "ellipse", 78, 194, 13, 14),
    ("thigh", ("front", "back"), "rect", 72, 212, 24, 72),
    ("knee", ("front", "back"), "ellipse", 84, 296, 12, 11),
    ("shin", ("front",), "rect", 77, 308, 15, 70),
    ("calf", ("back",), "rect", 75, 308, 19, 70),
    ("ankle", ("front", "back"), "rect", 77, 378, 15, 10),
    ("foot", ("front",), "rect", 72, 388, 22, 14),
    ("toes", ("front",), "rect", 72, 402, 22, 9),
    ("heel", ("back",), "ellipse", 84, 395, 9, 7),
)
_MIDLINE: tuple[tuple[str, tuple[str, ...], str, float, float, float, float], ...] = (
    ("head", ("front", "back"), "ellipse", 100, 36, 22, 27),
    ("neck", ("front", "back"), "rect", 90, 62, 20, 16),
    ("chest", ("front",), "rect", 72, 78, 56, 40),
    ("ribs", ("front",), "rect", 74, 118, 52, 30),
    ("upper-back", ("back",), "rect", 72, 78, 56, 36),
    ("mid-back", ("back",), "rect", 72, 114, 56, 34),
    ("lower-back", ("back",), "rect", 76, 148, 48, 28),
    ("sacrum", ("back",), "rect", 92, 176, 16, 16),
)
# Drawn but not clickable: the belly has no area of its own in the knowledge base.
OUTLINE = (Shape("", "front", "centre", "rect", 76, 148, 48, 34),)


def _mirror(kind: str, x: float, w: float) -> float:
    return WIDTH - x if kind == "ellipse" else WIDTH - x - w


@cache
def shapes() -> tuple[Shape, ...]:
    """Every clickable shape on both figures."""
    drawn: list[Shape] = []
    for area, views, kind, x, y, w, h in _MIDLINE:
        drawn.extend(Shape(area, view, "centre", kind, x, y, w, h) for view in views)
    for area, views, kind, x, y, w, h in _LIMB:
        for view in views:
            near, far = ("right", "left") if view == "front" else ("left", "right")
            drawn.append(Shape(area, view, near, kind, x, y, w, h))
            drawn.append(Shape(area, view, far, kind, _mirror(kind, x, w), y, w, h))
    return tuple(drawn)


@cache
def area_choices() -> tuple[tuple[str, str], ...]:
    """Body-chart areas from the knowledge base, labelled with their region."""
    choices: dict[str, str] = {}
    for entry in kb().regions.values():
        for area in entry["body_chart"]:
            choices.setdefault(area, f"{area.replace('-', ' ').capitalize()} ({entry['label']})")
    return tuple(choices.items())


@cache
def views_of(area: str) -> frozenset[str]:
    """The figures an area is drawn on."""
    return frozenset(s.view for s in shapes() if s.area == area)


def is_midline(area: str) -> bool:
    """True for areas drawn once, across the middle of the body."""
    return any(s.area == area and s.side == "centre" for s in shapes())


@cache
def shape_markup(shape: Shape, lit: bool, label: str) -> SafeString:
    """One clickable shape as SVG, coloured when marked and titled with its label."""
    # Written once per shape and state: the page draws about 80 shapes, and a dozen template
    # lookups for each made the body chart the slowest section after the forms.
    value = template_value
    css = "area lit" if lit else "area"
    data = (
        f'data-area="{value(shape.area)}" data-view="{value(shape.view)}" '
        f'data-side="{value(shape.side)}"><title>{value(label)}</title>'
    )
    if shape.kind == "rect":
        place = f'x="{value(shape.x)}" y="{value(shape.y)}" width="{value(shape.w)}" '
        place += f'height="{value(shape.h)}" rx="5"'
        return mark_safe(f'<rect class="{css}" {place} {data}</rect>')  # noqa: S308
    place = f'cx="{value(shape.x)}" cy="{value(shape.y)}" rx="{value(shape.w)}" '
    place += f'ry="{value(shape.h)}"'
    return mark_safe(f'<ellipse class="{css}" {place} {data}</ellipse>')  # noqa: S308


def marked_shapes(marks: Iterable[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """(view, area, side) of every shape to colour for marks given as (area, view, side)."""
    lit: set[tuple[str, str, str]] = set()
    for area, view, side in marks:
        sides = {"left", "right", "centre"} if side == "bilateral" else {side, "centre"}
        lit.update(
            (s.view, s.area, s.side)
            for s in shapes()
            if s.area == area and s.view == view and s.side in sides
        )
    return lit
