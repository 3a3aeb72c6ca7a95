"""Membership/DC rule, logging, settle (with the real crm_mon as the judge of our status)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from crmsh_py.engine import membership, status_xml
from crmsh_py.invocation import format_syslog, log_invocation, mask_secrets

CRM_MON = Path("/usr/sbin/crm_mon")


def test_dc_rule_earliest_join_then_last_listed() -> None:
    order = ["srv01", "srv02", "srv03"]
    assert membership.elect_dc([("srv01", 5), ("srv02", 5)], order) == "srv02"
    assert membership.elect_dc([("srv01", 4), ("srv02", 5)], order) == "srv01"
    assert membership.elect_dc([], order) is None


def test_dc_moves_when_dc_leaves_and_does_not_return(cluster) -> None:
    with cluster.mutate("t") as snap:
        membership.set_state(snap.root, snap.definition, "srv02", "offline")
    assert cluster.read().status.dc == "srv01"
    with cluster.mutate("t") as snap:
        membership.set_state(snap.root, snap.definition, "srv02", "online", now=10**10)
    status = cluster.read().status
    assert status.dc == "srv01" and status.nodes["srv02"].online


def test_unclean_state_and_quorum(cluster) -> None:
    with cluster.mutate("t") as snap:
        membership.set_state(snap.root, snap.definition, "srv01", "unclean")
    status = cluster.read().status
    assert status.nodes["srv01"].unclean and not status.nodes["srv01"].online
    assert status.have_quorum  # two_node
    assert membership.has_quorum(2, 3) and not membership.has_quorum(1, 3)


def test_standby_permanent_and_transient(cluster, tool) -> None:
    assert tool(["crm_attribute", "-N", "srv01", "-n", "standby", "-v", "on"])[0] == 0
    assert cluster.read().status.nodes["srv01"].standby
    assert tool(["crm_attribute", "-N", "srv01", "-n", "standby", "-v", "off", "-l", "reboot"])[0] == 0
    assert not cluster.read().status.nodes["srv01"].standby  # transient overrides permanent


def test_syslog_line_format(syslog, cluster) -> None:
    log_invocation("crm_resource", ["crm_resource", "-M", "-r", "dummy", "--node=srv02", "--force"], os.environ)
    lines = syslog.lines()
    assert len(lines) == 1
    assert re.fullmatch(r"<30>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d crm_resource\[\d+\]: "
                        r"Invoked: crm_resource -M -r dummy --node=srv02 --force", lines[0])
    ha_log = (cluster.directory / "ha-log").read_text()
    assert "crm_resource" in ha_log and "Invoked: crm_resource -M -r dummy" in ha_log


def test_tools_log_their_invocation(syslog, cluster, tool) -> None:
    tool(["crmadmin", "-D"])
    assert any(line.endswith("Invoked: crmadmin -D") and "crmadmin[" in line for line in syslog.lines())


def test_no_syslog_socket_is_not_an_error(tmp_path: Path) -> None:
    missing, cluster_dir = tmp_path / "missing", tmp_path / "cluster"
    cluster_dir.mkdir()
    log_invocation("x", ["x", "-v"], {"CRM_SYSLOG_SOCKET": str(missing), "CRM_CLUSTER_DIR": str(cluster_dir)})
    assert not missing.exists()  # nothing was created in the socket's place
    assert re.search(r" x\[\d+\] info: Invoked: x -v$", (cluster_dir / "ha-log").read_text().strip())


def test_secrets_masked() -> None:
    assert mask_secrets(["crm_resource", "-r", "f", "-p", "passwd", "-v", "s3cret"])[-1] == "*****"
    assert mask_secrets(["x", "login_password=abc", "ip=1"]) == ["x", "login_password=*****", "ip=1"]
    assert "s3" not in " ".join(mask_secrets(["cibadmin", "-X", '<nvpair name="passwd" value="s3"/>']))
    assert format_syslog("t", "m", pid=7, when=0).endswith(" t[7]: m")


def test_settle_demo_starts_dummy_on_srv01(demo_cluster) -> None:
    snap = demo_cluster.read()
    node = snap.status.nodes["srv01"]
    history = node.resources["dummy"]
    assert history.last("start").rc == 0
    assert history.last("monitor", 10000).rc == 0
    probe = snap.status.nodes["srv02"].resources["dummy"].last("monitor")
    assert probe.rc == 7  # probed, not running there
    ops = {op.get("id"): op for op in snap.root.iter("lrm_rsc_op")}
    assert ops["dummy_last_0"].get("operation_key") in ("dummy_start_0", "dummy_monitor_0")
    assert ops["dummy_monitor_10000"].get("interval") == "10000"
    calls = sorted(int(op.get("call-id")) for op in ops.values())
    assert len(set(calls)) == len(calls)
    assert (demo_cluster.directory / "nodes" / "srv01" / "rsctmp" / "Dummy-dummy.state").exists()
    log = (demo_cluster.directory / "ha-log").read_text()
    assert "Result of start operation for dummy on srv01: ok" in log


def test_settle_moves_off_standby_node(demo_cluster, tool) -> None:
    assert tool(["crm_standby", "-N", "srv01", "-v", "on"])[0] == 0
    status = demo_cluster.read().status
    assert status.nodes["srv02"].resources["dummy"].last("start").rc == 0
    assert status.nodes["srv01"].resources["dummy"].last("stop").rc == 0


def test_failure_recorded_with_fail_count(demo_cluster, tool) -> None:
    # the resource disappears behind the cluster's back; a later probe-less settle sees the monitor fail
    state = demo_cluster.directory / "nodes" / "srv01" / "rsctmp" / "Dummy-dummy.state"
    state.unlink()
    from crmsh_py.engine.status import OpRecord, ResourceHistory

    with demo_cluster.mutate("test") as snap:
        history = ResourceHistory("dummy", "ocf", "Dummy", "heartbeat")
        record = OpRecord("monitor", 10000, 7, status_xml.CallIds(snap.root).next(), expected_rc=0, on_node="srv01")
        status_xml.record_op(snap.root, snap.definition, "srv01", history, record)
        status_xml.set_transient_attribute(snap.root, snap.definition, "srv01", "fail-count-dummy#monitor_10000", "1")
    rc, out, _ = tool(["crm_failcount", "-G", "-r", "dummy", "-N", "srv01"])
    assert (rc, out) == (0, "scope=status  name=fail-count-dummy value=1\n")
    status = demo_cluster.read().status
    assert status.nodes["srv02"].resources["dummy"].last("start").rc == 0  # migration-threshold=1 moved it


@pytest.mark.skipif(not CRM_MON.exists(), reason="needs Debian's pacemaker-cli-utils (/usr/sbin/crm_mon)")
def test_real_crm_mon_reads_our_status(demo_cluster) -> None:
    env = dict(os.environ, CIB_file=str(demo_cluster.path))
    out = subprocess.run([str(CRM_MON), "-1"], env=env, capture_output=True, text=True, timeout=30).stdout
    assert "Current DC: srv02" in out
    assert "Online: [ srv01 srv02 ]" in out
    assert "dummy\t(ocf:heartbeat:Dummy):\t Started srv01" in out


def test_fencing_reboots_node_and_records_history(cluster, tool) -> None:
    from crmsh_py.engine import fencing

    xml = ('<primitive id="st" class="stonith" type="null"><instance_attributes id="st-ia">'
           '<nvpair id="st-h" name="hostlist" value="srv01 srv02"/></instance_attributes></primitive>')
    assert tool(["cibadmin", "-C", "-o", "resources", "-X", xml])[0] == 0
    assert fencing.fence_manually(cluster, "srv02", "reboot", "stonith_admin")
    status = cluster.read().status
    assert status.dc == "srv01"  # the fenced DC lost its role and rejoined as a plain member
    assert status.nodes["srv02"].online and not status.nodes["srv02"].resources.get("st")
    history = fencing.read_history(cluster)
    assert [(h["target"], h["action"], h["status"], h["device"]) for h in history] == \
        [("srv02", "reboot", "success", "st")]
    assert "Operation 'reboot' targeting srv02" in (cluster.directory / "ha-log").read_text()
    assert not fencing.fence_manually(cluster, "nosuch", "reboot", "stonith_admin")
    assert fencing.read_history(cluster)[-1]["status"] == "failed"
