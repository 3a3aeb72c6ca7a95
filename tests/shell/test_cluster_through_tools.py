"""`crm cluster init/add/repair` change the bundled cluster only through its own low-level tool
(`crm_engine init/add-node/repair`): `-R` shows the command, the cluster log records its invocation,
and the user sees the same messages as when the shell did the work itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


def crm(env: dict[str, str], *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crmsh_py.cli", *words], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def engine(env: dict[str, str], *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crmsh_py.lowlevel.crm_engine", *words], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"),
                CRM_SYSLOG_SOCKET=str(tmp_path / "no-syslog"))


def _invoked(directory: Path) -> list[str]:
    """The ``Invoked:`` lines of ``crm_engine`` in the cluster log, without time, node and pid."""
    text = (directory / "ha-log").read_text(encoding="utf-8")
    return re.findall(r"crm_engine\[\d+\] info: (Invoked: .*)", text)


def test_init_add_repair_run_crm_engine_shown_by_R_and_logged(env: dict[str, str]) -> None:
    directory = Path(env["CRM_CLUSTER_DIR"])
    made = crm(env, "-R", "cluster", "init", "--name", "demo", "--nodes", "alpha,beta")
    assert made.returncode == 0, made.stderr
    assert made.stdout == ".EXT crm_engine init --name 'demo' 'alpha' 'beta'\n"
    assert made.stderr == f"INFO: cluster created in {directory} with nodes alpha beta\n"
    assert oct(directory.stat().st_mode & 0o777) == "0o700"  # the log written after init keeps it private
    added = crm(env, "-R", "cluster", "add", "gamma")
    assert added.returncode == 0, added.stderr
    assert added.stdout == ".EXT crm_engine add-node 'gamma'\n"
    assert added.stderr == "INFO: node gamma added\n"
    assert crm(env, "cluster", "run", "echo $CRM_NODE").stdout.splitlines()[::2] == [
        "[alpha] exit 0", "[beta] exit 0", "[gamma] exit 0"]
    repaired = crm(env, "-R", "cluster", "repair")
    assert repaired.returncode == 0, repaired.stderr
    assert repaired.stdout == ".EXT crm_engine repair\n"
    assert repaired.stderr == f"INFO: nothing to repair: cluster.yaml and cib.xml in {directory} are fine\n"
    assert _invoked(directory) == ["Invoked: crm_engine init --name demo alpha beta",
                                   "Invoked: crm_engine add-node gamma", "Invoked: crm_engine repair"]


def test_tool_errors_read_as_the_shell_s_own(env: dict[str, str], tmp_path: Path) -> None:
    directory = Path(env["CRM_CLUSTER_DIR"])
    assert crm(env, "cluster", "init").returncode == 0
    again = crm(env, "cluster", "init")
    assert (again.returncode, again.stderr) == (1, f"ERROR: a cluster already exists in {directory}\n")
    twice = crm(env, "cluster", "add", "srv01")
    assert (twice.returncode, twice.stderr) == (1, "ERROR: node srv01 is already in the cluster\n")
    none = dict(env, CRM_CLUSTER_DIR=str(tmp_path / "none"))
    missing = crm(none, "cluster", "add", "srv03")
    assert missing.returncode == 1
    assert missing.stderr == (f"ERROR: {tmp_path / 'none'}: no cluster here\n"
                              "  create one with 'crm cluster init' or set CRM_CLUSTER_DIR\n")
    assert not (tmp_path / "none").exists()  # add never creates a cluster


def test_crm_engine_init_add_node_repair_directly(env: dict[str, str]) -> None:
    directory = Path(env["CRM_CLUSTER_DIR"])
    made = engine(env, "init", "--stack", "Heartbeat", "n1")
    assert (made.returncode, made.stdout) == (0, f"Cluster created in {directory} with nodes n1\n")
    assert "stack: Heartbeat" in (directory / "cluster.yaml").read_text(encoding="utf-8")
    added = engine(env, "add-node", "n2")
    assert (added.returncode, added.stdout) == (0, "Node n2 (id 2) added\n")
    usage = engine(env, "add-node")
    assert (usage.returncode, usage.stderr) == (64, "crm_engine: usage: crm_engine add-node NODE\n")
    bad = engine(env, "init", "--nodes", "x")
    assert (bad.returncode, bad.stderr) == (
        64, "crm_engine: init: unknown option --nodes (options: --name --stack --version)\n")
    (directory / "cib.xml").write_text("not xml", encoding="utf-8")
    repaired = engine(env, "repair")
    assert repaired.returncode == 0, repaired.stderr
    assert "cib.xml" in repaired.stdout and (directory / "cib.xml.broken").exists()
    assert engine(env, "status").returncode == 7  # readable again; the daemon is not running


def test_cluster_run_goes_through_the_backend(session, fake) -> None:  # type: ignore[no-untyped-def]
    """`cluster run` starts no process of its own: the backend runs the command on each node."""
    from crmsh_py.backends.base import NodeRun, RunResult
    from crmsh_py.shell.dispatch import execute

    asked: list[tuple[list[str], str, dict[str, str]]] = []

    def run_on_nodes(nodes: list[str], command: str, options: dict[str, str]) -> list[NodeRun]:
        asked.append((nodes, command, dict(options)))
        return [NodeRun(n, 0, f"hello from {n}\n") for n in nodes]

    fake.run_on_nodes = run_on_nodes
    fake.responses[("crm_node", "-l")] = RunResult(0, "1 srv01 member\n2 srv02 member\n", "")
    execute(session, "cluster run 'echo hi' srv02")
    assert [(nodes, command) for nodes, command, _ in asked] == [(["srv02"], "echo hi")]
    assert session.out.getvalue().endswith("[srv02] exit 0\nhello from srv02\n")
