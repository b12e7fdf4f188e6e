"""Whatever a typo does to an entry, the check reports problems instead of crashing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from softtissue.reasoning.summary import check_knowledge
from tests.reasoning.conftest import FIXTURE_KB

FILES = sorted(p.relative_to(FIXTURE_KB).as_posix() for p in FIXTURE_KB.rglob("*.yaml"))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 200),
    st.floats(-1, 2, allow_nan=False),
    st.sampled_from(["", "all", "affected", "gradual", "src-a", "region.elbow", "cpd"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["finding", "is", "min", "any_of", "x"]), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


def _mutate(node: Any, path: list[int], value: Any) -> Any:
    """Replace the value reached by walking `path` (indexes into lists and mapping values)."""
    if not path or not isinstance(node, list | dict) or not node:
        return value
    keys = list(range(len(node))) if isinstance(node, list) else list(node)
    key = keys[path[0] % len(keys)]
    node[key] = _mutate(node[key], path[1:], value)
    return node


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    file=st.sampled_from(FILES),
    path=st.lists(st.integers(0, 40), min_size=1, max_size=5),
    value=VALUES,
)
def test_it_never_crashes_on_a_bad_value(
    tmp_path_factory: pytest.TempPathFactory, file: str, path: list[int], value: Any
) -> None:
    target = tmp_path_factory.mktemp("kb")
    shutil.copytree(FIXTURE_KB, target, dirs_exist_ok=True)
    data = yaml.safe_load((FIXTURE_KB / file).read_text(encoding="utf-8"))
    mutated = _mutate(data, path, value)
    (target / file).write_text(yaml.safe_dump(mutated), encoding="utf-8")
    problems = check_knowledge(Path(target))
    assert isinstance(problems, list)
