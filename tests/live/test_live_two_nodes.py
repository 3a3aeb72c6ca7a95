"""Two real Pacemaker nodes on one machine (``multinode.MultiNode``: a network, mount and UTS
namespace per node, a veth pair on 127.1.0.0/16): our ``crm`` on each node finds the cluster by
itself, sees the other node, moves a resource across, and sees the other node fail.

Skips with the reason where namespaces, veth or the cluster stack are not available.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_helpers import status_lines
from livecluster import PACEMAKER_DAEMONS, processes_named
from multinode import MultiNode, Node

CRM = [sys.executable, "-m", "crmsh_py.cli"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CRM_DETECT", "CIB_file", "CIB_shadow", "CRM_CLUSTER_DIR", "CRM_BACKEND")}
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture(scope="module")
def nodes() -> Iterator[MultiNode]:
    """Two running nodes (node1, node2) with stonith off."""
    if os.geteuid() != 0:
        pytest.skip("needs root (namespaces, corosync, pacemakerd)")
    for binary in ("corosync", "pacemakerd", "crm"):
        if not (Path("/usr/sbin") / binary).exists():
            pytest.skip(f"/usr/sbin/{binary} is not installed (apt-get install pacemaker corosync crmsh)")
    for tool in ("ip", "nsenter", "unshare"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (iproute2, util-linux)")
    from livecluster import ClusterUnavailable, LiveCluster

    guard = LiveCluster()  # for its machine-wide lock: one live cluster at a time on a machine
    try:
        guard.lock()
    except ClusterUnavailable as why:
        pytest.skip(str(why))
    try:
        running = processes_named(("corosync", *PACEMAKER_DAEMONS))
        if running:
            pytest.skip(f"a cluster already runs on this machine ({sorted(running.values())}); not touching it")
        cluster = MultiNode()
        try:
            cluster.start()
        except Exception as why:  # noqa: BLE001 - any failure to start is a skip, with its reason
            pytest.skip(f"two namespaced nodes cannot run here: {why}")
        try:
            one = cluster.nodes[0]
            done = one.run("/usr/sbin/crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-v", "false")
            assert done.returncode == 0, done.stderr
            yield cluster
        finally:
            cluster.stop()
    finally:
        guard.unlock()


def crm(node: Node, *args: str) -> tuple[int, str, str]:
    """Our crm run on ``node``."""
    done = node.run(*CRM, *args, env=_env(), timeout=120)
    return done.returncode, done.stdout, done.stderr


def _wait(node: Node, needle: str, timeout: float = 90) -> str:
    import time

    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = crm(node, "status")[1]
        if needle in shown:
            return shown
        time.sleep(1)
    raise AssertionError(f"'{needle}' not in crm status on {node.name} after {timeout}s:\n{shown}")


def test_each_node_finds_the_cluster_and_sees_both(nodes: MultiNode) -> None:
    for node in nodes.nodes:
        rc, out, err = crm(node, "status")
        assert rc == 0, err
        assert out.startswith("Backend: pacemaker (local)\n") and "INFO" not in err
        assert "Online: [ node1 node2 ]" in out
    theirs = nodes.nodes[0].run("/usr/sbin/crm", "status", env=_env(), timeout=120).stdout
    assert status_lines(crm(nodes.nodes[0], "status")[1]) == status_lines(theirs)


def test_a_resource_moves_to_the_other_node_and_back(nodes: MultiNode) -> None:
    one, two = nodes.nodes
    rc, _, err = crm(one, "configure", "primitive", "mv", "Dummy", "op", "monitor", "interval=5s")
    assert rc == 0, err
    # node2 shows what node1 configured: one CIB
    assert crm(two, "configure", "show", "mv")[1].startswith("primitive mv Dummy")
    _wait(two, ":\t Started node")
    where = "node2" if "Started node1" in crm(one, "status")[1] else "node1"
    rc, out, err = crm(two, "-R", "resource", "move", "mv", where, "force")
    assert rc == 0, err
    assert f".EXT crm_resource -M -r 'mv' --node='{where}' --force" in out
    _wait(one, f"mv\t(ocf:heartbeat:Dummy):\t Started {where}")
    assert crm(one, "-R", "resource", "unmove", "mv")[0] == 0


def test_a_node_failure_is_seen_by_the_other(nodes: MultiNode) -> None:
    one, two = nodes.nodes
    if crm(one, "configure", "show", "mv")[0] != 0:
        assert crm(one, "configure", "primitive", "mv", "Dummy")[0] == 0
    rc, _, err = crm(one, "resource", "move", "mv", "node2", "force")
    assert rc == 0, err
    _wait(one, "mv\t(ocf:heartbeat:Dummy):\t Started node2")
    assert crm(one, "resource", "unmove", "mv")[0] == 0
    nodes.kill(two)
    shown = _wait(one, "OFFLINE: [ node2 ]")
    assert "Online: [ node1 ]" in shown
    _wait(one, "mv\t(ocf:heartbeat:Dummy):\t Started node1")  # recovered on the survivor
