"""Remote nodes, guest nodes and bundles on the bundled cluster, as a user drives them with `crm`."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from support.ours import crm_process as crm, tool_process as low

from crmsh_py.errors import CommandError
from crmsh_py.shell.levels.cluster import parse_init_args


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"))


def digest(env: dict[str, str]) -> str:
    return hashlib.sha256((Path(env["CRM_CLUSTER_DIR"]) / "cib.xml").read_bytes()).hexdigest()


def load(env: dict[str, str], tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "update.crm"
    path.write_text(text)
    return crm(env, "configure", "load", "update", str(path))


def test_init_remote_nodes_argument() -> None:
    assert parse_init_args(["--remote-nodes", "r1,r2"]) == {"nodes": ["srv01", "srv02"],
                                                            "remote_nodes": ["r1", "r2"]}


@pytest.mark.parametrize(("args", "message"), [
    (["--remote-nodes", "srv01"], "remote node 'srv01' is already a cluster node"),
    (["--nodes", "a,b", "--remote-nodes", "r1,b"], "remote node 'b' is already a cluster node"),
    (["--remote-nodes", "r1,r1"], "remote node 'r1' is given twice"),
    (["--remote-nodes", "9x"], "remote node name '9x' is not a valid id")])
def test_init_refuses_bad_remote_node_names(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        parse_init_args(args)


def test_init_with_remote_nodes_runs_them(env: dict[str, str]) -> None:
    made = crm(env, "-R", "cluster", "init", "--remote-nodes", "r1,r2")
    assert made.returncode == 0, made.stderr
    assert ".EXT cibadmin -C -o resources -X <primitive id=\"r1\" class=\"ocf\" provider=\"pacemaker\"" in made.stdout
    # fencing is on and no device exists yet: like Pacemaker, nothing starts, the nodes stay down
    assert "  * RemoteOFFLINE: [ r1 r2 ]\n" in low(env, "crm_mon", "-1").stdout
    assert crm(env, "configure", "property", "stonith-enabled=false").returncode == 0
    mon = low(env, "crm_mon", "-1").stdout
    assert "  * Online: [ srv01 srv02 ]\n  * RemoteOnline: [ r1 r2 ]\n" in mon
    assert "  * r1\t(ocf:pacemaker:remote):\t Started srv01\n" in mon
    nodes = low(env, "crmadmin", "-N").stdout.splitlines()
    assert nodes[-2:] == ["remote node: r1 (r1)", "remote node: r2 (r2)"]
    # a resource placed on a remote node runs there
    assert crm(env, "configure", "primitive", "d1", "Dummy").returncode == 0
    assert crm(env, "configure", "location", "l-d1", "d1", "100:", "r2").returncode == 0
    assert "  * d1\t(ocf:heartbeat:Dummy):\t Started r2\n" in low(env, "crm_mon", "-1").stdout


def test_init_with_a_clashing_remote_node_creates_nothing(env: dict[str, str]) -> None:
    made = crm(env, "cluster", "init", "--remote-nodes", "srv02")
    assert made.returncode == 1 and "remote node 'srv02' is already a cluster node" in made.stderr
    assert not Path(env["CRM_CLUSTER_DIR"]).exists()


@pytest.fixture
def cluster(env: dict[str, str]) -> dict[str, str]:
    assert crm(env, "cluster", "init").returncode == 0
    assert crm(env, "configure", "property", "stonith-enabled=false").returncode == 0
    return env


def test_bundle_without_a_runtime_is_refused(cluster: dict[str, str], tmp_path: Path) -> None:
    before = digest(cluster)
    done = load(cluster, tmp_path, "primitive d1 Dummy\nbundle b1 network control-port=3121 primitive d1\n")
    assert done.returncode == 1
    assert "b1: bundle has no container runtime: add docker, podman or rkt" in done.stderr
    assert digest(cluster) == before


@pytest.mark.parametrize(("text", "message"), [
    ("primitive srv01 ocf:pacemaker:remote\n",
     "remote node name 'srv01' (resource srv01) is already the name of a cluster node"),
    ("primitive vm Dummy meta remote-node=srv02\n",
     "vm: guest node (remote-node) name 'srv02' is already the name of a cluster node"),
])
def test_remote_node_named_like_a_cluster_node_is_refused(cluster: dict[str, str], tmp_path: Path,
                                                          text: str, message: str) -> None:
    before = digest(cluster)
    done = load(cluster, tmp_path, text)
    assert done.returncode == 1 and message in done.stderr
    assert digest(cluster) == before


BUNDLE = """primitive d1 Dummy
bundle b1 docker image=pcmk:http replicas=2 network ip-range-start=192.168.122.131 control-port=3121 \\
\tmeta target-role=Started primitive d1
"""


def test_bundle_runs_on_the_bundled_cluster_and_stops(cluster: dict[str, str], tmp_path: Path) -> None:
    assert load(cluster, tmp_path, BUNDLE).returncode == 0
    shown = crm(cluster, "configure", "show", "b1").stdout
    assert shown == ("bundle b1 \\\n\tdocker image=\"pcmk:http\" replicas=2 \\\n"
                     "\tnetwork ip-range-start=192.168.122.131 control-port=3121 \\\n"
                     "\tmeta target-role=Started \\\n\tprimitive d1\n")
    mon = low(cluster, "crm_mon", "-1").stdout
    assert "  * GuestOnline: [ b1-0 b1-1 ]\n" in mon
    assert ("  * Container bundle set: b1 [pcmk:http]:\n"
            "    * b1-0 (192.168.122.131)\t(ocf:heartbeat:Dummy):\t Started srv01\n"
            "    * b1-1 (192.168.122.132)\t(ocf:heartbeat:Dummy):\t Started srv02\n") in mon
    assert "  * 8 resource instances configured\n" in mon
    # the simulated containers keep their state per node, like any agent's
    state = Path(cluster["CRM_CLUSTER_DIR"]) / "nodes" / "srv01" / "rsctmp" / "docker-b1-docker-0"
    assert state.read_text().split() == ["pcmk:http", "srv01"]
    assert crm(cluster, "resource", "stop", "b1").returncode == 0
    mon = low(cluster, "crm_mon", "-1", "-r").stdout
    assert "GuestOnline" not in mon and not state.exists()
    assert "    * b1-0 (192.168.122.131)\t(ocf:heartbeat:Dummy):\t Stopped (disabled)\n" in mon
