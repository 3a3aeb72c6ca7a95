"""Unfencing and changed agents, as Pacemaker 2.1.5's crm_simulate plans them.

With ``provides=unfencing`` a node never unfenced is unfenced before a fence device is probed (or
a resource needing unfencing starts) there; a fence device whose agent or parameters changed has
its node unfenced again, and what stays there restarts "due to required stonith".  A resource whose
recorded agent differs from its definition restarts.  Each case is checked against fixed expected
lines and, where it is installed, against Pacemaker's own crm_simulate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sched_simulate import PACEMAKER_CRM_SIMULATE, ours, pacemaker

CIB = """<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="o1" name="stonith-enabled" value="true"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="n1"/>
      <node id="2" uname="n2"/>
    </nodes>
    <resources>
      <primitive class="stonith" id="fencing" type="fence_scsi">
        <meta_attributes id="fencing-meta">
          <nvpair id="fencing-provides" name="provides" value="unfencing"/>
        </meta_attributes>
      </primitive>
      <primitive class="ocf" id="d1" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_location id="d1-on-n2" rsc="d1" node="n2" score="100"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
      <transient_attributes id="1">
        <instance_attributes id="status-1">
          <nvpair id="status-1-unfenced" name="#node-unfenced" value="1234"/>
        </instance_attributes>
      </transient_attributes>
      <lrm id="1">
        <lrm_resources>
          <lrm_resource id="fencing" class="stonith" type="fence_scsi">
            <lrm_rsc_op id="fencing_last_0" operation_key="fencing_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" on_node="n1"/>
          </lrm_resource>
          <lrm_resource id="d1" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="d1_last_0" operation_key="d1_monitor_0" operation="monitor" transition-key="2:1:7:x" transition-magic="0:7;2:1:7:x" call-id="3" rc-code="7" op-status="0" interval="0" on_node="n1"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>"""

# three nodes, n1 unfenced and running everything (same agents), n2 and n3 never unfenced
CIB_THREE = """<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="o1" name="stonith-enabled" value="true"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="n1"/>
      <node id="2" uname="n2"/>
      <node id="3" uname="n3"/>
    </nodes>
    <resources>
      <primitive class="stonith" id="fencing" type="fence_scsi">
        <meta_attributes id="fencing-meta">
          <nvpair id="fencing-provides" name="provides" value="unfencing"/>
        </meta_attributes>
      </primitive>
      <primitive class="ocf" id="d1" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_location id="d1-on-n2" rsc="d1" node="n3" score="100"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
      <transient_attributes id="1">
        <instance_attributes id="status-1">
          <nvpair id="status-1-unfenced" name="#node-unfenced" value="1234"/>
        </instance_attributes>
      </transient_attributes>
      <lrm id="1">
        <lrm_resources>
          <lrm_resource id="fencing" class="stonith" type="fence_scsi">
            <lrm_rsc_op id="fencing_last_0" operation_key="fencing_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" on_node="n1" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
          </lrm_resource>
          <lrm_resource id="d1" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="d1_last_0" operation_key="d1_start_0" operation="start" transition-key="2:1:0:x" transition-magic="0:0;2:1:0:x" call-id="3" rc-code="0" op-status="0" interval="0" on_node="n1" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="3" uname="n3" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>"""

PROBED_ON_N3 = """<node_state id="3" uname="n3" in_ccm="true" crmd="online" join="member" expected="member">
<lrm id="3"><lrm_resources>
<lrm_resource id="fencing" class="stonith" type="fence_scsi"><lrm_rsc_op id="fencing_last_0"
 operation_key="fencing_monitor_0" operation="monitor" transition-key="5:1:7:x" transition-magic="0:7;5:1:7:x"
 call-id="5" rc-code="7" op-status="0" interval="0" on_node="n3"/></lrm_resource>
<lrm_resource id="d1" class="ocf" provider="heartbeat" type="Dummy"><lrm_rsc_op id="d1_last_0"
 operation_key="d1_monitor_0" operation="monitor" transition-key="6:1:7:x" transition-magic="0:7;6:1:7:x"
 call-id="6" rc-code="7" op-status="0" interval="0" on_node="n3"/></lrm_resource>
</lrm_resources></lrm></node_state>"""

DIGEST = 'op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"'


def _variant(name: str) -> str:
    """The base CIB edited into one of the cases below."""
    if name == "probes-newest-first":
        return CIB_THREE
    if name == "start-on-probed-node":
        return CIB_THREE.replace('<node_state id="3" uname="n3" in_ccm="true" crmd="online" join="member" '
                                 'expected="member"/>', PROBED_ON_N3)
    text = CIB
    if name != "never-unfenced":
        # the fence device ran as another agent, d1 was started by another provider's agent
        text = text.replace('<lrm_resource id="fencing" class="stonith" type="fence_scsi">',
                            '<lrm_resource id="fencing" class="stonith" type="fence_xvm">')
        text = text.replace('<lrm_resource id="d1" class="ocf" provider="heartbeat" type="Dummy">',
                            '<lrm_resource id="d1" class="ocf" provider="pacemaker" type="Dummy">')
        text = text.replace('operation_key="d1_monitor_0" operation="monitor" transition-key="2:1:7:x" '
                            'transition-magic="0:7;2:1:7:x" call-id="3" rc-code="7"',
                            'operation_key="d1_start_0" operation="start" transition-key="2:1:0:x" '
                            'transition-magic="0:0;2:1:0:x" call-id="3" rc-code="0"')
        text = text.replace('node="n2" score="100"', 'node="n1" score="100"')
        text = text.replace('on_node="n1"/>', f'on_node="n1" {DIGEST}/>')
    if name == "agent-changed":
        text = text.replace('name="provides" value="unfencing"', 'name="provides" value="nothing"')
    return text


EXPECTED = {
    # the missing digest of the running device counts as changed parameters
    "never-unfenced": ["* Fence (on) n2 'required by fencing monitor'",
                       "* Fence (on) n1 'Device parameters changed'",
                       "* Restart fencing ( n1 ) due to resource definition change",
                       "* Start d1 ( n2 )"],
    "agent-changed": ["* Restart fencing ( n1 )", "* Restart d1 ( n1 )"],
    "device-agent-changed": ["* Fence (on) n2 'required by fencing monitor'",
                             "* Fence (on) n1 'Device definition changed'",
                             "* Restart fencing ( n1 )",
                             "* Restart d1 ( n1 ) due to required stonith"],
    # the summary lists node actions newest first: probes go node by node
    "probes-newest-first": ["* Fence (on) n3 'required by fencing monitor'",
                            "* Fence (on) n2 'required by fencing monitor'",
                            "* Move d1 ( n1 -> n3 )"],
    # n3 has been probed already: the start of d1 there needs the unfencing
    "start-on-probed-node": ["* Fence (on) n3 'required by d1 start'",
                             "* Fence (on) n2 'required by fencing monitor'",
                             "* Move d1 ( n1 -> n3 )"],
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_summary(name: str, tmp_path: Path) -> None:
    path = tmp_path / "cib.xml"
    path.write_text(_variant(name), encoding="utf-8")
    assert ours(path) == EXPECTED[name]


@pytest.mark.skipif(not PACEMAKER_CRM_SIMULATE.exists(), reason="Pacemaker's crm_simulate is not installed")
@pytest.mark.parametrize("name", list(EXPECTED))
def test_same_as_pacemaker(name: str, tmp_path: Path) -> None:
    path = tmp_path / "cib.xml"
    path.write_text(_variant(name), encoding="utf-8")
    assert ours(path) == pacemaker(path)
