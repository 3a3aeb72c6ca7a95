"""The bundled engine carries out unfencing: a device that ``provides=unfencing`` gets ``on`` run for
every node never unfenced, the node gets ``#node-unfenced``, and the next transition plans nothing
(what ``crm_simulate -LS`` and Pacemaker's own crm_simulate on the resulting CIB show)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.bundled import DEMO, cluster_env
from support.ours import crm, tool

PACEMAKER_CRM_SIMULATE = Path("/usr/sbin/crm_simulate")
UNFENCING = DEMO.replace("stonith-enabled=false", "stonith-enabled=true") + (
    'primitive fence-scsi stonith:null params hostlist="{hosts}" meta provides=unfencing\n')


def _summary(output: str) -> list[str]:
    block = output.split("Transition Summary:\n", 1)[1].split("\nExecuting", 1)[0]
    return [" ".join(line.split()) for line in block.splitlines() if line.strip()]


def _unfenced(env: dict[str, str]) -> dict[str, str]:
    out = tool(["cibadmin", "-Q", "--xpath", "//nvpair[@name='#node-unfenced']"], env).out
    import re

    return dict(re.findall(r'id="status-([^"]+)-\.node-unfenced" name="#node-unfenced" value="(\d+)"', out))


def test_nodes_are_unfenced_once_and_the_next_transition_is_empty(tmp_path: Path) -> None:
    env = cluster_env(tmp_path / "c", UNFENCING.format(hosts="srv01 srv02"))
    assert len(_unfenced(env)) == 2  # both nodes carry #node-unfenced
    history = tool(["stonith_admin", "--history", "*"], env).out
    assert "on of srv01 successful" in history and "on of srv02 successful" in history
    result = tool(["crm_simulate", "-LS"], env)
    assert result.rc == 0 and _summary(result.out) == []
    # a later change does not unfence again
    assert crm(["resource", "stop", "dummy"], env).rc == 0
    assert "Fence (on)" not in tool(["crm_simulate", "-LS"], env).out
    assert len([line for line in tool(["stonith_admin", "--history", "*"], env).out.splitlines()
                if line.startswith("on of")]) == 2
    log = (tmp_path / "c" / "ha-log").read_text(encoding="utf-8")
    assert "Requesting fencing (on) targeting node srv01" in log


@pytest.mark.skipif(not PACEMAKER_CRM_SIMULATE.exists(), reason="Pacemaker's crm_simulate is not installed")
def test_pacemaker_agrees_nothing_is_left_to_unfence(tmp_path: Path) -> None:
    env = cluster_env(tmp_path / "c", UNFENCING.format(hosts="srv01 srv02"))
    cib = tmp_path / "cib.xml"
    cib.write_text(tool(["cibadmin", "-Q"], env).out, encoding="utf-8")
    real = subprocess.run([str(PACEMAKER_CRM_SIMULATE), "-S", "-x", str(cib)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert _summary(real.stdout) == []


def test_a_node_no_device_can_unfence_stays_fenced_and_the_settle_ends(tmp_path: Path) -> None:
    env = cluster_env(tmp_path / "c", UNFENCING.format(hosts="srv01"))
    assert list(_unfenced(env)) == ["11111111-1111-1111-1111-111111111111"]  # srv01 only
    attempts = tool(["stonith_admin", "--history", "srv02"], env).out.splitlines()
    assert attempts and all(line.startswith("on of srv02 failed") for line in attempts)
    log = (tmp_path / "c" / "ha-log").read_text(encoding="utf-8")
    assert "Operation 'on' targeting srv02 failed: no device can unfence it" in log
    status = tool(["crm_simulate", "-LS"], env).out
    # still planned (the line stays visible), and nothing that needs it was started on srv02
    assert "Fence (on) srv02" in status
    assert "Started srv02" not in status.split("Transition Summary:")[0]
