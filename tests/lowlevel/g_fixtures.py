"""CIB documents the low-level tool tests (helper G) share: the demo configuration with a status
section as Pacemaker writes it, and ways to run our tools and the real ones on a file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from crmsh_py.lowlevel.registry import run_tool
from crmsh_py.lowlevel.toolio import ToolIO

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


def ours(argv: list[str], cib: Path | None = None, stdin: str = "", **env: str) -> tuple[int, str, str]:
    """Run one of our tools in-process; (rc, stdout, stderr)."""
    environ = dict(os.environ)
    if cib is not None:
        environ["CIB_file"] = str(cib)
    environ.update(env)
    io = ToolIO.captured(environ, stdin)
    rc = run_tool(argv, io)
    return rc, io.stdout.getvalue(), io.stderr.getvalue()


def real(argv: list[str], cib: Path | None = None) -> tuple[int, str, str]:
    """Run the real Pacemaker tool (/usr/sbin/NAME) on a CIB file."""
    environ = {"PATH": "/usr/sbin:/usr/bin:/bin", "LC_ALL": "C"}
    if cib is not None:
        environ["CIB_file"] = str(cib)
    proc = subprocess.run(["/usr/sbin/" + argv[0], *argv[1:]], env=environ, capture_output=True, text=True,
                          timeout=30, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def have(tool: str) -> bool:
    """True when the real tool is installed."""
    return shutil.which(tool, path="/usr/sbin") is not None
