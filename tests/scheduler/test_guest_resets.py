"""Guest nodes reset through their container, bundle replicas that cannot run, and how the status
shows what a reset leaves behind, through ``crm_simulate``.  The expected texts are Pacemaker
2.1.5's (checked against the real tool when it is installed)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from test_remote_nodes import BUNDLE, CIB, REAL, check, dummy, nv, remote_state, started

from crmsh_py.lowlevel.crm_simulate import run
from crmsh_py.lowlevel.toolio import ToolIO

# fencing enabled, with a device running on node2
FENCED = CIB.replace('value="false"/>', 'value="true"/>').replace(
    "<resources>{resources}", '<resources><primitive id="fence" class="stonith" type="fence_dummy"/>{resources}')
FENCE_RUNNING = ('<lrm_resource id="fence" class="stonith" type="fence_dummy"><lrm_rsc_op id="fence_last_0" '
                 'operation_key="fence_start_0" operation="start" transition-key="1:1:0:x" '
                 'transition-magic="0:0;1:1:0:x" call-id="1" rc-code="0" op-status="0" interval="0" '
                 'on_node="node2"/></lrm_resource>')


def failed_monitor(rid: str, node: str, call: int, interval: int = 10000, rc: int = 7) -> str:
    """A recurring monitor that failed (``rc``), as an ``lrm_rsc_op``."""
    return (f'<lrm_rsc_op id="{rid}_last_failure_0" operation_key="{rid}_monitor_{interval}" operation="monitor" '
            f'transition-key="2:1:0:x" transition-magic="0:{rc};2:1:0:x" call-id="{call}" rc-code="{rc}" '
            f'op-status="0" interval="{interval}" on_node="{node}"/>')


def with_failure(history: str, op: str) -> str:
    return history.replace("</lrm_resource>", op + "</lrm_resource>")


def test_a_bundle_replica_that_cannot_run_still_places_its_connection(tmp_path: Path) -> None:
    # three replicas on two nodes: the third container has nowhere to go, yet its connection and
    # instance are placed, their starts blocked by the container's
    xml = CIB.format(resources=BUNDLE.replace('replicas="2"', 'replicas="3"'), constraints="", node1="", node2="",
                     extra="")
    check(tmp_path, xml,
          ["* Start web-ip-192.168.122.131 ( node1 )", "* Start web-docker-0 ( node1 )", "* Start web-0 ( node1 )",
           "* Start httpd:0 ( web-0 )", "* Start web-ip-192.168.122.132 ( node2 )", "* Start web-docker-1 ( node2 )",
           "* Start web-1 ( node2 )", "* Start httpd:1 ( web-1 )",
           "* Start web-2 ( node1 ) due to unrunnable web-docker-2 start (blocked)",
           "* Start httpd:2 ( web-2 ) due to unrunnable web-docker-2 start (blocked)"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* GuestOnline: [ web-0 web-1 ]", "",
           "* Full List of Resources:", "* Container bundle set: web [pcmk:http]:",
           "* web-0 (192.168.122.131) (ocf:heartbeat:Dummy): Started node1",
           "* web-1 (192.168.122.132) (ocf:heartbeat:Dummy): Started node2",
           "* web-2 (192.168.122.133) (ocf:heartbeat:Dummy): Stopped"])


def test_on_fail_fence_on_a_guest_recovers_its_container(tmp_path: Path) -> None:
    vm = dummy("vm1", nv("vm1", "remote-node", "guest1"))
    rsc1 = ('<primitive id="rsc1" class="ocf" provider="heartbeat" type="Dummy"><operations>'
            '<op id="rsc1-mon" name="monitor" interval="10s" on-fail="fence"/></operations></primitive>')
    xml = FENCED.format(
        resources=vm + rsc1 + dummy("rsc2"),
        constraints='<rsc_location id="l1" rsc="rsc1" node="guest1" score="100"/>'
                    '<rsc_location id="l2" rsc="rsc2" node="guest1" score="INFINITY"/>',
        node1=started("vm1", "node1", 2) + started("guest1", "node1", 3, ("pacemaker", "remote")),
        node2=FENCE_RUNNING,
        extra=remote_state("guest1", with_failure(started("rsc1", "guest1", 5), failed_monitor("rsc1", "guest1", 6)),
                           started("rsc2", "guest1", 7)))
    # the guest stays up: what else runs there restarts with the container, it has not failed;
    # the stops on the guest are implied by the reset, so the revised status still shows them
    check(tmp_path, xml,
          ["* Fence (reboot) guest1 (resource: vm1) 'guest is unclean'",
           "* Restart fence ( node2 ) due to resource definition change", "* Recover vm1 ( node1 )",
           "* Recover rsc1 ( guest1 )", "* Restart rsc2 ( guest1 ) due to required vm1 start",
           "* Restart guest1 ( node1 ) due to required vm1 start"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* GuestOnline: [ guest1 ]", "",
           "* Full List of Resources:", "* fence (stonith:fence_dummy): Started node2",
           "* vm1 (ocf:heartbeat:Dummy): FAILED node1", "* rsc1 (ocf:heartbeat:Dummy): FAILED guest1",
           "* rsc2 (ocf:heartbeat:Dummy): Started guest1"])


def test_a_failed_guest_connection_counts_against_its_container(tmp_path: Path) -> None:
    # migration-threshold=1: the connection's one failure bans the VM from node1, where it must
    # stay; the VM stops and its guest is fenced off
    vm = dummy("vm1", nv("vm1", "remote-node", "guest1") + nv("vm1", "migration-threshold", "1"))
    connection = with_failure(started("guest1", "node1", 3, ("pacemaker", "remote")),
                              failed_monitor("guest1", "node1", 4, 30000, 1))
    failures = ('<transient_attributes id="1"><instance_attributes id="status-1">'
                '<nvpair id="s1" name="fail-count-guest1#monitor_30000" value="1"/>'
                '<nvpair id="s2" name="last-failure-guest1#monitor_30000" value="1600000000"/>'
                '</instance_attributes></transient_attributes>')
    xml = FENCED.format(resources=vm + dummy("rsc2"),
                        constraints='<rsc_location id="l0" rsc="vm1" node="node2" score="-INFINITY"/>'
                                    '<rsc_location id="l2" rsc="rsc2" node="guest1" score="100"/>',
                        node1=started("vm1", "node1", 2) + connection, node2=FENCE_RUNNING,
                        extra=remote_state("guest1", started("rsc2", "guest1", 7)))
    xml = xml.replace('</lrm></node_state>\n    <node_state id="2"',
                      f'</lrm>{failures}</node_state>\n    <node_state id="2"', 1)
    check(tmp_path, xml,
          ["* Fence (off) guest1 (resource: vm1) 'guest is unclean'",
           "* Restart fence ( node2 ) due to resource definition change",
           "* Stop vm1 ( node1 ) due to node availability", "* Recover rsc2 ( guest1 -> node1 )",
           "* Stop guest1 ( node1 ) due to node availability"],
          ["* Node List:", "* Online: [ node1 node2 ]", "", "* Full List of Resources:",
           "* fence (stonith:fence_dummy): Started node2", "* vm1 (ocf:heartbeat:Dummy): FAILED",
           "* rsc2 (ocf:heartbeat:Dummy): FAILED [ node1 guest1 ]"])


def _current_status(path: Path, tool: list[str] | None) -> str:
    if tool is None:
        out = io.StringIO()
        run(["-x", str(path)], ToolIO(io.StringIO(), out, io.StringIO(), {}))
        return out.getvalue()
    return subprocess.run([*tool, "-x", str(path)], capture_output=True, text=True, timeout=60).stdout


def test_status_of_a_guest_that_is_down_with_resources_recorded_there(tmp_path: Path) -> None:
    # The VM is stopped, yet the guest's history still shows resources running: Pacemaker must
    # reset the guest, so the VM shows FAILED, what ran there FAILED, and a clone instance there
    # is not listed (nor the guest among its stopped nodes).
    vm = dummy("vm1", nv("vm1", "remote-node", "guest1") + nv("vm1", "target-role", "Stopped"))
    stopped = ('<lrm_resource id="{r}" class="ocf" provider="{p}" type="{t}"{c}><lrm_rsc_op id="{r}_last_0" '
               'operation_key="{r}_stop_0" operation="stop" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" '
               'call-id="{n}" rc-code="0" op-status="0" interval="0" on_node="node1"/></lrm_resource>')
    node1 = (FENCE_RUNNING.replace("node2", "node1")
             + stopped.format(r="vm1", p="heartbeat", t="Dummy", c="", n=5)
             + stopped.format(r="guest1", p="pacemaker", t="remote", c=' container="vm1"', n=4))
    xml = FENCED.format(resources=vm + '<clone id="c1">' + dummy("d1") + "</clone>" + dummy("p1"), constraints="",
                        node1=node1, node2="",
                        extra=remote_state("guest1", started("d1", "guest1", 2), started("p1", "guest1", 3)))
    path = tmp_path / "cib.xml"
    path.write_text(xml)
    expected = ["Current cluster status:", "  * Node List:", "    * Online: [ node1 node2 ]", "",
                "  * Full List of Resources:", "    * fence\t(stonith:fence_dummy):\t Started node1",
                "    * vm1\t(ocf:heartbeat:Dummy):\t FAILED (disabled)", "    * Clone Set: c1 [d1]:",
                "      * Stopped: [ node1 node2 ]", "    * p1\t(ocf:heartbeat:Dummy):\t FAILED guest1"]
    if REAL:
        assert _current_status(path, [REAL]).splitlines()[2:12] == expected
    assert _current_status(path, None).splitlines()[2:12] == expected
