"""Rule trees: an unrecorded finding is false, and the trail names the leaves that matched."""

from __future__ import annotations

from typing import Any

import pytest

from softtissue.reasoning.knowledge import Knowledge
from softtissue.reasoning.rules import compile_rule, fire

SADDLE = {"finding": "saddle_anaesthesia", "is": True}
FEVER = {"finding": "fever", "is": True}
SEVERE = {"finding": "pain_nrs", "min": 8}
MILD = {"finding": "pain_nrs", "max": 3}
GRADUAL = {"finding": "onset", "in": ["gradual", "after_trauma"]}


@pytest.mark.parametrize(
    ("tree", "findings", "because"),
    [
        (SADDLE, {}, None),
        (SADDLE, {"saddle_anaesthesia": True}, ("saddle_anaesthesia",)),
        (SADDLE, {"saddle_anaesthesia": False}, None),
        ({"finding": "onset", "is": "sudden"}, {"onset": "sudden"}, ("onset",)),
        ({"finding": "onset", "is": "sudden"}, {"onset": "gradual"}, None),
        (SEVERE, {"pain_nrs": 8}, ("pain_nrs",)),
        (SEVERE, {"pain_nrs": 7.5}, None),
        (SEVERE, {"pain_nrs": True}, None),
        (MILD, {"pain_nrs": 3}, ("pain_nrs",)),
        (MILD, {"pain_nrs": 4}, None),
        (GRADUAL, {"onset": "after_trauma"}, ("onset",)),
        (GRADUAL, {"onset": "sudden"}, None),
        ({"all_of": [SADDLE, FEVER]}, {"saddle_anaesthesia": True}, None),
        (
            {"all_of": [SADDLE, FEVER]},
            {"saddle_anaesthesia": True, "fever": True},
            ("saddle_anaesthesia", "fever"),
        ),
        ({"any_of": [SADDLE, FEVER]}, {"fever": True}, ("fever",)),
        ({"any_of": [SADDLE, FEVER]}, {"fever": False}, None),
        ({"at_least": {"count": 2, "of": [SADDLE, FEVER, SEVERE]}}, {"fever": True}, None),
        (
            {"at_least": {"count": 2, "of": [SADDLE, FEVER, SEVERE]}},
            {"fever": True, "pain_nrs": 9, "saddle_anaesthesia": False},
            ("fever", "pain_nrs"),
        ),
        ({"not": FEVER}, {}, ()),
        ({"not": FEVER}, {"fever": True}, None),
        ({"all_of": [FEVER, {"not": SADDLE}]}, {"fever": True}, ("fever",)),
        (
            {"any_of": [FEVER, {"all_of": [FEVER, SEVERE]}]},
            {"fever": True, "pain_nrs": 9},
            ("fever", "pain_nrs"),
        ),
    ],
)
def test_it_fires_rules(
    kb: Knowledge, tree: dict[str, Any], findings: dict[str, Any], because: tuple[str, ...] | None
) -> None:
    problems: list[str] = []
    rule = compile_rule(tree, kb.findings, problems)
    assert problems == []
    assert rule is not None
    assert fire(rule, findings) == because


def test_it_refuses_a_tree_with_a_bad_child(kb: Knowledge) -> None:
    problems: list[str] = []
    assert (
        compile_rule({"any_of": [FEVER, {"finding": "nope", "is": True}]}, kb.findings, problems)
        is None
    )
    assert problems == ["when.any_of[1]: unknown finding 'nope'"]


def test_it_refuses_a_bad_not(kb: Knowledge) -> None:
    problems: list[str] = []
    assert compile_rule({"not": {"finding": "nope", "is": True}}, kb.findings, problems) is None
    assert problems == ["when.not: unknown finding 'nope'"]
