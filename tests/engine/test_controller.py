"""The store reads, locks, detects changes and writes; the controller settles (issue 15 item 2).

A cluster opened through the store alone can be read and changed without settling, and refuses a
settling change without writing anything; a tool that only reads never loads the scheduler."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crmsh_py.engine import cluster_open, controller, store


def _dummy(snap: store.CibSnapshot) -> None:
    import xml.etree.ElementTree as ET

    ET.SubElement(snap.section("resources"), "primitive",
                  {"id": "d", "class": "ocf", "provider": "heartbeat", "type": "Dummy"})


def test_controller_cluster_settles_a_change(tmp_path: Path) -> None:
    controller.init_cluster(tmp_path / "c")
    cluster = controller.open_cluster({}, tmp_path / "c")
    with cluster.mutate("cibadmin") as snap:
        _dummy(snap)
    status = cluster.read().status
    assert any(h.rsc_id == "d" for node in status.nodes.values() for h in node.resources.values())


def test_store_alone_refuses_to_settle_and_writes_nothing(tmp_path: Path) -> None:
    cluster_open.init_cluster(tmp_path / "c")
    cluster = cluster_open.open_cluster({}, tmp_path / "c")
    before = (tmp_path / "c" / "cib.xml").read_bytes()
    with pytest.raises(RuntimeError, match="opened without a settler"):
        with cluster.mutate("cibadmin") as snap:
            _dummy(snap)
    assert (tmp_path / "c" / "cib.xml").read_bytes() == before
    with cluster.mutate("cibadmin", settle=False) as snap:  # a change that does not run the cluster
        _dummy(snap)
    assert cluster.read().root.find("configuration/resources/primitive[@id='d']") is not None
    assert not cluster.read().status.nodes["srv01"].resources  # nothing ran


def test_a_reading_tool_does_not_load_the_scheduler(tmp_path: Path) -> None:
    controller.init_cluster(tmp_path / "c")
    probe = ("import sys; from crmsh_py.lowlevel.registry import run_tool; from crmsh_py.lowlevel.toolio "
             "import ToolIO; import io; rc = run_tool(['crm_node', '-l'], ToolIO(io.StringIO(), io.StringIO(), "
             "io.StringIO(), {'CRM_CLUSTER_DIR': sys.argv[1]})); "
             "print(rc, sorted(m for m in sys.modules if m.startswith(('crmsh_py.engine.settle', "
             "'crmsh_py.engine.scheduler'))))")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "c")], capture_output=True, text=True,
                         timeout=60, check=True, env=dict(os.environ)).stdout
    assert out == "0 []\n"
