"""``cluster_yaml.KnownFiles``: a session's one reading of ``cluster.yaml``, shared by its log lines,
its tools and the store, which still sees every change to the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crmsh_py.cluster_yaml import KnownFiles
from crmsh_py.engine.definition import dump_definition, make_definition
from crmsh_py.engine.store import read_definition
from crmsh_py.errors import CibFileError
from crmsh_py.invocation import _local_node


def _write(path: Path, nodes: list[str], name: str = "c1") -> None:
    # a new file put in place, as the store writes it (temp file, rename)
    temp = path.with_suffix(".tmp")
    temp.write_text(dump_definition(make_definition(name=name, node_names=nodes)), encoding="utf-8")
    os.replace(temp, path)


def test_the_definition_and_the_log_node_come_from_one_reading(tmp_path: Path) -> None:
    path = tmp_path / "cluster.yaml"
    _write(path, ["srv01", "srv02"])
    known = KnownFiles()
    assert read_definition(path, known).node_names == ["srv01", "srv02"]
    assert _local_node(tmp_path, known) == "srv01"
    text, fast = known.read(str(path))
    assert text == path.read_text(encoding="utf-8") and fast is not None
    assert known.read(str(path))[1] is fast  # parsed once while the file is unchanged


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "cluster.yaml"
    _write(path, ["srv01", "srv02"])
    known = KnownFiles()
    assert read_definition(path, known).node_names == ["srv01", "srv02"]
    _write(path, ["alpha", "srv01", "srv02"], name="renamed")
    assert read_definition(path, known).node_names == ["alpha", "srv01", "srv02"]
    assert read_definition(path, known).name == "renamed"
    assert _local_node(tmp_path, known) == "alpha"


def test_a_missing_or_foreign_file_reads_as_without_it(tmp_path: Path) -> None:
    known = KnownFiles()
    path = tmp_path / "cluster.yaml"
    with pytest.raises(CibFileError, match="missing"):
        read_definition(path, known)
    assert _local_node(tmp_path, known) is None
    # a file in YAML we did not write (a comment): PyYAML reads it, as without KnownFiles
    path.write_text("# edited by hand\nname: c2\nnodes:\n- name: n1\n", encoding="utf-8")
    assert read_definition(path, known).node_names == ["n1"] == read_definition(path).node_names
    assert _local_node(tmp_path, known) == "n1"
