"""The cluster store: creation, reads, mutations, atomic writes, concurrency, broken files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crmsh_py.engine import cibfile
from crmsh_py.engine.controller import init_cluster, open_cluster
from crmsh_py.engine.store import BundledCluster, FileCluster
from crmsh_py.errors import CibFileError, CommandError


def test_default_cluster_created_once_with_one_line_notice(tmp_path: Path, capsys) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    cluster = open_cluster(env)
    expected_dir = tmp_path / "state" / "crmsh_py" / "cluster"
    # reading creates nothing (it sees the cluster the first write will create)
    assert [n.name for n in cluster.read().definition.nodes] == ["srv01", "srv02"]
    assert not (tmp_path / "state").exists() and capsys.readouterr().err == ""
    with cluster.mutate("crm_attribute"):
        pass
    err = capsys.readouterr().err
    assert err == f"crm: created a 2-node cluster (srv01, srv02) in {expected_dir}\n"
    assert isinstance(cluster, BundledCluster)
    assert (expected_dir / "cluster.yaml").exists() and (expected_dir / "cib.xml").exists()
    assert (expected_dir / "nodes" / "srv01" / "rsctmp").is_dir()
    open_cluster(env)
    assert capsys.readouterr().err == ""


def test_fresh_cluster_state(cluster) -> None:
    snap = cluster.read()
    assert snap.epoch == (0, 1, 0)
    assert [n.name for n in snap.definition.nodes] == ["srv01", "srv02"]
    assert snap.definition.node("srv02").uuid == "22222222-2222-2222-2222-222222222222"
    status = snap.status
    assert status.dc == "srv02"
    assert all(n.online for n in status.nodes.values())
    assert snap.root.get("have-quorum") == "1"


def test_create_false_refuses_missing_cluster(tmp_path: Path) -> None:
    with pytest.raises(CibFileError, match="no cluster here"):
        open_cluster({}, cluster_dir=tmp_path / "none", create=False)


def test_init_refuses_existing(cluster) -> None:
    with pytest.raises(CommandError):
        init_cluster(cluster.directory)


def test_cib_file_selects_file_cluster(tmp_path: Path) -> None:
    from crmsh_py.cib import dump, empty_cib

    path = tmp_path / "cib.xml"
    path.write_text(dump(empty_cib()))
    cluster = open_cluster({"CIB_file": str(path)})
    assert isinstance(cluster, FileCluster) and cluster.offline
    with cluster.mutate("cibadmin") as snap:
        snap.section("resources").append(cibfile.parse_cib(
            '<cib><primitive id="d" class="ocf" provider="heartbeat" type="Dummy"/></cib>', "x")[0])
    root = cibfile.read_cib(path)
    assert root.get("epoch") == "2" and root.get("num_updates") == "0"
    assert root.find("status/node_state") is None  # nothing ran


def test_missing_cib_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CibFileError, match="No such file"):
        open_cluster({"CIB_file": str(tmp_path / "nope.xml")})


def test_config_change_bumps_epoch_status_change_bumps_updates(cluster) -> None:
    with cluster.mutate("t") as snap:
        snap.section("crm_config")[0].append(cibfile.parse_cib('<cib><nvpair id="x" name="x" value="1"/></cib>', "x")[0])
    assert cluster.read().epoch == (0, 2, 0)
    from crmsh_py.engine import status_xml

    with cluster.mutate("t") as snap:
        status_xml.set_transient_attribute(snap.root, snap.definition, "srv01", "foo", "1")
    assert cluster.read().epoch == (0, 2, 1)
    root = cluster.read().root
    assert root.get("update-client") == "t" and root.get("update-origin") == "srv01"


def test_unchanged_mutation_writes_nothing(cluster) -> None:
    before = cluster.path.stat().st_mtime_ns
    with cluster.mutate("t"):
        pass
    assert cluster.path.stat().st_mtime_ns == before


def test_exception_in_mutation_leaves_cib_untouched(cluster) -> None:
    before = cluster.path.read_text()
    with pytest.raises(RuntimeError):
        with cluster.mutate("t") as snap:
            snap.section("resources").clear()
            snap.root.set("epoch", "99")
            raise RuntimeError("boom")
    assert cluster.path.read_text() == before


def test_stray_temp_files_removed_by_next_mutation(cluster) -> None:
    stray = cluster.directory / ".cib.xml.abc123.tmp"
    stray.write_text("<half")
    from crmsh_py.engine import status_xml

    with cluster.mutate("t") as snap:
        status_xml.set_transient_attribute(snap.root, snap.definition, "srv01", "a", "b")
    assert not stray.exists()
    assert cluster.read().status.nodes["srv01"].transient_attributes["a"] == "b"


def test_malformed_cib_names_file_and_hint(cluster) -> None:
    cluster.path.write_text("<cib><configuration>\n<oops></cib>")
    with pytest.raises(CibFileError) as info:
        cluster.read()
    message = str(info.value)
    assert str(cluster.path) in message and "line" in message


def test_non_numeric_epoch_is_reported(cluster) -> None:
    cluster.path.write_text('<cib epoch="x"><configuration/><status/></cib>')
    with pytest.raises(CibFileError, match="epoch"):
        cluster.read()


def test_malformed_cluster_yaml(cluster) -> None:
    (cluster.directory / "cluster.yaml").write_text("nodes: [unclosed\n")
    with pytest.raises(CibFileError) as info:
        open_cluster(os.environ)
    assert "cluster.yaml" in str(info.value) and "YAML" in str(info.value)
    (cluster.directory / "cluster.yaml").write_text("name: x\nnodes: []\n")
    with pytest.raises(CibFileError, match="non-empty"):
        open_cluster(os.environ)


def test_init_cluster_custom_nodes(tmp_path: Path) -> None:
    c = init_cluster(tmp_path / "c3", name="three", nodes=["a", "b", "c"])
    snap = c.read()
    assert snap.definition.node_names == ["a", "b", "c"]
    assert snap.status.dc == "c"
    assert [n.get("uname") for n in snap.section("nodes")] == ["a", "b", "c"]


def test_add_and_remove_node(cluster) -> None:
    from crmsh_py.engine.controller import add_node, remove_node

    node = add_node(cluster, "srv03")
    assert node.id == 3 and node.uuid.startswith("33333333")
    snap = cluster.read()
    assert snap.status.nodes["srv03"].online and snap.status.dc == "srv02"  # the DC keeps its role
    remove_node(cluster, "srv03")
    snap = cluster.read()
    assert "srv03" not in snap.status.nodes and snap.definition.node("srv03") is None


WRITER = textwrap.dedent("""
    import sys
    from crmsh_py.lowlevel.registry import run_tool
    from crmsh_py.lowlevel.toolio import ToolIO
    worker = sys.argv[1]
    for i in range(20):
        io = ToolIO.captured()
        rc = run_tool(["crm_attribute", "-n", f"w{worker}-{i}", "-v", str(i)], io)
        assert rc == 0, io.stderr.getvalue()
""")


def test_concurrent_mutations_lose_nothing(cluster) -> None:
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(w)], env=env) for w in range(4)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    root = cluster.read().root
    names = {nv.get("name") for nv in root.iter("nvpair")}
    assert all(f"w{w}-{i}" in names for w in range(4) for i in range(20))
    assert root.get("epoch") == str(1 + 80)  # every write bumped the epoch exactly once
