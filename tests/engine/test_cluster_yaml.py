"""The PyYAML-free fast path for cluster.yaml reads what PyYAML reads, and declines everything else."""

from __future__ import annotations

import pytest
import yaml

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
