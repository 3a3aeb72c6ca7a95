"""CIB documents written to files for ``CIB_file``: the demo configuration with a status section as
Pacemaker writes it (the low-level tool tests' usual start), and twin copies for ours and the real tool."""

from __future__ import annotations

import shutil
from pathlib import Path

DEMO_RUNNING = """<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="2" num_updates="8" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair name="no-quorum-policy" value="ignore" id="cib-bootstrap-options-no-quorum-policy"/>
        <nvpair name="stonith-enabled" value="false" id="cib-bootstrap-options-stonith-enabled"/>
        <nvpair name="startup-fencing" value="false" id="cib-bootstrap-options-startup-fencing"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node uname="srv01" id="srv01"/>
      <node uname="srv02" id="srv02"/>
    </nodes>
    <resources>
      <primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy">
        <operations>
          <op name="start" interval="0s" timeout="120s" on-fail="restart" id="dummy-start-0s"/>
          <op name="monitor" interval="10s" timeout="120s" on-fail="restart" id="dummy-monitor-10s"/>
          <op name="stop" interval="0s" timeout="120s" on-fail="stop" id="dummy-stop-0s"/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
    <rsc_defaults>
      <meta_attributes id="rsc-options">
        <nvpair name="resource-stickiness" value="INFINITY" id="rsc-options-resource-stickiness"/>
        <nvpair name="migration-threshold" value="1" id="rsc-options-migration-threshold"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status>
    <node_state id="srv01" uname="srv01" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="srv01">
        <lrm_resources>
          <lrm_resource id="dummy" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="dummy_last_0" operation_key="dummy_start_0" operation="start" crm_feature_set="3.16.1" transition-key="2:-1:0:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" transition-magic="0:0;2:-1:0:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" exit-reason="" call-id="2" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" exec-time="0" queue-time="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            <lrm_rsc_op id="dummy_monitor_10000" operation_key="dummy_monitor_10000" operation="monitor" crm_feature_set="3.16.1" transition-key="3:-1:0:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" transition-magic="0:0;3:-1:0:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" exit-reason="" call-id="3" rc-code="0" op-status="0" interval="10000" last-rc-change="1700000000" exec-time="0" queue-time="0" op-digest="0e121d086272acfe9236910e5fe2e8cd"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
    <node_state id="srv02" uname="srv02" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="srv02">
        <lrm_resources>
          <lrm_resource id="dummy" class="ocf" provider="heartbeat" type="Dummy">
            <lrm_rsc_op id="dummy_last_0" operation_key="dummy_monitor_0" operation="monitor" crm_feature_set="3.16.1" transition-key="1:-1:7:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" transition-magic="0:7;1:-1:7:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" exit-reason="" call-id="1" rc-code="7" op-status="0" interval="0" last-rc-change="1700000000" exec-time="0" queue-time="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
  </status>
</cib>
"""


def write_cib(tmp_path: Path, text: str = DEMO_RUNNING, name: str = "cib.xml") -> Path:
    """Write a CIB file and return its path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def twin_cibs(tmp_path: Path, source: Path) -> tuple[Path, Path]:
    """Two copies of a CIB file, one for the real tool and one for ours (``real/``, ``ours/``)."""
    a, b = tmp_path / "real" / "cib.xml", tmp_path / "ours" / "cib.xml"
    for p in (a, b):
        p.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, p)
    return a, b
