"""Remote nodes, guest nodes and bundles through ``crm_simulate -S -x``: the transition summary and
the revised status must be what Pacemaker 2.1.5 prints (checked against the real tool when it is
installed; the expected texts below were taken from it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pcmk_suite import block
from support import reference
from support.ours import tool

REAL = shutil.which("crm_simulate", path="/usr/sbin")

CIB = """<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="1" admin_epoch="0"
     have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="opts">
      <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
    </cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>{resources}</resources>
    <constraints>{constraints}</constraints>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>{node1}</lrm_resources></lrm></node_state>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2"><lrm_resources>{node2}</lrm_resources></lrm></node_state>
    {extra}
  </status>
</cib>
"""

NO_PARAMS = "f2317cad3d54cec5d7d7aa7d0bf35cf8"  # Pacemaker's op-digest of an operation without parameters
REMOTE = '<primitive id="remote1" class="ocf" provider="pacemaker" type="remote"/>'


def dummy(rid: str, meta: str = "") -> str:
    sets = f'<meta_attributes id="{rid}-meta">{meta}</meta_attributes>' if meta else ""
    return f'<primitive id="{rid}" class="ocf" provider="heartbeat" type="Dummy">{sets}</primitive>'


def nv(rid: str, name: str, value: str) -> str:
    return f'<nvpair id="{rid}-{name}" name="{name}" value="{value}"/>'


def started(rid: str, node: str, call: int, agent: tuple[str, str] = ("heartbeat", "Dummy"), rc: int = 0) -> str:
    """An ``lrm_resource`` whose last operation is a successful start (or a probe with ``rc``)."""
    provider, kind = agent
    task = "start" if rc == 0 else "monitor"
    return (f'<lrm_resource id="{rid}" class="ocf" provider="{provider}" type="{kind}">'
            f'<lrm_rsc_op id="{rid}_last_0" operation_key="{rid}_{task}_0" operation="{task}" '
            f'transition-key="1:1:{0 if rc == 0 else 7}:x" transition-magic="0:{rc};1:1:0:x" call-id="{call}" '
            f'rc-code="{rc}" op-status="0" interval="0" on_node="{node}" op-digest="{NO_PARAMS}"/></lrm_resource>')


def remote_state(node: str, *resources: str) -> str:
    return (f'<node_state id="{node}" uname="{node}" remote_node="true" in_ccm="true">'
            f'<lrm id="{node}"><lrm_resources>{"".join(resources)}</lrm_resources></lrm></node_state>')


def simulate(tmp_path: Path, xml: str) -> tuple[str, str | None]:
    """Our ``crm_simulate -S -x`` output, and the real one when Pacemaker's tool is installed."""
    path = tmp_path / "cib.xml"
    path.write_text(xml)
    real = reference.run(["crm_simulate", "-S", "-x", str(path)], env=dict(os.environ)).stdout if REAL else None
    return tool(["crm_simulate", "-S", "-x", str(path)], {}).out, real


def check(tmp_path: Path, xml: str, summary: list[str], revised: list[str]) -> None:
    ours, real = simulate(tmp_path, xml)
    if real is not None:  # the expected texts are Pacemaker 2.1.5's
        assert block(real, "summary") == summary
        assert block(real, "revised") == revised
    assert block(ours, "summary") == summary
    assert block(ours, "revised") == revised


def test_resource_moves_onto_a_remote_node_and_the_node_is_listed(tmp_path: Path) -> None:
    xml = CIB.format(resources=REMOTE + dummy("rsc1"),
                     constraints='<rsc_location id="l1" rsc="rsc1" node="remote1" score="100"/>',
                     node1=started("remote1", "node1", 2, ("pacemaker", "remote")) + started("rsc1", "node1", 3),
                     node2="", extra=remote_state("remote1"))
    check(tmp_path, xml, ["* Move rsc1 ( node1 -> remote1 )"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* RemoteOnline: [ remote1 ]", "",
           "* Full List of Resources:", "* remote1 (ocf:pacemaker:remote): Started node1",
           "* rsc1 (ocf:heartbeat:Dummy): Started remote1"])


def test_stopping_a_connection_moves_what_runs_on_its_node(tmp_path: Path) -> None:
    remote = REMOTE.replace("/>", f'><meta_attributes id="r-meta">{nv("r", "target-role", "Stopped")}'
                                  '</meta_attributes></primitive>')
    xml = CIB.format(resources=remote + dummy("rsc1"),
                     constraints='<rsc_location id="l1" rsc="rsc1" node="remote1" score="INFINITY"/>',
                     node1=started("remote1", "node1", 2, ("pacemaker", "remote")), node2="",
                     extra=remote_state("remote1", started("rsc1", "remote1", 3)))
    check(tmp_path, xml, ["* Stop remote1 ( node1 ) due to node availability",
                          "* Move rsc1 ( remote1 -> node1 )"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* RemoteOFFLINE: [ remote1 ]", "",
           "* Full List of Resources:", "* remote1 (ocf:pacemaker:remote): Stopped (disabled)",
           "* rsc1 (ocf:heartbeat:Dummy): Started node1"])


def test_a_connection_that_starts_brings_its_node_up_in_the_same_transition(tmp_path: Path) -> None:
    xml = CIB.format(resources=REMOTE + dummy("rsc1"),
                     constraints='<rsc_location id="l1" rsc="rsc1" node="remote1" score="INFINITY"/>',
                     node1="", node2="", extra="")
    check(tmp_path, xml, ["* Start remote1 ( node1 )", "* Start rsc1 ( remote1 )"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* RemoteOnline: [ remote1 ]", "",
           "* Full List of Resources:", "* remote1 (ocf:pacemaker:remote): Started node1",
           "* rsc1 (ocf:heartbeat:Dummy): Started remote1"])


def test_guest_node_starts_after_its_container(tmp_path: Path) -> None:
    vm = dummy("vm1", nv("vm1", "remote-node", "guest1"))
    xml = CIB.format(resources=vm + dummy("rsc1"),
                     constraints='<rsc_location id="l1" rsc="rsc1" node="guest1" score="INFINITY"/>',
                     node1="", node2="", extra="")
    check(tmp_path, xml, ["* Start vm1 ( node1 )", "* Start rsc1 ( guest1 )", "* Start guest1 ( node1 )"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* GuestOnline: [ guest1 ]", "",
           "* Full List of Resources:", "* vm1 (ocf:heartbeat:Dummy): Started node1",
           "* rsc1 (ocf:heartbeat:Dummy): Started guest1"])


def test_failed_container_fences_its_guest_and_recovers_what_ran_there(tmp_path: Path) -> None:
    vm = dummy("vm1", nv("vm1", "remote-node", "guest1"))
    failed_vm = (started("vm1", "node1", 2).replace("</lrm_resource>", "")
                 + '<lrm_rsc_op id="vm1_last_failure_0" operation_key="vm1_monitor_10000" operation="monitor" '
                   'transition-key="2:1:0:x" transition-magic="0:7;2:1:0:x" call-id="4" rc-code="7" '
                   'op-status="0" interval="10000" on_node="node1"/></lrm_resource>')
    xml = CIB.format(resources=vm + dummy("rsc1"),
                     constraints='<rsc_location id="l1" rsc="rsc1" node="guest1" score="INFINITY"/>',
                     node1=failed_vm + started("guest1", "node1", 3, ("pacemaker", "remote")), node2="",
                     extra=remote_state("guest1", started("rsc1", "guest1", 5)))
    check(tmp_path, xml, ["* Fence (reboot) guest1 (resource: vm1) 'guest is unclean'",
                          "* Recover vm1 ( node1 )", "* Recover rsc1 ( guest1 )",
                          "* Restart guest1 ( node1 ) due to required vm1 start"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* GuestOnline: [ guest1 ]", "",
           "* Full List of Resources:", "* vm1 (ocf:heartbeat:Dummy): Started node1",
           "* rsc1 (ocf:heartbeat:Dummy): Started guest1"])


BUNDLE = """<bundle id="web">
  <docker image="pcmk:http" replicas="2"/>
  <network ip-range-start="192.168.122.131" control-port="3121"/>
  <primitive id="httpd" class="ocf" provider="heartbeat" type="Dummy"/>
</bundle>"""


def test_bundle_replicas_start_with_their_implicit_resources(tmp_path: Path) -> None:
    xml = CIB.format(resources=BUNDLE, constraints="", node1="", node2="", extra="")
    check(tmp_path, xml,
          ["* Start web-ip-192.168.122.131 ( node1 )", "* Start web-docker-0 ( node1 )",
           "* Start web-0 ( node1 )", "* Start httpd:0 ( web-0 )",
           "* Start web-ip-192.168.122.132 ( node2 )", "* Start web-docker-1 ( node2 )",
           "* Start web-1 ( node2 )", "* Start httpd:1 ( web-1 )"],
          ["* Node List:", "* Online: [ node1 node2 ]", "* GuestOnline: [ web-0 web-1 ]", "",
           "* Full List of Resources:", "* Container bundle set: web [pcmk:http]:",
           "* web-0 (192.168.122.131) (ocf:heartbeat:Dummy): Started node1",
           "* web-1 (192.168.122.132) (ocf:heartbeat:Dummy): Started node2"])


def test_bundle_without_a_primitive_runs_only_containers(tmp_path: Path) -> None:
    bundle = '<bundle id="proxy"><podman image="haproxy" replicas="1"/></bundle>'
    xml = CIB.format(resources=bundle, constraints="", node1="", node2="", extra="")
    check(tmp_path, xml, ["* Start proxy-podman-0 ( node1 )"],
          ["* Node List:", "* Online: [ node1 node2 ]", "", "* Full List of Resources:",
           "* Container bundle: proxy [haproxy]:", "* proxy-podman-0 (ocf:heartbeat:podman): Started node1"])


@pytest.mark.parametrize("kind", ["remote", "guest"])
def test_nothing_but_the_bundle_primitive_runs_on_a_bundle_node(tmp_path: Path, kind: str) -> None:
    # a location preference for a bundle node is not enough: other resources never run there
    xml = CIB.format(resources=BUNDLE + dummy("rsc1"),
                     constraints='<rsc_location id="l1" rsc="rsc1" node="web-0" score="1000"/>',
                     node1="", node2="", extra="")
    ours, _ = simulate(tmp_path, xml)
    assert "* Start      rsc1" in ours and "( web-0 )" not in block(ours, "summary")[-1]
