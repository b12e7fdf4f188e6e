"""What the assessment asks and draws for a region comes from the knowledge base."""

from __future__ import annotations

import pytest

from softtissue.assessments import bodychart
from softtissue.assessments.questions import (
    ASKED_ELSEWHERE,
    region_questions,
    screening_codes,
    screening_questions,
    suggested_tests,
)
from softtissue.reasoning import default_knowledge

KB = default_knowledge()
REGIONS = list(KB.regions)


def test_it_asks_the_cauda_equina_questions_for_low_back_pain() -> None:
    questions = screening_questions("region.lumbar-pelvis")
    assert {"saddle_anaesthesia", "new_urinary_retention", "bowel_incontinence"} <= set(questions)


def test_it_does_not_ask_cauda_equina_questions_for_an_elbow() -> None:
    assert "saddle_anaesthesia" not in screening_codes("region.elbow")


@pytest.mark.parametrize("region", REGIONS)
def test_it_asks_the_systemic_illness_questions_everywhere(region: str) -> None:
    assert {"fever", "night_sweats", "systemically_unwell"} <= set(screening_questions(region))


@pytest.mark.parametrize("region", REGIONS)
def test_it_leaves_no_red_flag_finding_unasked(region: str) -> None:
    asked = set(screening_questions(region)) | set(ASKED_ELSEWHERE)
    asked |= {str(KB.special_tests[t]["finding"]) for t in suggested_tests(region)}
    for compiled in KB.red_flag_rules:
        regions = KB.red_flags[compiled.id].get("regions") or ()
        if not regions or region in regions:
            assert _codes(compiled.rule) <= asked, compiled.id


@pytest.mark.parametrize("region", REGIONS)
def test_it_never_asks_a_question_twice(region: str) -> None:
    screening, own = screening_questions(region), region_questions(region)
    assert len(set(screening)) == len(screening)
    assert not set(screening) & set(own)


def test_it_asks_the_elbow_questions() -> None:
    assert {"lateral_elbow_pain", "pain_on_gripping"} <= set(region_questions("region.elbow"))


def test_it_suggests_the_elbow_tests() -> None:
    assert {"special-test.cozen", "special-test.mill"} <= set(suggested_tests("region.elbow"))


@pytest.mark.parametrize("area", [area for area, _ in bodychart.area_choices()])
def test_it_draws_every_knowledge_area(area: str) -> None:
    assert bodychart.views_of(area), f"{area} has no shape on the body chart"


def test_it_draws_limbs_on_both_sides() -> None:
    sides = {s.side for s in bodychart.shapes() if s.area == "elbow" and s.view == "front"}
    assert sides == {"left", "right"}


@pytest.mark.parametrize(
    ("mark", "lit"),
    [
        (("elbow", "front", "right"), {("front", "elbow", "right")}),
        (("elbow", "back", "bilateral"), {("back", "elbow", "left"), ("back", "elbow", "right")}),
        (("lower-back", "back", "left"), {("back", "lower-back", "centre")}),
        (("heel", "front", "left"), set()),
    ],
)
def test_it_colours_the_marked_shapes(
    mark: tuple[str, str, str], lit: set[tuple[str, str, str]]
) -> None:
    assert bodychart.marked_shapes([mark]) == lit


def _codes(rule: object) -> set[str]:
    finding = getattr(rule, "finding", None)
    if finding is not None:
        return {finding}
    return set().union(*(_codes(child) for child in rule.children))  # type: ignore[attr-defined]
