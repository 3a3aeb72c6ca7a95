"""``crm_mon -1`` on a cluster with a guest node (a VM with ``remote-node``) and a bundle without a
primitive, in Pacemaker 2.1's layout: the guest listed as ``GuestOnline``, the VM's implicit
connection counted among the resource instances, and the bundle shown active through its
containers.  Compared with Pacemaker's crm_mon when it is installed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from crmsh_py.lowlevel.registry import run_tool
from crmsh_py.lowlevel.toolio import ToolIO

SBIN = Path("/usr/sbin/crm_mon")


def _op(rid: str, node: str, call: int, provider: str, kind: str, extra: str = "") -> str:
    return (f'<lrm_resource id="{rid}" class="ocf" provider="{provider}" type="{kind}"{extra}>'
            f'<lrm_rsc_op id="{rid}_last_0" operation_key="{rid}_start_0" operation="start" '
            f'transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="{call}" rc-code="0" '
            f'op-status="0" interval="0" on_node="{node}"/></lrm_resource>')


CIB = f"""<cib have-quorum="1" crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0"
     admin_epoch="0" dc-uuid="1">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/>
    </cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>
      <primitive id="vm1" class="ocf" provider="heartbeat" type="Dummy">
        <meta_attributes id="vm1-meta"><nvpair id="vm1-rn" name="remote-node" value="guest1"/></meta_attributes>
      </primitive>
      <primitive id="app" class="ocf" provider="heartbeat" type="Dummy"/>
      <bundle id="proxy"><podman image="haproxy" replicas="1"/></bundle>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>{_op("vm1", "node1", 2, "heartbeat", "Dummy")}
        {_op("guest1", "node1", 3, "pacemaker", "remote", ' container="vm1"')}</lrm_resources></lrm></node_state>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2"><lrm_resources>{_op("proxy-podman-0", "node2", 4, "heartbeat", "podman")}</lrm_resources></lrm>
    </node_state>
    <node_state id="guest1" uname="guest1" remote_node="true" in_ccm="true">
      <lrm id="guest1"><lrm_resources>{_op("app", "guest1", 5, "heartbeat", "Dummy")}</lrm_resources></lrm>
    </node_state>
  </status>
</cib>
"""


def _body(text: str) -> list[str]:
    # from the instance count on: the stack and version lines say where the CIB came from
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "nodes configured" in line)
    return lines[start:]


def test_guest_node_and_container_only_bundle(tmp_path: Path) -> None:
    path = tmp_path / "cib.xml"
    path.write_text(CIB)
    env = {**os.environ, "CIB_file": str(path)}
    io = ToolIO.captured(env)
    run_tool(["crm_mon", "-1"], io)
    ours = _body(io.stdout.getvalue())  # type: ignore[attr-defined]
    assert ours == ["  * 3 nodes configured", "  * 4 resource instances configured", "", "Node List:",
                    "  * Online: [ node1 node2 ]", "  * GuestOnline: [ guest1 ]", "", "Active Resources:",
                    "  * vm1\t(ocf:heartbeat:Dummy):\t Started node1",
                    "  * app\t(ocf:heartbeat:Dummy):\t Started guest1",
                    "  * Container bundle: proxy [haproxy]:",
                    "    * proxy-podman-0\t(ocf:heartbeat:podman):\t Started node2"]
    if SBIN.exists():
        real = subprocess.run([str(SBIN), "-1"], capture_output=True, text=True, env=env, timeout=60, check=False)
        assert _body(real.stdout) == ours
