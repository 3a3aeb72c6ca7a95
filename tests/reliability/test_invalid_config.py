"""Issue 13, item 9: invalid configuration that ``load update`` used to accept is refused, with a
message, exit 1 and the CIB unchanged (bounded sizes; benchmarks/bench_reliability.py runs the 10 MB
line)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rel_invalid


@pytest.mark.parametrize("name", list(rel_invalid.PROBES))
def test_invalid_configuration_is_refused(tmp_path: Path, name: str) -> None:
    text, must_say = rel_invalid.PROBES[name]
    assert rel_invalid.probe(tmp_path, name, text, must_say, bound_s=60) == ""


def test_over_long_line_is_refused_quickly(tmp_path: Path) -> None:
    line = 'primitive big ocf:heartbeat:Dummy params fake="' + "A" * 2_000_000 + '"'
    assert rel_invalid.probe(tmp_path, "2 MB line", line, rel_invalid.LINE_LIMIT_WORD, bound_s=20) == ""


def test_valid_names_still_load(tmp_path: Path) -> None:
    # the checks refuse only what is wrong: underscores, dots, dashes, non-ASCII letters are names
    cluster = rel_invalid.rel_common.new_cluster(tmp_path / "cluster")
    env = rel_invalid.rel_common.base_env(cluster)
    path = tmp_path / "good.crm"
    path.write_text("primitive _a.b-c ocf:heartbeat:Dummy\nprimitive résumé ocf:heartbeat:Dummy\n"
                    "location l1 _a.b-c 1000000000: srv01\n", encoding="utf-8")
    got = rel_invalid.rel_common.run_crm(["configure", "load", "update", str(path)], env)
    assert got.rc == 0, got.err
    assert 'id="résumé"' in (cluster / "cib.xml").read_text(encoding="utf-8")


def test_no_write_makes_an_id_appear_twice(tmp_path: Path) -> None:
    # issue 12 item 5: no backend may write a CIB with duplicate ids (Pacemaker's cibadmin refuses)
    cluster = rel_invalid.rel_common.new_cluster(tmp_path / "cluster")
    env = rel_invalid.rel_common.base_env(cluster)
    first = '<primitive id="a1" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="m"/></primitive>'
    again = '<primitive id="a2" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="m"/></primitive>'
    assert rel_invalid.rel_common.run_tool(["cibadmin", "-C", "-o", "resources", "-X", first], env).rc == 0
    before = (cluster / "cib.xml").read_text(encoding="utf-8")
    got = rel_invalid.rel_common.run_tool(["cibadmin", "-C", "-o", "resources", "-X", again], env)
    assert got.rc != 0 and "used twice" in got.err
    assert 'id="a2"' not in (cluster / "cib.xml").read_text(encoding="utf-8")
    assert before.count('id="m"') == 1


def test_rename_then_reuse_the_old_name(tmp_path: Path) -> None:
    cluster = rel_invalid.rel_common.new_cluster(tmp_path / "cluster")
    env = rel_invalid.rel_common.base_env(cluster)
    run = rel_invalid.rel_common.run_crm
    assert run(["configure", "primitive", "p3", "ocf:heartbeat:Dummy", "meta", "target-role=Stopped"], env).rc == 0
    assert run(["configure", "rename", "p3", "p4"], env).rc == 0
    assert run(["configure", "primitive", "p3", "ocf:heartbeat:Dummy"], env).rc == 0
    got = run(["resource", "stop", "p3"], env)
    assert got.rc == 0, got.err
    text = (cluster / "cib.xml").read_text(encoding="utf-8")
    # as crmsh: p4 keeps the ids made from its old name; the new p3's set takes the next free id
    assert text.count('id="p3-meta_attributes"') == 1 and text.count('id="p3-meta_attributes-0"') == 1
