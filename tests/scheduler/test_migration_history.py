"""Migration histories and multiply active resources, as Pacemaker 2.1.5's crm_simulate plans them.

The base: n1 is shutting down and runs ``vm`` (allow-migrate) and ``d2``; n2 has probed both.  The
variants add a migration's results to the history (a partial migration, a failed migrate_to or
migrate_from), put n2 in standby, or leave ``vm`` active on both nodes.  Each is checked against
fixed expected lines and, where it is installed, against Pacemaker's own crm_simulate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sched_simulate import PACEMAKER_CRM_SIMULATE, ours, pacemaker

CIB = """<cib validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="o1" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="n1"/>
      <node id="2" uname="n2"/>
    </nodes>
    <resources>
      <primitive class="ocf" id="vm" provider="heartbeat" type="Dummy">
        <meta_attributes id="vm-meta"><nvpair id="vm-am" name="allow-migrate" value="true"/></meta_attributes>
        <operations><op id="vm-mon" name="monitor" interval="10s"/></operations>
      </primitive>
      <primitive class="ocf" id="d2" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints>

    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
      <transient_attributes id="1"><instance_attributes id="status-1"><nvpair id="s1" name="shutdown" value="1234"/></instance_attributes></transient_attributes>
      <lrm id="1">
        <lrm_resources>
          <lrm_resource id="vm" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="vm_last_0" operation_key="vm_start_0" operation="start" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" on_node="n1" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            <lrm_rsc_op id="vm_monitor_10000" operation_key="vm_monitor_10000" operation="monitor" transition-key="2:1:0:x" transition-magic="0:0;2:1:0:x" call-id="3" rc-code="0" op-status="0" interval="10000" on_node="n1" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/>
          </lrm_resource>
          <lrm_resource id="d2" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="d2_last_0" operation_key="d2_start_0" operation="start" transition-key="3:1:0:x" transition-magic="0:0;3:1:0:x" call-id="4" rc-code="0" op-status="0" interval="0" on_node="n1" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
    <node_state id="2" uname="n2" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2">
        <lrm_resources>
          <lrm_resource id="vm" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="vm_last_0" operation_key="vm_monitor_0" operation="monitor" transition-key="4:1:7:x" transition-magic="0:7;4:1:7:x" call-id="2" rc-code="7" op-status="0" interval="0" on_node="n2" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
          </lrm_resource>
          <lrm_resource id="d2" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="d2_last_0" operation_key="d2_monitor_0" operation="monitor" transition-key="5:1:7:x" transition-magic="0:7;5:1:7:x" call-id="3" rc-code="7" op-status="0" interval="0" on_node="n2"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
  </status>
</cib>"""

DIGEST = 'op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"'
MIGRATE_TO = ('<lrm_rsc_op id="vm_migrate_to_0" operation_key="vm_migrate_to_0" operation="migrate_to" '
              'transition-key="6:2:0:x" transition-magic="0:{rc};6:2:0:x" call-id="5" rc-code="{rc}" op-status="0" '
              'interval="0" on_node="n1" migrate_source="n1" migrate_target="n2" last-rc-change="1000" ' + DIGEST + '/>')
MIGRATE_FROM = ('<lrm_rsc_op id="vm_migrate_from_0" operation_key="vm_migrate_from_0" operation="migrate_from" '
                'transition-key="7:2:0:x" transition-magic="0:{rc};7:2:0:x" call-id="4" rc-code="{rc}" op-status="0" '
                'interval="0" on_node="n2" migrate_source="n1" migrate_target="n2" last-rc-change="1001" ' + DIGEST + '/>')
N1_ANCHOR = '<lrm_rsc_op id="vm_monitor_10000"'
N2_ANCHOR = '<lrm_rsc_op id="vm_last_0" operation_key="vm_monitor_0"'
N2_STANDBY = ('<node id="2" uname="n2"><instance_attributes id="n2a"><nvpair id="n2sb" name="standby" value="on"/>'
              '</instance_attributes></node>')
N2_STARTED = ('<lrm_rsc_op id="vm_last_0" operation_key="vm_start_0" operation="start" transition-key="4:1:0:x" '
              'transition-magic="0:0;4:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" on_node="n2" '
              + DIGEST + '/>')


def _variant(name: str) -> str:
    text = CIB
    to_rc, from_rc = {"partial": (0, None), "migrate-to-failed": (1, None), "migrate-from-failed": (0, 1),
                      "dangling": (0, 0)}.get(name.removesuffix("+standby"), (None, None))
    if to_rc is not None:
        text = text.replace(N1_ANCHOR, MIGRATE_TO.format(rc=to_rc) + N1_ANCHOR, 1)
    if from_rc is not None:
        text = text.replace(N2_ANCHOR, MIGRATE_FROM.format(rc=from_rc) + N2_ANCHOR, 1)
    if name.endswith("+standby"):
        text = text.replace('<node id="2" uname="n2"/>', N2_STANDBY)
    if name.startswith("both-active"):
        start = text.index(N2_ANCHOR)
        text = text[:start] + N2_STARTED + text[text.index("/>", start) + 2:]
    if name == "both-active-disabled":
        text = text.replace('value="true"/></meta_attributes>',
                            'value="true"/><nvpair id="vm-tr" name="target-role" value="Stopped"/></meta_attributes>')
    return text


EXPECTED = {
    "partial+standby": ["* Stop vm ( n2 ) due to node availability", "* Stop vm ( n1 ) due to node availability",
                        "* Stop d2 ( n1 ) due to node availability"],
    "migrate-to-failed+standby": ["* Stop vm ( n2 ) due to node availability",
                                  "* Stop vm ( n1 ) due to node availability",
                                  "* Stop d2 ( n1 ) due to node availability"],
    "partial": ["* Migrate vm ( n1 -> n2 )", "* Move d2 ( n1 -> n2 )"],
    "migrate-from-failed": ["* Recover vm ( n2 )", "* Move d2 ( n1 -> n2 )"],
    "dangling": ["* Move d2 ( n1 -> n2 )"],
    "both-active": ["* Move vm ( n1 -> n2 )", "* Move d2 ( n1 -> n2 )"],
    "both-active-disabled": ["* Stop vm ( n1 ) due to node availability", "* Stop vm ( n2 ) due to node availability",
                             "* Move d2 ( n1 -> n2 )"],
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
