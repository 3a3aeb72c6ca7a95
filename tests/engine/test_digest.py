"""Operation digests: Pacemaker's own scheduler must see the resources we run as up to date."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest

from crmsh_py.engine.digest import op_digest

CRM_SIMULATE = Path("/usr/sbin/crm_simulate")
CRM_RESOURCE = Path("/usr/sbin/crm_resource")
needs_simulate = pytest.mark.skipif(not CRM_SIMULATE.exists(), reason="Pacemaker's crm_simulate is not installed")

RICH = """\
property cib-bootstrap-options: stonith-enabled=false no-quorum-policy=ignore
op_defaults op-options: timeout=45s
primitive a ocf:heartbeat:Dummy params fake="x y" op monitor interval=15s op start timeout=30s interval=0
primitive b ocf:pacemaker:Dummy op monitor interval=20s timeout=25s op_params OCF_CHECK_LEVEL=10
primitive c ocf:pacemaker:Stateful op monitor interval=11s role=Promoted op monitor interval=12s role=Unpromoted
primitive d ocf:heartbeat:Dummy params fake="<&\\">" op monitor interval=9s
group g b d
clone cl-a a
clone ms-c c meta promotable=true
"""


def test_empty_parameters_digest_is_pacemakers() -> None:
    # the value crm_resource --digests (Pacemaker 2.1.5) prints for a resource without parameters
    assert op_digest({}) == "f2317cad3d54cec5d7d7aa7d0bf35cf8"


def test_digest_sorts_filters_and_keeps_recurring_timeout() -> None:
    params = {"z": "1", "a": "2", "CRM_meta_name": "monitor", "id": "x", "CRM_meta_timeout": "5"}
    expected = hashlib.md5(b' <parameters CRM_meta_timeout="120000" a="2" z="1"/>\n').hexdigest()
    assert op_digest(params, interval_ms=10000, timeout_ms=120000) == expected
    # one-shot operations ignore the timeout
    assert op_digest(params, interval_ms=0, timeout_ms=120000) == op_digest({"a": "2", "z": "1"})
    assert op_digest({"v": 'a"<b>&'}) == hashlib.md5(b' <parameters v="a&quot;&lt;b&gt;&amp;"/>\n').hexdigest()


def _transition_summary(cib: Path) -> list[str]:
    proc = subprocess.run([str(CRM_SIMULATE), "-S", "-x", str(cib)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": "/usr/sbin:/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    summary = proc.stdout.split("Transition Summary:", 1)[1].split("Executing Cluster Transition:", 1)[0]
    return [line.strip() for line in summary.splitlines() if line.strip()]


@needs_simulate
def test_pacemaker_plans_nothing_after_our_engine_started_the_demo(demo_cluster) -> None:
    cib = demo_cluster.path
    assert 'op-digest="' in cib.read_text()
    assert _transition_summary(cib) == []


@needs_simulate
def test_pacemaker_plans_nothing_for_groups_clones_params_and_op_params(cluster, tmp_path: Path) -> None:
    from crmsh_py.cli import main

    source = tmp_path / "rich.crm"
    source.write_text(RICH)
    assert main(["configure", "load", "update", str(source)]) == 0
    assert main(["resource", "move", "g", "srv02", "force"]) == 0
    cib = cluster.path
    assert re.search(r'operation_key="b_monitor_20000"[^>]*op-digest="[0-9a-f]{32}"', cib.read_text())
    assert _transition_summary(cib) == []


@pytest.mark.skipif(not CRM_RESOURCE.exists(), reason="Pacemaker's crm_resource is not installed")
def test_digest_matches_crm_resource_digests(demo_cluster) -> None:
    # crm_resource --digests computes Pacemaker's digest of the start with the given parameters
    proc = subprocess.run([str(CRM_RESOURCE), "--digests", "-r", "dummy", "-N", "srv01", "--output-as=xml",
                           "state=/tmp/x&y.state", "fake=1"], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "CIB_file": str(demo_cluster.path)})
    assert proc.returncode == 0, proc.stderr
    found = re.search(r'<digest type="all" hash="([0-9a-f]{32})"', proc.stdout)
    assert found is not None, proc.stdout
    assert found.group(1) == op_digest({"state": "/tmp/x&y.state", "fake": "1"})
