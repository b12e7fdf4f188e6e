"""Condition features: the findings that move a condition's probability, with their LRs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from softtissue.reasoning.compiled import Cluster, ClusterBand, DependentGroup, Feature
from softtissue.reasoning.errors import KnowledgeError
from softtissue.reasoning.findings import Finding, is_number
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
        basis=str(test.get("lr_basis")),
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
    return Feature(leaf, lr_pos, lr_neg, tuple(sources), item["basis"])


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


_CLUSTER_ID = re.compile(r"^cluster\.[a-z0-9]+(-[a-z0-9]+)*$")
Clusters = dict[str, tuple[Cluster, ...]]
Groups = dict[str, tuple[DependentGroup, ...]]


def compile_combining(
    conditions: Mapping[str, Entry],
    features: Mapping[str, tuple[Feature, ...]],
    findings: Mapping[str, Finding],
    files: Mapping[str, str],
    problems: Problems,
) -> tuple[Clusters, Groups]:
    """Each condition's published clusters and groups of dependent findings."""
    clusters: Clusters = {}
    groups: Groups = {}
    for condition_id, entry in conditions.items():
        messages: list[str] = []
        clusters[condition_id] = _clusters(entry.get("clusters"), findings, messages)
        members = {code for cluster in clusters[condition_id] for code in cluster.findings}
        codes = {feature.leaf.finding for feature in features.get(condition_id, ())}
        groups[condition_id] = _groups(entry.get("dependent"), codes, members, messages)
        file = files[condition_id]
        problems.errors.extend(KnowledgeError(file, condition_id, m) for m in messages)
    return clusters, groups


def _clusters(
    raw: object, findings: Mapping[str, Finding], messages: list[str]
) -> tuple[Cluster, ...]:
    clusters: list[Cluster] = []
    for index, item in enumerate(_list(raw)):
        cluster = _cluster(item, findings, messages, f"clusters[{index}]")
        if cluster is None:
            continue
        if any(other.id == cluster.id for other in clusters):
            messages.append(f"clusters[{index}].id: {cluster.id} is used twice")
            continue
        clusters.append(cluster)
    return tuple(clusters)


def _cluster(
    item: object, findings: Mapping[str, Finding], messages: list[str], path: str
) -> Cluster | None:
    if not isinstance(item, Mapping) or not _texts(item.get("findings")):
        return None  # the schema check has already reported the bad shape
    rows = item.get("positives")
    if not isinstance(rows, list) or not all(_band_shaped(row) for row in rows):
        return None
    before = len(messages)
    cluster_id, members = str(item.get("id")), tuple(item["findings"])
    if not _CLUSTER_ID.match(cluster_id):
        messages.append(f"{path}.id: expected dotted kebab-case starting cluster.")
    for code in members:
        if code not in findings or findings[code].type != "boolean":
            messages.append(f"{path}.findings: {code!r} is not a yes/no finding")
    if len(set(members)) < 2 or len(set(members)) != len(members):
        messages.append(f"{path}.findings: expected two or more different findings")
    bands: list[ClusterBand] = []
    for index, row in enumerate(rows):
        band = ClusterBand(row["min"], row["max"], float(row["lr"]))
        if not 0 <= band.min <= band.max <= len(members):
            messages.append(
                f"{path}.positives[{index}]: expected 0 <= min <= max <= {len(members)}"
            )
        elif any(band.min <= other.max and other.min <= band.max for other in bands):
            messages.append(f"{path}.positives[{index}]: overlaps an earlier row")
        bands.append(band)
    if len(messages) > before:
        return None
    return Cluster(
        id=cluster_id,
        name=str(item.get("name")),
        findings=members,
        bands=tuple(bands),
        basis=str(item.get("basis")),
        sources=tuple(map(str, _list(item.get("sources")))),
    )


def _band_shaped(row: object) -> bool:
    return (
        isinstance(row, Mapping)
        and all(is_number(row.get(key)) for key in ("min", "max", "lr"))
        and all(isinstance(row[key], int) for key in ("min", "max"))
        and row["lr"] > 0
    )


def _groups(
    raw: object, codes: set[str], taken: set[str], messages: list[str]
) -> tuple[DependentGroup, ...]:
    groups: list[DependentGroup] = []
    for index, item in enumerate(_list(raw)):
        if not isinstance(item, Mapping) or not _texts(item.get("findings")):
            continue  # the schema check has already reported the bad shape
        path, members, before = (
            f"dependent[{index}].findings",
            tuple(item["findings"]),
            len(messages),
        )
        for code in members:
            if code not in codes:
                messages.append(f"{path}: {code!r} is not one of this condition's features")
            elif code in taken:
                messages.append(f"{path}: {code!r} is already in a cluster or another group")
        if len(set(members)) < 2 or len(set(members)) != len(members):
            messages.append(f"{path}: expected two or more different findings")
        if len(messages) == before:
            taken.update(members)
            groups.append(DependentGroup(members, str(item.get("why"))))
    return tuple(groups)


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
