"""A failed clone instance is not pre-allocated to the node it runs on: like any stopped instance
it goes to the best node (here the one the clone prefers), while a new instance takes the node it
failed on.  Checked against fixed lines and, where installed, Pacemaker's crm_simulate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sched_simulate import PACEMAKER_CRM_SIMULATE, ours, pacemaker

OK = 'transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" rc-code="0" op-status="0"'
DIGEST = 'op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"'
CIB = f"""<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set>
    </crm_config>
    <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
    <resources>
      <clone id="cl">
        <meta_attributes id="cl-meta"><nvpair id="cl-st" name="resource-stickiness" value="0"/></meta_attributes>
        <primitive class="ocf" id="c" provider="heartbeat" type="Dummy">
          <operations><op id="c-mon" name="monitor" interval="10s"/></operations>
        </primitive>
      </clone>
    </resources>
    <constraints><rsc_location id="pref" rsc="cl" node="n1" score="100"/></constraints>
  </configuration>
  <status>
    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources/></lrm>
    </node_state>
    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2">
        <lrm_resources>
          <lrm_resource id="c" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="c_last_0" operation_key="c_start_0" operation="start" {OK} call-id="3" interval="0" {DIGEST}/>
            <lrm_rsc_op id="c_last_failure_0" operation_key="c_monitor_10000" operation="monitor"
              transition-key="2:1:0:x" transition-magic="0:7;2:1:0:x" rc-code="7" op-status="0" call-id="4"
              interval="10000" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
  </status>
</cib>
"""

EXPECTED = ["* Recover c:0 ( n2 -> n1 )", "* Start c:1 ( n2 )"]


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "cib.xml"
    path.write_text(CIB, encoding="utf-8")
    return path


def test_failed_instance_is_placed_like_a_stopped_one(tmp_path: Path) -> None:
    assert ours(_write(tmp_path)) == EXPECTED


@pytest.mark.skipif(not PACEMAKER_CRM_SIMULATE.exists(), reason="Pacemaker's crm_simulate is not installed")
def test_pacemaker_agrees(tmp_path: Path) -> None:
    assert pacemaker(_write(tmp_path)) == EXPECTED
