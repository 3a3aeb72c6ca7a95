"""The PyYAML-free fast path for cluster.yaml reads what PyYAML reads, and declines everything else."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsh_py import cluster_yaml
from crmsh_py.engine.definition import dump_definition, load_definition, make_definition
from crmsh_py.cluster_yaml import fast_load


@pytest.mark.parametrize("stack", ["corosync", "Heartbeat"])
def test_files_we_write_take_the_fast_path_with_pyyamls_result(stack: str) -> None:
    names = ["srv01", "b1", "srv-3", "n.4"] + [f"node{i:02d}" for i in range(1, 20)]
    text = dump_definition(make_definition(name="c1", node_names=names, stack=stack))
    assert fast_load(text) is not None
    assert fast_load(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "name: yes\nnodes:\n- name: a\n",          # a YAML boolean
    "name: 010\nnodes:\n- name: a\n",          # a YAML 1.1 octal
    "name: 2024-01-02\nnodes:\n- name: a\n",   # a date
    "nodes: [a, b]\n",                          # flow style
    "name: x  # comment\nnodes:\n- name: a\n",
    "nodes:\n- a\n- b\n",                       # bare names
    "name: &x a\nnodes:\n- name: a\n",          # anchors
])
def test_anything_else_falls_back_to_pyyaml(text: str) -> None:
    assert fast_load(text) is None


def test_fallback_still_reads_hand_written_files() -> None:
    text = "# hand written\nname: lab\nnodes: [alpha, beta]\n"
    definition = load_definition(text)
    assert definition.name == "lab" and definition.node_names == ["alpha", "beta"]


# The reader checks its shapes with str methods; these patterns are what they must accept, exactly.
_PATTERNS = {
    "_is_int": r"^-?(?:0|[1-9][0-9]*)$",
    "_is_float": r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$",
    "_is_uuid": r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
    "_is_word": r"^[A-Za-z][A-Za-z0-9_.-]*$",
    "_is_version": r"^[0-9][0-9.]*-[A-Za-z0-9_.-]*[A-Za-z][A-Za-z0-9_.-]*$",
}
_LINE = r"^( *)(- )?([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$"
# characters that make the shapes differ (and a few that must never pass: non-ASCII digits and
# letters, white space), never a line break: the reader checks single stripped lines
_ALPHABET = "0123456789abcdefxyzAZ_.-: '\"é٣\t"
_LINES = st.text(alphabet=_ALPHABET, max_size=40)
_SAMPLES = ["0", "-0", "01", "-", "1.5", "-0.25", "1.", ".5", "2.1.5-crmsh_py", "2.1.5-", "1-2", "2024-01-02",
            "11111111-1111-1111-1111-111111111111", "1111111-11111-1111-1111-111111111111", "srv01", "_x", "x.y-z",
            "key:", "key: value", "key:value", "a:\tb", "a: ", "- name: srv01", "  id: 1", "-  name: x", " - a: b",
            "a b: c", "- : x", "٣", "1e5", "+1"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(_LINES, st.sampled_from(_SAMPLES)))
def test_the_shape_checks_accept_exactly_their_patterns(text: str) -> None:
    for name, pattern in _PATTERNS.items():
        assert getattr(cluster_yaml, name)(text) == bool(re.match(pattern, text)), (name, text)
    match = re.match(_LINE, text)
    expected = None if match is None else (len(match.group(1)), match.group(2) is not None, match.group(3),
                                           match.group(4))
    assert cluster_yaml._split_line(text) == expected, text
