"""Rule trees (all_of, any_of, at_least, not, leaves): compiling and evaluating them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from softtissue.reasoning.findings import Finding, Findings, Value, is_number, value_problem

LEAF_OPERATORS = ("is", "min", "max", "in")
GROUP_OPERATORS = ("all_of", "any_of", "at_least", "not")


@dataclass(frozen=True, slots=True)
class Leaf:
    """One comparison on one finding; an unrecorded finding never matches."""

    finding: str
    op: str
    value: Value | tuple[str, ...]

    def matches(self, findings: Findings) -> bool:
        """True when the recorded value satisfies the comparison."""
        if self.finding not in findings:
            return False
        recorded = findings[self.finding]
        if self.op == "is":
            return recorded == self.value and type(recorded) is type(self.value)
        if self.op == "in":
            assert isinstance(self.value, tuple)
            return recorded in self.value
        if not is_number(recorded):
            return False
        assert isinstance(recorded, int | float) and isinstance(self.value, int | float)
        return recorded >= self.value if self.op == "min" else recorded <= self.value

    def evaluate(self, findings: Findings, because: list[str]) -> bool:
        """Match, adding this leaf's finding to the trail when it matches."""
        if self.matches(findings):
            because.append(self.finding)
            return True
        return False


@dataclass(frozen=True, slots=True)
class Group:
    """all_of, any_of, at_least (count) or not over child rules."""

    op: str
    children: tuple[Rule, ...]
    count: int = 0

    def evaluate(self, findings: Findings, because: list[str]) -> bool:
        """Evaluate every child, so the trail names all the leaves that matched."""
        trail: list[str] = []
        hits = sum(child.evaluate(findings, trail) for child in self.children)
        if self.op == "not":
            return hits == 0
        if self.op == "all_of":
            fired = hits == len(self.children)
        elif self.op == "any_of":
            fired = hits > 0
        else:
            fired = hits >= self.count
        if fired:
            because.extend(trail)
        return fired


Rule = Leaf | Group


def fire(rule: Rule, findings: Findings) -> tuple[str, ...] | None:
    """The finding codes that made the rule fire, or None when it stays quiet."""
    because: list[str] = []
    if not rule.evaluate(findings, because):
        return None
    return tuple(dict.fromkeys(because))


def compile_rule(
    tree: object, vocabulary: Mapping[str, Finding], problems: list[str], path: str = "when"
) -> Rule | None:
    """Compile a YAML rule tree, adding plain-words problems; None when it cannot be used."""
    if not isinstance(tree, Mapping):
        problems.append(f"{path}: expected a mapping")
        return None
    if "finding" in tree:
        return compile_leaf(tree, vocabulary, problems, path)
    keys = list(tree)
    if len(keys) != 1 or keys[0] not in GROUP_OPERATORS:
        problems.append(f"{path}: unknown operator {', '.join(map(str, keys)) or '(none)'}")
        return None
    op = str(keys[0])
    body = tree[op]
    if op == "not":
        child = compile_rule(body, vocabulary, problems, f"{path}.not")
        return None if child is None else Group("not", (child,))
    count = 0
    if op == "at_least":
        if not isinstance(body, Mapping) or set(body) != {"count", "of"}:
            problems.append(f"{path}.at_least: expected keys count and of")
            return None
        count, body = body["count"], body["of"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            problems.append(f"{path}.at_least.count: expected a whole number of at least 1")
            return None
    if not isinstance(body, list) or not body:
        problems.append(f"{path}.{op}: expected a non-empty list")
        return None
    children = [
        compile_rule(c, vocabulary, problems, f"{path}.{op}[{i}]") for i, c in enumerate(body)
    ]
    if any(child is None for child in children):
        return None
    return Group(op, tuple(c for c in children if c is not None), count)


def compile_leaf(
    tree: Mapping[str, object],
    vocabulary: Mapping[str, Finding],
    problems: list[str],
    path: str,
    extra_keys: frozenset[str] = frozenset(),
) -> Leaf | None:
    """Compile one leaf, checking the comparison against the finding's type and range."""
    code = str(tree["finding"])
    finding = vocabulary.get(code)
    if finding is None:
        problems.append(f"{path}: unknown finding {tree['finding']!r}")
        return None
    ops = [k for k in tree if k in LEAF_OPERATORS]
    unknown = [
        k for k in tree if k not in LEAF_OPERATORS and k != "finding" and k not in extra_keys
    ]
    if unknown:
        problems.append(f"{path}: unknown operator {', '.join(map(str, unknown))}")
        return None
    if len(ops) != 1:
        problems.append(f"{path}: expected exactly one of is, min, max, in")
        return None
    op = ops[0]
    value = tree[op]
    problem = _leaf_problem(finding, op, value)
    if problem is not None:
        problems.append(f"{path}: {code} {op}: {problem}")
        return None
    if op == "in":
        assert isinstance(value, list)
        return Leaf(code, op, tuple(value))
    assert isinstance(value, bool | int | float | str)
    return Leaf(code, op, value)


def _leaf_problem(finding: Finding, op: str, value: object) -> str | None:
    if op == "is":
        if finding.type == "number":
            return "is needs a boolean or choice finding; use min or max for numbers"
        return value_problem(finding, value)
    if op == "in":
        if finding.type != "choice":
            return "in is only for choice findings"
        if not isinstance(value, list) or not value:
            return "expected a non-empty list of choices"
        bad = [v for v in value if value_problem(finding, v) is not None]
        return f"unknown choices {bad}" if bad else None
    if finding.type != "number":
        return f"{op} needs a number finding"
    return value_problem(finding, value)
