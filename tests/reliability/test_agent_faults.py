"""Agent faults: a hanging agent is killed at its op timeout; garbage output and unknown exit codes
are a generic error (recorded failed op, fail count, recovery elsewhere); no zombie remains."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import rel_common as rc

# Misbehaves on srv01 only (so recovery on srv02 can be seen); the "fault" parameter selects how.
AGENT = """#!/bin/sh
state="$HA_RSCTMP/faulty-$OCF_RESOURCE_INSTANCE.state"
misbehave() {
  [ "$OCF_RESKEY_CRM_meta_on_node" = srv01 ] || return 0
  case "$OCF_RESKEY_fault" in
    hang) exec sh -c 'sleep 600; :' relfault-marker;;
    garbage) printf '\\377\\376garbage \\033[2J\\n'; head -c 3000 /dev/urandom; exit 1;;
    code42) echo "unknown"; exit 42;;
    code255) exit 255;;
    signal) kill -9 $$;;
  esac
}
case "$1" in
  start) misbehave; touch "$state"; exit 0;;
  stop) rm -f "$state"; exit 0;;
  monitor) [ -f "$state" ] && exit 0; exit 7;;
  meta-data) cat <<'END'
<?xml version="1.0"?>
<resource-agent name="Faulty" version="1.0"><version>1.0</version>
<shortdesc lang="en">faulty</shortdesc><longdesc lang="en">faulty</longdesc>
<parameters><parameter name="fault"><content type="string"/><shortdesc lang="en">x</shortdesc></parameter></parameters>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
END
  exit 0;;
  validate-all) exit 0;;
  *) exit 3;;
esac
"""


@pytest.fixture
def faulty_env(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    agent = tmp_path / "ocf" / "reltest" / "Faulty"
    agent.parent.mkdir(parents=True)
    agent.write_text(AGENT)
    agent.chmod(0o755)
    return {**env, "CRM_OCF_PATH": str(tmp_path / "ocf")}


def _start_op(cluster_dir: Path) -> ET.Element:
    root = rc.read_root(rc.cib_path(cluster_dir))
    state = next(s for s in root.iter("node_state") if s.get("uname") == "srv01")
    return next(op for op in state.iter("lrm_rsc_op") if op.get("operation") == "start")


def _marker_processes() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if b"relfault-marker" in Path(f"/proc/{entry}/cmdline").read_bytes():
                    found.append(int(entry))
            except OSError:
                pass
    return found


# op-status: 2 timed out, 4 error (killed by a signal), 0 done (with rc 1: generic error)
@pytest.mark.parametrize("fault, op_status", [("hang", "2"), ("garbage", "0"), ("code42", "0"),
                                              ("code255", "0"), ("signal", "4")])
def test_a_misbehaving_agent_is_a_failed_op_and_the_resource_recovers(
        cluster_dir: Path, faulty_env: dict[str, str], fault: str, op_status: str) -> None:
    create = (f'<primitive id="f1" class="ocf" provider="reltest" type="Faulty"><instance_attributes '
              f'id="f1-ia"><nvpair id="f1-ia-fault" name="fault" value="{fault}"/></instance_attributes>'
              f'<operations><op id="f1-start-0" name="start" interval="0" timeout="2s"/></operations>'
              f'</primitive>')
    result = rc.run_tool(["cibadmin", "-C", "-o", "resources", "-X", create], faulty_env)
    assert result.rc == 0, result.err
    op = _start_op(cluster_dir)
    assert op.get("rc-code") == "1" and op.get("op-status") == op_status, ET.tostring(op)
    if fault == "hang":  # cut at its 2 s timeout (as the op records it), far from the agent's 600 s sleep
        assert 2000 <= int(op.get("exec-time", "0")) < 60000, ET.tostring(op)
    mon = rc.run_tool(["crm_mon", "-1", "-r", "-f"], faulty_env).out
    assert "Started srv02" in mon and "Failed Resource Actions" in mon, mon
    assert "fail-count=1000000" in mon or "fail-count=INFINITY" in mon, mon
    assert _marker_processes() == []
    assert rc.zombie_children() == []
