"""examples/demo.sh reproduces the reference demo and its sequels (failover, standby, fencing; live
migration, reload, geo tickets)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_demo_script_end_to_end(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("CRM_CLUSTER_DIR", None)
    done = subprocess.run(["bash", str(ROOT / "examples" / "demo.sh"), str(tmp_path / "cluster")], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    out = done.stdout
    lines = out.splitlines()
    # The demo's transcript, line for line where it is deterministic.
    assert "Current DC: srv02 (22222222-2222-2222-2222-222222222222) - partition with quorum" in lines
    assert "Version: 1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87" in lines
    assert "dummy  (ocf::heartbeat:Dummy): Started srv01" in lines
    assert ".EXT crm_resource -M -r 'dummy' --node='srv02' --force" in lines
    assert ".EXT crm_resource -U -r 'dummy'" in lines
    assert any(" crm_resource[" in line and line.endswith("] info: Invoked: crm_resource -M -r dummy "
                                                           "--node=srv02 --force") for line in lines)
    assert any("Invoked: crm -R resource move dummy srv02 force" in line for line in lines)
    assert "Designated Controller is: srv02" in lines
    assert lines[lines.index("[root@srv01 ~]# crm ra list stonith") + 1].startswith("apcmaster apcmastersnmp")
    # Sequel: monitor failure → failover with a fail count; standby; fencing and history.
    assert "   dummy: migration-threshold=1 fail-count=1" in lines
    failover = lines[lines.index("### Time passes: the engine daemon runs the recurring monitor"):]
    assert "dummy  (ocf::heartbeat:Dummy): Started srv01" in failover
    assert any(line.startswith("Node srv01 (11111111-1111-1111-1111-111111111111): standby") for line in lines)
    assert any(line.startswith("reboot of srv02 successful") for line in lines)
    assert "OFFLINE: [ srv02 ]" in lines
    # Sequel II: a live migration (and a reload in place), then a ticket failing over between sites.
    migration = lines[lines.index("### Live migration: a virtual machine changes node without a restart"):]
    moved = [line for line in migration if line.startswith(".EXT crm_resource -M -r 'vm'")]
    assert moved and moved[0].endswith("--force")
    target = moved[0].split("--node='")[1].split("'")[0]
    assert any(line.endswith(f"Result of migrate_from operation for vm on {target}: ok") for line in migration)
    assert any("Result of migrate_to operation for vm on" in line for line in migration)
    assert f"vm  (ocf::heartbeat:Dummy): Started {target}" in migration
    assert any(line.endswith(f"Result of reload-agent operation for vm on {target}: ok") for line in migration)
    geo = lines[lines.index("### Geo tickets: a resource runs at the site that holds its ticket"):]
    assert ".EXT crm_ticket --force -t 'geo' -g" in geo
    assert any(line.startswith("web  (ocf::heartbeat:Dummy): Started srv0") for line in geo)
    assert "ticket geo is revoked" in geo
    assert "web  (ocf::heartbeat:Dummy): Stopped" in geo
    assert "  * web\t(ocf:heartbeat:Dummy):\t Started srv03" in geo
    assert any(line.startswith("geo\tgranted           last-granted='") for line in geo)
    assert "Engine daemon stopped" in out
    assert "Traceback" not in out + done.stderr
