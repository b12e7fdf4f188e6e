"""Condition features: the findings that move a condition's probability, with their LRs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from softtissue.reasoning.compiled import Feature
from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.findings import Finding
from softtissue.reasoning.loading import Entry, PendingRef, Problems
from softtissue.reasoning.rules import Leaf, compile_leaf
from softtissue.reasoning.schema import FEATURE_LEAF_KEYS, FEATURE_TEST_KEYS


def compile_features(
    condition_id: str,
    entry: Entry,
    file: str,
    tests: Mapping[str, Entry],
    findings: Mapping[str, Finding],
    problems: Problems,
) -> tuple[Feature, ...]:
    """A condition's features with their likelihood ratios; problems are added, not raised."""
    raw = entry.get("features")
    if not isinstance(raw, list):
        problems.add(file, condition_id, "features: expected a list")
        return ()
    features: list[Feature] = []
    for index, item in enumerate(raw):
        path = f"features[{index}]"
        messages: list[str] = []
        feature = None
        if isinstance(item, Mapping) and "test" in item:
            feature = _test_feature(condition_id, item, tests, messages, path)
        elif isinstance(item, Mapping) and "finding" in item:
            feature = _leaf_feature(item, findings, messages, path)
            problems.sources.extend(
                PendingRef(file, condition_id, f"{path}.sources", (), key)
                for key in _list(item.get("sources"))
            )
        else:
            messages.append(f"{path}: expected a finding with its likelihood ratios, or a test")
        problems.errors.extend(KnowledgeError(file, condition_id, m) for m in messages)
        if feature is not None:
            features.append(feature)
    return tuple(features)


def _test_feature(
    condition_id: str,
    item: Mapping[str, Any],
    tests: Mapping[str, Entry],
    messages: list[str],
    path: str,
) -> Feature | None:
    unknown = set(item) - FEATURE_TEST_KEYS
    if unknown:
        messages.append(f"{path}: unknown key {', '.join(sorted(map(str, unknown)))} beside test")
        return None
    test_id = item["test"]
    test = tests.get(test_id) if isinstance(test_id, str) else None
    if test is None:
        messages.append(f"{path}.test: unknown special test {test_id!r}")
        return None
    target = test.get("condition")
    if target is not None and target != condition_id:
        messages.append(f"{path}.test: {test_id} informs {target}, not this condition")
        return None
    return Feature(
        leaf=Leaf(str(test.get("finding")), "is", True),
        lr_positive=test.get("lr_positive"),
        lr_negative=test.get("lr_negative"),
        sources=tuple(map(str, _list(test.get("sources")))),
    )


def _leaf_feature(
    item: Mapping[str, Any], findings: Mapping[str, Finding], messages: list[str], path: str
) -> Feature | None:
    leaf = compile_leaf(item, findings, messages, path, FEATURE_LEAF_KEYS)
    if leaf is None:
        return None
    lr_pos, lr_neg = item.get("lr_positive"), item.get("lr_negative")
    for key, value, required in (("lr_positive", lr_pos, True), ("lr_negative", lr_neg, False)):
        if value is None and not required:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            messages.append(f"{path}.{key}: expected a likelihood ratio above 0, got {value!r}")
            return None
    if item.get("basis") not in ("published", "calculated", "expert_estimate"):
        messages.append(f"{path}.basis: expected published, calculated or expert_estimate")
        return None
    sources = item.get("sources")
    if not isinstance(sources, list) or not sources:
        messages.append(f"{path}.sources: expected a non-empty list of source keys")
        return None
    return Feature(leaf, lr_pos, lr_neg, tuple(sources))


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []
