"""Loading and validating the knowledge base into one immutable Knowledge object."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from softtissue.reasoning.casefiles import Case, parse_case
from softtissue.reasoning.compiled import (
    Cluster,
    CompiledRule,
    DependentGroup,
    Feature,
    QualificationScope,
)
from softtissue.reasoning.errors import CaseError, KnowledgeError
from softtissue.reasoning.explanations import REQUIRED as REQUIRED_EXPLANATIONS
from softtissue.reasoning.features import compile_combining, compile_features
from softtissue.reasoning.findings import Finding, is_number
from softtissue.reasoning.loading import Entry, PendingRef, Problems, check_fields, read_entries
from softtissue.reasoning.rules import compile_rule
from softtissue.reasoning.schema import KINDS, KindSpec
from softtissue.reasoning.triage import URGENCY_ORDER

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "knowledge"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_TECHNIQUE_OUTCOMES = ("allow", "warn", "cpd", "block")
_TIER_OUTCOMES = {
    "absolute": ("block",),
    "local": ("avoid_region",),
    "caution": ("require_clearance", "warn"),
}


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The validated knowledge base: entries by id, plus what is precomputed for answering."""

    directory: Path
    sources: Mapping[str, Entry]
    findings: Mapping[str, Finding]
    regions: Mapping[str, Entry]
    categories: Mapping[str, Entry]
    explanations: Mapping[str, Entry]
    conditions: Mapping[str, Entry]
    special_tests: Mapping[str, Entry]
    exercises: Mapping[str, Entry]
    urgencies: Mapping[str, Entry]
    safety_nets: Mapping[str, Entry]
    red_flags: Mapping[str, Entry]
    contraindications: Mapping[str, Entry]
    medications: Mapping[str, Entry]
    techniques: Mapping[str, Entry]
    qualifications: Mapping[str, Entry]
    cpd: Mapping[str, Entry]
    insurers: Mapping[str, Entry]
    cases: Mapping[str, Case]
    measures: Mapping[str, object]
    files: Mapping[str, str]
    red_flag_rules: tuple[CompiledRule, ...]
    contraindication_rules: tuple[CompiledRule, ...]
    category_rules: tuple[CompiledRule, ...]
    features: Mapping[str, tuple[Feature, ...]]
    clusters: Mapping[str, tuple[Cluster, ...]]
    dependent: Mapping[str, tuple[DependentGroup, ...]]
    conditions_by_region: Mapping[str | None, tuple[str, ...]]
    scopes: Mapping[str, QualificationScope]


def load_knowledge(directory: Path | None = None) -> Knowledge:
    """Load and validate the knowledge base, raising the first problem found."""
    kb, problems = build_knowledge(directory or DEFAULT_DIRECTORY)
    if problems:
        raise problems[0]
    return kb


@functools.lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    """The package's own knowledge base, loaded once per process."""
    return load_knowledge()


def measures_loader() -> Callable[[Path], Mapping[str, object]] | None:
    """The measures package's loader, or None while that package does not exist yet."""
    # The measures package is written separately and may be absent; the core must still load
    # and be testable without it, so a missing package means "no measures", not an error.
    try:
        module = importlib.import_module("softtissue.reasoning.measures")
    except ModuleNotFoundError as error:
        if error.name not in ("softtissue.reasoning.measures", "softtissue.reasoning"):
            raise
        return None
    loader: Callable[[Path], Mapping[str, object]] | None = getattr(module, "load_measures", None)
    return loader


def build_knowledge(directory: Path) -> tuple[Knowledge, list[KnowledgeError]]:
    """Load everything, collecting every problem rather than stopping at the first."""
    problems = Problems()
    by_kind: dict[str, dict[str, Entry]] = {spec.name: {} for spec in KINDS}
    files: dict[str, str] = {}
    for pattern in dict.fromkeys(spec.pattern for spec in KINDS):
        for path in sorted(directory.glob(pattern)):
            relative = path.relative_to(directory).as_posix()
            for entry in read_entries(path, relative, problems):
                _admit(entry, relative, pattern, by_kind, files, problems)
    findings = _findings(by_kind["finding"], files, problems)
    features = _check_custom(by_kind, findings, files, problems)
    clusters, dependent = compile_combining(
        by_kind["condition"], features, findings, files, problems
    )
    _resolve(problems, files, by_kind["source"])
    _check_bands(by_kind["urgency"], by_kind["red-flag"], files, problems)
    red_flag_rules = _rules(by_kind["red-flag"], findings, files, problems)
    contraindication_rules = _rules(by_kind["contraindication"], findings, files, problems)
    category_rules = _rules(by_kind["category"], findings, files, problems, "derived_when")
    _check_explanations(by_kind["explanation"], problems)
    kb = Knowledge(
        directory=directory,
        sources=by_kind["source"],
        findings=findings,
        regions=by_kind["region"],
        categories=by_kind["category"],
        explanations=by_kind["explanation"],
        conditions=by_kind["condition"],
        special_tests=by_kind["special-test"],
        exercises=by_kind["exercise"],
        urgencies=by_kind["urgency"],
        safety_nets=by_kind["safety-net"],
        red_flags=by_kind["red-flag"],
        contraindications=by_kind["contraindication"],
        medications=by_kind["medication"],
        techniques=by_kind["technique"],
        qualifications=by_kind["qualification"],
        cpd=by_kind["cpd"],
        insurers=by_kind["insurer"],
        cases={},
        measures=_measures(directory, problems),
        files=files,
        red_flag_rules=red_flag_rules,
        contraindication_rules=contraindication_rules,
        category_rules=category_rules,
        features=features,
        clusters=clusters,
        dependent=dependent,
        conditions_by_region=_by_region(by_kind["condition"]),
        scopes=_scopes(by_kind["qualification"], files, problems),
    )
    kb = dataclasses.replace(kb, cases=_cases(by_kind["case"], kb, files, problems))
    return kb, problems.errors


def _admit(
    entry: Entry,
    file: str,
    pattern: str,
    by_kind: dict[str, dict[str, Entry]],
    files: dict[str, str],
    problems: Problems,
) -> None:
    specs = [spec for spec in KINDS if spec.pattern == pattern]
    spec = specs[0]
    if len(specs) > 1:
        spec = specs[1] if entry.get("kind") == "cpd" else specs[0]
    entry_id = entry.get(spec.id_key)
    if not isinstance(entry_id, str) or not entry_id:
        problems.add(file, None, f"entry without a {spec.id_key}")
        return
    if not _id_ok(entry_id, spec):
        problems.add(file, entry_id, _id_expectation(spec))
        return
    index_key = entry_id if spec.prefix else f"{spec.name}:{entry_id}"
    if index_key in files:
        problems.add(file, entry_id, f"duplicate id, also defined in {files[index_key]}")
        return
    files[index_key] = file
    by_kind[spec.name][entry_id] = entry
    check_fields(entry, spec.fields, file, entry_id, problems)


def _id_ok(entry_id: str, spec: KindSpec) -> bool:
    if spec.name == "finding":
        return bool(_CODE.match(entry_id))
    if not spec.prefix:
        return True
    return entry_id.startswith(spec.prefix) and bool(_ID.match(entry_id))


def _id_expectation(spec: KindSpec) -> str:
    if spec.name == "finding":
        return "finding codes are snake_case, e.g. night_pain"
    return f"id must be dotted kebab-case starting {spec.prefix}"


def _findings(
    entries: Mapping[str, Entry], files: Mapping[str, str], problems: Problems
) -> dict[str, Finding]:
    findings: dict[str, Finding] = {}
    for code, entry in entries.items():
        file = files[f"finding:{code}"]
        ftype = entry.get("type")
        choices, regions = entry.get("choices"), entry.get("regions")
        low, high = entry.get("min"), entry.get("max")
        if not _shapes_ok(choices, regions, low, high):
            continue  # the schema check has already reported the bad value
        if (ftype == "choice") != (choices is not None):
            problems.add(file, code, "choices are required for, and only for, type choice")
            continue
        if ftype != "number" and any(k in entry for k in ("min", "max", "unit")):
            problems.add(file, code, "min, max and unit are only for type number")
            continue
        if low is not None and high is not None and low > high:
            problems.add(file, code, "min is above max")
            continue
        findings[code] = Finding(
            code=code,
            type=ftype if ftype in ("boolean", "number", "choice") else "boolean",
            label=str(entry.get("label")),
            question=str(entry.get("question")),
            kind=str(entry.get("kind")),
            regions=tuple(regions or ()),
            unit=entry.get("unit"),
            min=low,
            max=high,
            choices=tuple(choices or ()),
        )
    return findings


def _shapes_ok(choices: object, regions: object, low: object, high: object) -> bool:
    lists_ok = all(
        v is None or (isinstance(v, list) and all(isinstance(i, str) for i in v))
        for v in (choices, regions)
    )
    return lists_ok and all(v is None or is_number(v) for v in (low, high))


def _check_custom(
    by_kind: Mapping[str, Mapping[str, Entry]],
    findings: Mapping[str, Finding],
    files: Mapping[str, str],
    problems: Problems,
) -> dict[str, tuple[Feature, ...]]:
    for test_id, test in by_kind["special-test"].items():
        code = str(test.get("finding"))
        if code not in findings or findings[code].type != "boolean":
            problems.add(files[test_id], test_id, f"finding: {code!r} is not a boolean finding")
    for med_id, med in by_kind["medication"].items():
        implies = med.get("implies")
        if not isinstance(implies, list) or not all(
            isinstance(code, str) and code in findings and findings[code].type == "boolean"
            for code in implies
        ):
            problems.add(files[med_id], med_id, "implies: expected a list of boolean findings")
    for rule_id, entry in by_kind["contraindication"].items():
        _check_contraindication(rule_id, entry, files[rule_id], problems)
    for qual_id, entry in by_kind["qualification"].items():
        _check_scope_maps(qual_id, entry, files[qual_id], problems)
    for region_id, entry in by_kind["region"].items():
        movements = entry.get("movements")
        for index, movement in enumerate(movements if isinstance(movements, list) else ()):
            if isinstance(movement, Mapping) and "source" in movement:
                problems.sources.append(
                    PendingRef(
                        files[region_id],
                        region_id,
                        f"movements[{index}].source",
                        (),
                        movement["source"],
                    )
                )
    features: dict[str, tuple[Feature, ...]] = {}
    for condition_id, entry in by_kind["condition"].items():
        file = files[condition_id]
        prior = entry.get("prior")
        if not isinstance(prior, int | float) or isinstance(prior, bool) or not 0 < prior < 1:
            problems.add(
                file, condition_id, f"prior: expected a probability between 0 and 1, got {prior!r}"
            )
        features[condition_id] = compile_features(
            condition_id, entry, file, by_kind["special-test"], findings, problems
        )
    return features


def _check_contraindication(rule_id: str, entry: Entry, file: str, problems: Problems) -> None:
    tier, outcome = entry.get("tier"), entry.get("outcome")
    if isinstance(tier, str) and tier in _TIER_OUTCOMES and outcome not in _TIER_OUTCOMES[tier]:
        allowed = " or ".join(_TIER_OUTCOMES[tier])
        problems.add(file, rule_id, f"outcome: a {tier} contraindication has outcome {allowed}")
    limits = entry.get("limits")
    if not isinstance(limits, Mapping):
        return
    for key, words in (("techniques", ("all",)), ("regions", ("all", "affected"))):
        value = limits.get(key, "all")
        if isinstance(value, str) and value in words:
            continue
        if not isinstance(value, list):
            problems.add(file, rule_id, f"limits.{key}: expected {' or '.join(words)} or a list")
            continue
        prefix = "technique" if key == "techniques" else "region"
        problems.refs.extend(
            PendingRef(file, rule_id, f"limits.{key}", (prefix,), item) for item in value
        )


def _check_scope_maps(qual_id: str, entry: Entry, file: str, problems: Problems) -> None:
    maps = (
        ("assessment", None, ("allow", "warn", "block")),
        ("techniques", "technique", _TECHNIQUE_OUTCOMES),
        ("conditions", "category", ("allow", "warn", "require_clearance", "block")),
    )
    for key, prefix, outcomes in maps:
        value = entry.get(key)
        if not isinstance(value, Mapping):
            problems.add(file, qual_id, f"{key}: expected a mapping")
            continue
        for subject, outcome in value.items():
            if outcome not in outcomes:
                problems.add(
                    file, qual_id, f"{key}.{subject}: expected one of {', '.join(outcomes)}"
                )
            if prefix is not None:
                problems.refs.append(PendingRef(file, qual_id, key, (prefix,), subject))


def _resolve(problems: Problems, files: Mapping[str, str], sources: Mapping[str, Entry]) -> None:
    for ref in problems.refs:
        value = ref.value
        ok = isinstance(value, str) and value.partition(".")[0] in ref.prefixes and value in files
        if not ok:
            wanted = " or ".join(ref.prefixes)
            problems.add(ref.file, ref.entry_id, f"{ref.path}: unknown {wanted} id {value!r}")
    for ref in problems.sources:
        if not isinstance(ref.value, str) or ref.value not in sources:
            problems.add(ref.file, ref.entry_id, f"{ref.path}: unknown source {ref.value!r}")


def _check_bands(
    bands: Mapping[str, Entry],
    red_flags: Mapping[str, Entry],
    files: Mapping[str, str],
    problems: Problems,
) -> None:
    """Every band defined once, and every red flag's words agreeing with its band."""
    missing = [band for band in URGENCY_ORDER[1:] if band not in bands]
    if missing and (bands or red_flags):
        problems.add("urgencies.yaml", None, f"missing bands {', '.join(missing)}")
    for rule_id, entry in red_flags.items():
        band = bands.get(str(entry.get("urgency")))
        if band is None:
            continue
        referral, message = str(entry.get("referral", "")), str(entry.get("message", ""))
        says = [str(phrase) for phrase in band.get("says") or ()]
        if says and not any(phrase.lower() in referral.lower() for phrase in says):
            wanted = " or ".join(repr(phrase) for phrase in says)
            problems.add(
                files[rule_id], rule_id, f"referral: a {band['band']} referral says {wanted}"
            )
        for phrase in band.get("never_says") or ():
            for key, text in (("message", message), ("referral", referral)):
                if str(phrase).lower() in text.lower():
                    problems.add(
                        files[rule_id],
                        rule_id,
                        f"{key}: says {phrase!r}, which does not belong in {band['band']}",
                    )


def _check_explanations(entries: Mapping[str, Entry], problems: Problems) -> None:
    missing = [key for key in REQUIRED_EXPLANATIONS if key not in entries]
    if missing and entries:
        problems.add("explanations.yaml", None, f"missing explanations {', '.join(missing)}")


def _rules(
    entries: Mapping[str, Entry],
    findings: Mapping[str, Finding],
    files: Mapping[str, str],
    problems: Problems,
    key: str = "when",
) -> tuple[CompiledRule, ...]:
    compiled: list[CompiledRule] = []
    for rule_id, entry in entries.items():
        if key not in entry:
            continue
        messages: list[str] = []
        rule = compile_rule(entry[key], findings, messages, key)
        for message in messages:
            problems.add(files[rule_id], rule_id, message)
        if rule is not None:
            compiled.append(CompiledRule(rule_id, rule))
    return tuple(compiled)


def _by_region(conditions: Mapping[str, Entry]) -> dict[str | None, tuple[str, ...]]:
    by_region: dict[str | None, list[str]] = {None: sorted(conditions)}
    for condition_id in sorted(conditions):
        region = conditions[condition_id].get("region")
        by_region.setdefault(str(region), []).append(condition_id)
    return {region: tuple(ids) for region, ids in by_region.items()}


def _scopes(
    entries: Mapping[str, Entry], files: Mapping[str, str], problems: Problems
) -> dict[str, QualificationScope]:
    scopes: dict[str, QualificationScope] = {}

    def resolve(qual_id: str, seen: tuple[str, ...]) -> dict[str, dict[str, str]]:
        entry = entries[qual_id]
        parent = entry.get("inherits")
        maps: dict[str, dict[str, str]] = {"assessment": {}, "techniques": {}, "conditions": {}}
        if not isinstance(parent, str):
            pass
        elif parent in seen:
            problems.add(files[qual_id], qual_id, f"inherits: {parent} inherits back from it")
        elif parent in entries:
            maps = resolve(parent, (*seen, parent))
        for key in maps:
            own = entry.get(key)
            if isinstance(own, Mapping):
                maps[key] = {**maps[key], **{str(k): str(v) for k, v in own.items()}}
        return maps

    for qual_id, entry in entries.items():
        maps = resolve(qual_id, (qual_id,))
        scopes[qual_id] = QualificationScope(
            id=qual_id,
            title=str(entry.get("title", qual_id)),
            refer_to=str(entry.get("refer_to", "")),
            assessment=maps["assessment"],
            techniques=maps["techniques"],
            conditions=maps["conditions"],
            sources=tuple(entry.get("sources") or ()),
        )
    return scopes


def _cases(
    entries: Mapping[str, Entry], kb: Knowledge, files: Mapping[str, str], problems: Problems
) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for case_id, entry in entries.items():
        if "findings" not in entry:
            continue
        try:
            cases[case_id] = parse_case(entry, kb, files[case_id], vignette=True)
        except CaseError as error:
            problems.add(files[case_id], case_id, f"{error.key}: {error.problem}")
    return cases


def _measures(directory: Path, problems: Problems) -> Mapping[str, object]:
    loader = measures_loader()
    if loader is None or not (directory / "measures").is_dir():
        return {}
    try:
        return loader(directory / "measures")
    except KnowledgeError as error:
        problems.errors.append(error)
        return {}
