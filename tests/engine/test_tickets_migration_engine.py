"""The bundled engine executes what the scheduler plans for tickets, live migration and reloads:
real agent runs (Dummy's migrate_to/migrate_from/reload), history Pacemaker reads back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support.ours import tool as run

VM = ('<primitive id="vm" class="ocf" provider="heartbeat" type="Dummy">'
      '<instance_attributes id="vm-params"><nvpair id="vm-fake" name="fake" value="a"/></instance_attributes>'
      '<meta_attributes id="vm-meta"><nvpair id="vm-am" name="allow-migrate" value="true"/></meta_attributes>'
      '<operations><op id="vm-mon" name="monitor" interval="10s" timeout="20s"/></operations></primitive>')


def _setup(*constraints: str) -> None:
    assert run(["crm_attribute", "-n", "stonith-enabled", "-v", "false"])[0] == 0
    assert run(["crm_attribute", "-n", "no-quorum-policy", "-v", "ignore"])[0] == 0
    assert run(["cibadmin", "-C", "-o", "resources", "-X", VM])[0] == 0
    for xml in constraints:
        assert run(["cibadmin", "-C", "-o", "constraints", "-X", xml])[0] == 0


def _where(cluster) -> list[str]:  # type: ignore[no-untyped-def]
    from crmsh_py.engine.scheduler.state import read_state
    from crmsh_py.engine.scheduler.resources import build_tree

    snap = cluster.read()
    tree = build_tree(snap.configuration, 2)
    states, _ = read_state(tree, snap.status, False)
    return states["vm"].active_nodes


def _log(cluster) -> str:  # type: ignore[no-untyped-def]
    return (Path(cluster.path).parent / "ha-log").read_text()


def test_move_of_a_migratable_resource_migrates_live(cluster) -> None:  # type: ignore[no-untyped-def]
    _setup()
    assert _where(cluster) == ["srv01"]
    assert run(["crm_resource", "-M", "-r", "vm", "--node=srv02", "--force"])[0] == 0
    assert _where(cluster) == ["srv02"]
    log = _log(cluster)
    assert "Result of migrate_to operation for vm on srv01: ok" in log
    assert "Result of migrate_from operation for vm on srv02: ok" in log
    ops = cluster.read().status.nodes["srv02"].resources["vm"].ops
    migrate_from = next(o for o in ops if o.task == "migrate_from")
    assert (migrate_from.migrate_source, migrate_from.migrate_target) == ("srv01", "srv02")


def test_parameter_change_reloads_or_restarts_as_the_agent_allows(cluster) -> None:  # type: ignore[no-untyped-def]
    _setup()
    start = cluster.read().status.nodes["srv01"].resources["vm"].last("start")
    assert start.force_restart == " state " and start.restart_digest  # Dummy can reload all but state
    assert run(["crm_resource", "-r", "vm", "-p", "fake", "-v", "b"])[0] == 0
    log = _log(cluster)
    assert "Result of reload-agent operation for vm on srv01: ok" in log
    assert log.count("Result of stop operation for vm") == 0
    assert run(["crm_resource", "-r", "vm", "-p", "state", "-v", str(Path(cluster.path).parent / "vm.state")])[0] == 0
    assert "Result of stop operation for vm on srv01: ok" in _log(cluster)
    # Settled: nothing left to do, for us and for Pacemaker's own scheduler reading our history.
    rc, out, _ = run(["crm_simulate", "-S", "-L"])
    assert rc == 0 and out.split("Transition Summary:\n")[1].startswith("\n")


@pytest.mark.skipif(not Path("/usr/sbin/crm_simulate").exists(), reason="needs Pacemaker's crm_simulate")
def test_pacemaker_agrees_nothing_is_left_after_migration_and_reload(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _setup()
    run(["crm_resource", "-M", "-r", "vm", "--node=srv02", "--force"])
    run(["crm_resource", "-r", "vm", "-p", "fake", "-v", "c"])
    copy = tmp_path / "cib.xml"
    shutil.copy(cluster.path, copy)
    env = {k: v for k, v in os.environ.items() if k != "CIB_file"}
    done = subprocess.run(["/usr/sbin/crm_simulate", "-S", "-x", str(copy)], capture_output=True, text=True,
                          timeout=60, env=env, check=False)
    after = done.stdout.split("Transition Summary:\n")[1]
    assert after.startswith("\nExecuting Cluster Transition:"), after


def test_revoking_a_ticket_stops_what_needs_it(cluster) -> None:  # type: ignore[no-untyped-def]
    _setup('<rsc_ticket id="vm-needs-tA" rsc="vm" ticket="tA" loss-policy="stop"/>')
    assert _where(cluster) == []
    assert run(["crm_ticket", "-t", "tA", "-g"])[0] == 4  # needs --force
    assert _where(cluster) == []
    assert run(["crm_ticket", "-t", "tA", "-g", "--force"])[0] == 0
    assert _where(cluster) == ["srv01"]
    rc, out, _ = run(["crm_mon", "-1", "--tickets"])
    assert rc == 0 and re.search(r'\nTickets:\n  \* tA: granted last-granted="\w{3} \w{3} [ \d]\d [\d:]{8} \d{4}"\n$', out)
    assert run(["crm_ticket", "-t", "tA", "-s"])[0] == 0  # standby: a graceful stop
    assert _where(cluster) == []
    assert run(["crm_ticket", "-t", "tA", "-a"])[0] == 0
    assert _where(cluster) == ["srv01"]
    assert run(["crm_ticket", "-t", "tA", "-r", "--force"])[0] == 0
    assert _where(cluster) == []
    state = cluster.read().status.tickets["tA"]
    assert not state.granted and state.last_granted is not None
