"""Where we differ from crmsh 4.4.1 on purpose, and what crmsh cannot show (the bundled cluster)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from levels_run import CIBADMIN, environment, load_golden, run_ours

BACKENDS = ("pacemaker", "bundled")


def _start(tmp_path: Path, name: str = "node") -> dict[str, str]:
    cib = tmp_path / "cib.xml"
    cib.write_text(str(load_golden(name)["start"]))
    return environment(cib, tmp_path / "home")


@pytest.mark.parametrize("backend", BACKENDS)
def test_node_show_of_an_unknown_node_is_an_error(backend: str, tmp_path: Path) -> None:
    """crmsh prints nothing and exits 0; a script asking about a node that does not exist is told."""
    if backend == "pacemaker" and not CIBADMIN.exists():
        pytest.skip("Pacemaker's tools are not installed")
    env = _start(tmp_path)
    step = run_ours("node show nosuch", env, backend)
    assert (step.rc, step.out, step.err) == (1, [], ["ERROR: node nosuch not found in the CIB"])
    step = run_ours("node show node1 nosuch", env, backend)
    assert step.rc == 1 and step.out == []


def test_node_list_is_show(tmp_path: Path) -> None:
    env = _start(tmp_path)
    step = run_ours("node list node2", env, "bundled")
    assert (step.rc, step.out) == (0, ["node2(2): member", '\track=r1 description="x y"'])


def test_node_show_offline_node_and_other_attributes(tmp_path: Path) -> None:
    cib = tmp_path / "cib.xml"
    cib.write_text('<cib epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes>'
                   '<node id="1" uname="vm" type="member" description="web"/>'
                   '<node id="rem" uname="rem" type="remote"/></nodes><resources/><constraints/>'
                   '</configuration><status><node_state id="1" uname="vm" crmd="offline"/>'
                   '<node_state id="9" uname="ghost" crmd="online"/></status></cib>')
    step = run_ours("node show", environment(cib, tmp_path / "home"), "bundled")
    # a node known only from the status section shows that entry's attributes, as in crmsh
    assert step.out == ["ghost(9): member", "\tcrmd: online", "rem: remote", "vm(1): member(offline)",
                        "\tdescription: web"]


def test_secret_values_never_shown(tmp_path: Path) -> None:
    env = _start(tmp_path)
    step = run_ours("-R resource secret p5 set passwd hunter2", env, "bundled")
    assert ".EXT cibsecret set 'p5' 'passwd' *****" in step.out
    assert "hunter2" not in json.dumps([step.out, step.err])


@pytest.fixture
def bundled(tmp_path: Path) -> dict[str, str]:
    """A fresh bundled cluster (srv01, srv02) with stonith off and a Dummy resource."""
    env = {k: v for k, v in environment(tmp_path / "unused.xml", tmp_path / "home").items() if k != "CIB_file"}
    env["CRM_CLUSTER_DIR"] = str(tmp_path / "cluster")
    for line in ("cluster init", "configure property stonith-enabled=false",
                 "configure primitive d1 Dummy op monitor interval=10s"):
        step = run_ours(line, env, "bundled")
        assert step.rc == 0, step
    return env


def test_bundled_node_show_has_the_real_node_ids(bundled: dict[str, str]) -> None:
    step = run_ours("node show", bundled, "bundled")
    assert step.out == ["srv01(11111111-1111-1111-1111-111111111111): member",
                        "srv02(22222222-2222-2222-2222-222222222222): member"]


def test_bundled_maintenance_action_runs_the_agent_here(bundled: dict[str, str]) -> None:
    refused = run_ours("maintenance action d1 monitor", bundled, "bundled")
    assert (refused.rc, refused.err) == (1, ["ERROR: Not in maintenance mode."])
    assert run_ours("maintenance on d1", bundled, "bundled").rc == 0
    checked = run_ours("-R maintenance action d1 monitor", bundled, "bundled")
    located = run_ours("resource locate d1", bundled, "bundled")
    assert checked.out[0] == ".EXT crm_resource --force-check -r 'd1'"
    # the monitor ran on srv01, where the tools run: running there, or not running elsewhere
    running_here = "srv01" in " ".join(located.out + located.err)
    assert checked.out[1] == ("Operation force-check for d1 (ocf:heartbeat:Dummy) returned "
                              + ("0 (ok)" if running_here else "7 (not running)"))
    bogus = run_ours("maintenance action d1 meta-data", bundled, "bundled")
    assert bogus.rc == 1 and "cannot run it outside the cluster" in bogus.err[0]


def test_bundled_node_maintenance_and_ready(bundled: dict[str, str]) -> None:
    assert run_ours("resource maintenance d1", bundled, "bundled").rc == 0
    step = run_ours("-F node maintenance srv02", bundled, "bundled")
    assert step.err == ["INFO: 'maintenance' attribute already exists in d1. Remove it? [YES]"]
    shown = run_ours("node show srv02", bundled, "bundled")
    assert shown.out == ["srv02(22222222-2222-2222-2222-222222222222): member", "\tmaintenance=true"]
    assert run_ours("node ready srv02", bundled, "bundled").rc == 0
    assert run_ours("node show srv02", bundled, "bundled").out[1] == "\tmaintenance=off"


def test_bundled_trace_writes_the_agent_trace(bundled: dict[str, str], tmp_path: Path) -> None:
    """`resource trace` on the bundled cluster: the agent itself writes a shell trace of the traced
    operation under the node's state directory (or the given directory)."""
    step = run_ours("resource trace d1 start", bundled, "bundled")
    cluster = Path(bundled["CRM_CLUSTER_DIR"])
    assert step.err[0] == f"INFO: Trace for d1:start is written to {cluster}/nodes/NODE/trace_ra/Dummy"
    for line in ("resource stop d1", "resource start d1"):
        assert run_ours(line, bundled, "bundled").rc == 0
    traces = sorted(cluster.glob("nodes/*/trace_ra/Dummy/d1.start.*"))
    assert traces and "+ " in traces[-1].read_text()  # set -x lines
    assert not list(cluster.glob("nodes/*/trace_ra/Dummy/d1.stop.*"))  # stop is not traced
    own = tmp_path / "traces"
    assert run_ours(f"resource trace d1 stop {own}", bundled, "bundled").rc == 0
    assert run_ours("resource stop d1", bundled, "bundled").rc == 0
    assert list(own.glob("Dummy/d1.stop.*"))
    assert run_ours("resource untrace d1", bundled, "bundled").rc == 0
    shown = run_ours("configure show d1", bundled, "bundled").out
    assert not any("trace" in line for line in shown)
