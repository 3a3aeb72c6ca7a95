"""A broken cib.xml or cluster.yaml: every command names the file, the problem and the way out
(`crm cluster repair`), exits 1 (tools: Pacemaker's 78) without a traceback; repair fixes it."""

from __future__ import annotations

from pathlib import Path

import pytest

import rel_common as rc

COMMANDS = (["configure", "show"], ["resource", "status"], ["status"], ["node", "list"],
            ["resource", "stop", "dummy"], ["configure", "primitive", "p9", "Dummy"], ["cluster", "status"])
TOOLS = (["crm_mon", "-1"], ["cibadmin", "-Q"], ["crm_attribute", "-t", "crm_config", "-n", "a", "-v", "1"],
         ["crm_resource", "--list"])
BREAKAGES = {
    "garbage": ("cib.xml", "this is not xml <"),
    "empty": ("cib.xml", ""),
    "truncated": ("cib.xml", '<cib epoch="3"><configuration><resources>'),
    "bad-epoch": ("cib.xml", '<cib epoch="x" num_updates="0" admin_epoch="0"><configuration/></cib>'),
    "yaml": ("cluster.yaml", "nodes: [\n"),
    "yaml-no-nodes": ("cluster.yaml", "name: x\n"),
}


def _with_a_resource(env: dict[str, str]) -> None:
    assert rc.run_crm(["configure", "primitive", "dummy", "Dummy"], env).rc == 0
    assert rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "after", "-v", "1"], env).rc == 0


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_every_command_on_a_broken_directory_names_the_problem(cluster_dir: Path, env: dict[str, str],
                                                                breakage: str) -> None:
    name, text = BREAKAGES[breakage]
    (cluster_dir / name).write_text(text)
    for words in COMMANDS:
        result = rc.run_crm(words, env)
        assert result.rc == 1, words
        assert str(cluster_dir / name) in result.err and "crm cluster repair" in result.err, (words, result.err)
        assert "Traceback" not in result.err and "internal error" not in result.err
    for argv in TOOLS:
        result = rc.run_tool(argv, env)
        assert result.rc == 78, argv
        assert name in result.err and "crm cluster repair" in result.err


def test_repair_restores_the_previous_cib(cluster_dir: Path, env: dict[str, str]) -> None:
    _with_a_resource(env)
    (cluster_dir / "cib.xml").write_text("garbage")
    result = rc.run_crm(["cluster", "repair"], env)
    assert result.rc == 0, result.err
    assert "restored the previous version from cib.xml.last-good" in result.err
    assert (cluster_dir / "cib.xml.broken").read_text() == "garbage"
    shown = rc.run_crm(["configure", "show"], env)
    assert shown.rc == 0 and "primitive dummy Dummy" in shown.out


def test_repair_without_a_backup_creates_a_new_cib_with_the_nodes(cluster_dir: Path, env: dict[str, str]) -> None:
    (cluster_dir / "cib.xml").write_text("garbage")
    (cluster_dir / "cib.xml.last-good").unlink(missing_ok=True)
    result = rc.run_crm(["cluster", "repair"], env)
    assert result.rc == 0 and "a new CIB was created with the nodes srv01 srv02" in result.err
    assert rc.run_tool(["crm_mon", "-1"], env).out.count("srv0") >= 2


def test_repair_rebuilds_cluster_yaml_from_the_cib(cluster_dir: Path, env: dict[str, str]) -> None:
    original = (cluster_dir / "cluster.yaml").read_text()
    (cluster_dir / "cluster.yaml").write_text("nodes: [\n")
    result = rc.run_crm(["cluster", "repair"], env)
    assert result.rc == 0 and "rebuilt from the CIB's nodes (srv01 srv02)" in result.err
    assert (cluster_dir / "cluster.yaml").read_text() == original
    assert rc.run_tool(["crm_node", "-l"], env).rc == 0


def test_repair_of_a_healthy_directory_changes_nothing(cluster_dir: Path, env: dict[str, str]) -> None:
    before = (cluster_dir / "cib.xml").read_bytes()
    result = rc.run_crm(["cluster", "repair"], env)
    assert result.rc == 0 and "nothing to repair" in result.err
    assert (cluster_dir / "cib.xml").read_bytes() == before
