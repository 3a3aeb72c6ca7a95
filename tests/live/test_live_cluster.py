"""Our ``crm`` next to crmsh 4.4.1 on a real single-node corosync + Pacemaker 2.1.5 cluster.

The cluster (``livecluster.LiveCluster``) is started once for this module as root on 127.0.0.1 and
stopped by PID at the end, with /etc/corosync and /var/lib/pacemaker put back as they were.  Where
that cannot happen (not root, packages missing, a cluster already running here) every test skips
with the reason.  Each test starts from an empty configuration.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from live_helpers import (
    Ran,
    cib,
    crmsh,
    element_xml,
    live_env,
    our_bindir,
    ours,
    reset,
    running,
    status_lines,
    tool,
    wait_for,
)
from livecluster import ClusterUnavailable, LiveCluster

NODE = os.uname().nodename
SETTLE_S = 60.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[LiveCluster]:
    """The running cluster (skips the module, with the reason, when it cannot run here)."""
    if not Path("/usr/sbin/crm").exists():
        pytest.skip("crmsh is not installed (apt-get install crmsh)")
    live = LiveCluster()
    if os.environ.get("CRM_LIVE_USE_RUNNING") == "1":
        # A developer's throw-away cluster that already runs: used as is (and its configuration
        # wiped by every test), neither started nor stopped here.
        yield live
        return
    try:
        live.start()
    except ClusterUnavailable as why:
        pytest.skip(f"no live Pacemaker cluster here: {why}")
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def env(cluster: LiveCluster, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A clean configuration and the environment for both shells."""
    environment = live_env(tmp_path)
    reset(environment, lambda: cluster.wait_idle(SETTLE_S))
    yield environment


def _ok(ran: Ran) -> Ran:
    assert ran.rc == 0, f"rc={ran.rc}\nstdout:\n{ran.out}\nstderr:\n{ran.err}"
    return ran


def _settle(cluster: LiveCluster) -> None:
    cluster.wait_idle(SETTLE_S)


# ---------------------------------------------------------------------- detection and hand-over


def test_the_live_cluster_is_found_without_flags(env: dict[str, str]) -> None:
    status = _ok(ours(env, "status"))
    assert status.out.splitlines()[0] == "Backend: pacemaker (local)"
    assert "INFO" not in status.err
    assert f"Current DC: {NODE}" in status.out


def test_our_tools_hand_over_to_pacemakers(env: dict[str, str], tmp_path: Path) -> None:
    if our_bindir() is None:
        pytest.skip("our console scripts are not installed (pip install -e .)")
    ours_dc = _ok(Ran(*_script(env, "crmadmin", "-D")))
    real_dc = _ok(tool(env, "crmadmin", "-D"))
    assert ours_dc.out == real_dc.out == f"Designated Controller is: {NODE}\n"
    mon = _script(env, "crm_mon", "-1")
    assert mon[0] == 0 and "Stack: corosync" in mon[1]
    bad = _script(env, "crm_resource", "--locate", "-r", "no-such-resource")
    real_bad = tool(env, "crm_resource", "--locate", "-r", "no-such-resource")
    assert bad[0] == real_bad.rc != 0
    # read-only commands on a real cluster leave no bundled cluster behind
    assert not (tmp_path / "state" / "crmsh_py").exists()


def _script(env: dict[str, str], name: str, *args: str) -> tuple[int, str, str]:
    import subprocess

    done = subprocess.run([str(Path(our_bindir() or "") / name), *args], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    return done.returncode, done.stdout, done.stderr


# ---------------------------------------------------------------------- status and show


def test_status_is_crmshs_with_inactive_resources(env: dict[str, str], cluster: LiveCluster) -> None:
    _ok(ours(env, "configure", "primitive", "run1", "Dummy", "op", "monitor", "interval=10s"))
    _ok(ours(env, "configure", "primitive", "off1", "Dummy", "meta", "target-role=Stopped"))
    _settle(cluster)
    mine, theirs = _ok(ours(env, "status")), _ok(crmsh(env, "status"))
    assert status_lines(mine.out) == status_lines(theirs.out)
    assert f"  * run1\t(ocf:heartbeat:Dummy):\t Started {NODE}" in mine.out.splitlines()
    assert "  * off1\t(ocf:heartbeat:Dummy):\t Stopped (disabled)" in mine.out.splitlines()


def test_configure_show_and_show_xml_are_crmshs(env: dict[str, str]) -> None:
    _ok(ours(env, "configure", "primitive", "d1", "Dummy", "params", "fake=1", "op", "monitor", "interval=10s"))
    _ok(ours(env, "configure", "location", "l1", "d1", "100:", NODE))
    for args in (["configure", "show"], ["configure", "show", "xml"], ["configure", "show", "xml", "d1"],
                 ["configure", "show", "d1"]):
        assert _ok(ours(env, *args)).out == _ok(crmsh(env, *args)).out, args
    assert _ok(ours(env, "configure", "show", "xml")).out.startswith('<?xml version="1.0" ?>\n<cib ')


def test_save_xml_can_be_loaded_back(env: dict[str, str], tmp_path: Path) -> None:
    _ok(ours(env, "configure", "primitive", "d1", "Dummy"))
    saved = tmp_path / "saved.xml"
    _ok(ours(env, "configure", "save", "xml", str(saved)))
    _ok(crmsh(env, "configure", "save", "xml", str(tmp_path / "crmsh.xml")))
    assert saved.read_text() == (tmp_path / "crmsh.xml").read_text()
    verdict = tool(env, "crm_verify", "--xml-file", str(saved))
    assert verdict.rc == 0, verdict.err


# ---------------------------------------------------------------------- create, delete, move


def test_primitive_create_and_delete_like_crmsh(env: dict[str, str], cluster: LiveCluster) -> None:
    _ok(ours(env, "configure", "primitive", "pa", "Dummy", "op", "monitor", "interval=10s", "timeout=20s"))
    _ok(crmsh(env, "configure", "primitive", "pb", "Dummy", "op", "monitor", "interval=10s", "timeout=20s"))
    root = cib(env)
    a = root.find("configuration/resources/primitive[@id='pa']")
    b = root.find("configuration/resources/primitive[@id='pb']")
    assert element_xml(a, ("pa", "pb")) == element_xml(b)
    wait_for(lambda: running(env, "pa") and running(env, "pb"), SETTLE_S, "pa and pb to start")
    # a running resource is not deleted, by either shell, and nothing changes
    mine, theirs = ours(env, "configure", "delete", "pa"), crmsh(env, "configure", "delete", "pb")
    assert mine.rc == theirs.rc == 1
    assert "resource pa is running, can't delete it" in mine.err
    assert "resource pb is running, can't delete it" in theirs.err
    assert cib(env).find("configuration/resources/primitive[@id='pa']") is not None
    # forced: stopped first, then deleted
    _ok(ours(env, "configure", "delete", "--force", "pa"))
    _ok(crmsh(env, "configure", "delete", "--force", "pb"))
    assert cib(env).find("configuration/resources/primitive") is None
    _settle(cluster)
    assert "ORPHANED" not in _ok(ours(env, "status")).out


def test_move_and_unmove_with_ext_lines(env: dict[str, str], cluster: LiveCluster) -> None:
    for name in ("ma", "mb"):
        _ok(ours(env, "configure", "primitive", name, "Dummy"))
    moved = _ok(ours(env, "-R", "resource", "move", "ma", NODE, "force"))
    assert f".EXT crm_resource -M -r 'ma' --node='{NODE}' --force" in moved.out.splitlines()
    _ok(crmsh(env, "resource", "move", "mb", NODE, "force"))
    constraints = cib(env).find("configuration/constraints")
    assert constraints is not None
    assert element_xml(constraints.find("rsc_location[@rsc='ma']"), ("ma", "mb")) == \
        element_xml(constraints.find("rsc_location[@rsc='mb']"))
    cleared = _ok(ours(env, "-R", "resource", "unmove", "ma"))
    assert ".EXT crm_resource -U -r 'ma'" in cleared.out.splitlines()
    _ok(crmsh(env, "resource", "unmove", "mb"))
    assert list(cib(env).find("configuration/constraints") or ()) == []


# ---------------------------------------------------------------------- stop, start, restart, nodes


def _last_op(env: dict[str, str], rsc: str) -> tuple[str, int]:
    op = cib(env).find(f"status//lrm_resource[@id='{rsc}']/lrm_rsc_op[@id='{rsc}_last_0']")
    assert op is not None
    return op.get("operation", ""), int(op.get("call-id", "0"))


def test_stop_start_restart(env: dict[str, str], cluster: LiveCluster) -> None:
    _ok(ours(env, "configure", "primitive", "sa", "Dummy"))
    _ok(crmsh(env, "configure", "primitive", "sb", "Dummy"))
    wait_for(lambda: running(env, "sa"), SETTLE_S, "sa to start")
    _ok(ours(env, "resource", "stop", "sa"))
    _ok(crmsh(env, "resource", "stop", "sb"))
    wait_for(lambda: not running(env, "sa") and not running(env, "sb"), SETTLE_S, "sa and sb to stop")
    root = cib(env)
    assert element_xml(root.find("configuration/resources/primitive[@id='sa']"), ("sa", "sb")) == \
        element_xml(root.find("configuration/resources/primitive[@id='sb']"))
    _ok(ours(env, "resource", "start", "sa"))
    wait_for(lambda: running(env, "sa"), SETTLE_S, "sa to start again")
    _settle(cluster)
    before = _last_op(env, "sa")
    restarted = _ok(ours(env, "resource", "restart", "sa"))
    # restart returned only after the stop had happened and the start was ordered
    assert restarted.err.splitlines()[0] == "INFO: ordering sa to stop"
    assert restarted.err.splitlines()[-1] == "INFO: ordering sa to start"
    wait_for(lambda: running(env, "sa"), SETTLE_S, "sa to run after the restart")
    _settle(cluster)
    after = _last_op(env, "sa")
    assert after[0] == "start" and after[1] > before[1] + 1  # a stop and a new start in between


def test_standby_and_online(env: dict[str, str], cluster: LiveCluster) -> None:
    _ok(ours(env, "node", "standby", NODE))
    nodes_ours = element_xml(cib(env).find("configuration/nodes"))
    assert f"Node {NODE}: standby" in _ok(ours(env, "status")).out
    _ok(ours(env, "node", "online", NODE))
    online_ours = element_xml(cib(env).find("configuration/nodes"))
    _ok(crmsh(env, "node", "standby", NODE))
    assert element_xml(cib(env).find("configuration/nodes")) == nodes_ours
    _ok(crmsh(env, "node", "online", NODE))
    assert element_xml(cib(env).find("configuration/nodes")) == online_ours
    assert "standby" not in _ok(ours(env, "status")).out.split("Node List:")[1].split("\n\n")[0]


def test_ra_list_and_info(env: dict[str, str]) -> None:
    # crmsh's own `ra list` takes 45 s here (it reads every agent's meta-data); Pacemaker's list is
    # the same set (checked once by hand) and costs nothing
    mine = _ok(ours(env, "ra", "list", "ocf", "heartbeat"))
    theirs = _ok(tool(env, "crm_resource", "--list-agents", "ocf:heartbeat"))
    assert sorted(mine.out.split()) == sorted(theirs.out.split())
    assert "Dummy" in mine.out.split()
    info = _ok(ours(env, "ra", "info", "ocf:heartbeat:Dummy")).out
    ref = _ok(crmsh(env, "ra", "info", "ocf:heartbeat:Dummy")).out
    assert info.splitlines()[0] == ref.splitlines()[0]
    params = [line.split(" ")[0] for line in ref.split("Parameters (*: required, []: default):")[1]
              .split("Operations' defaults")[0].splitlines() if line and not line.startswith(" ")]
    for name in params:
        assert f"\n{name} (" in info, name


# ---------------------------------------------------------------------- load, batch, commit


LOAD = """primitive web Dummy \\
\top monitor interval=10s timeout=20s
primitive db Dummy \\
\tmeta target-role=Stopped
colocation web-with-db inf: web db
order db-before-web Mandatory: db web
"""


def test_load_update_gives_the_cib_crmsh_gives(env: dict[str, str], cluster: LiveCluster, tmp_path: Path) -> None:
    crm_file = tmp_path / "load.crm"
    crm_file.write_text(LOAD)
    _ok(ours(env, "configure", "load", "update", str(crm_file)))
    shown_after_ours = _ok(crmsh(env, "configure", "show")).out
    reset(env, lambda: _settle(cluster))
    _ok(crmsh(env, "configure", "load", "update", str(crm_file)))
    assert _ok(crmsh(env, "configure", "show")).out == shown_after_ours


def test_a_batch_file_with_commit(env: dict[str, str], cluster: LiveCluster, tmp_path: Path) -> None:
    batch = tmp_path / "setup.crm"
    batch.write_text("configure\nprimitive b1 Dummy\nprimitive b2 Dummy\ngroup g1 b1 b2\ncommit\nend\n"
                     "resource stop g1\n")
    _ok(ours(env, "-f", str(batch)))
    shown = _ok(crmsh(env, "configure", "show", "g1")).out
    assert shown.startswith("group g1 b1 b2")
    assert "target-role=Stopped" in shown


def test_edit_in_a_batch_is_refused_as_crmsh_refuses(env: dict[str, str]) -> None:
    _ok(ours(env, "configure", "primitive", "e1", "Dummy"))
    env = {**env, "EDITOR": "true"}
    mine, theirs = ours(env, "configure", "edit", "e1"), crmsh(env, "configure", "edit", "e1")
    assert mine.rc == theirs.rc == 1
    assert "edit not allowed in batch mode" in mine.err
    assert "edit not allowed in batch mode" in theirs.out + theirs.err


# ---------------------------------------------------------------------- failures


def test_a_monitor_failure_and_recovery_then_cleanup(env: dict[str, str], cluster: LiveCluster,
                                                     tmp_path: Path) -> None:
    state = tmp_path / "f1.state"
    _ok(ours(env, "configure", "primitive", "f1", "Dummy", "params", f"state={state}",
             "op", "monitor", "interval=2s", "timeout=20s"))
    wait_for(state.exists, SETTLE_S, "f1 to start (its state file)")
    state.unlink()
    wait_for(lambda: "Failed Resource Actions:" in ours(env, "status").out, 30, "the monitor failure")
    wait_for(state.exists, SETTLE_S, "f1 to be recovered (restarted)")
    _settle(cluster)
    mine, theirs = _ok(ours(env, "status")), _ok(crmsh(env, "status"))
    assert status_lines(mine.out) == status_lines(theirs.out)
    assert f"  * f1\t(ocf:heartbeat:Dummy):\t Started {NODE}" in mine.out.splitlines()
    assert any(line.startswith(f"  * f1 2s-interval monitor on {NODE} returned 'not running'")
               for line in mine.out.splitlines())
    cleaned = _ok(ours(env, "resource", "cleanup", "f1"))
    assert f"Cleaned up f1 on {NODE}" in cleaned.out
    _settle(cluster)
    assert "Failed Resource Actions:" not in _ok(ours(env, "status")).out


# ---------------------------------------------------------------------- the REPL


def test_repl_prompt_and_a_commit_refused_because_the_cib_changed(env: dict[str, str]) -> None:
    pexpect = pytest.importorskip("pexpect")
    term = {**env, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
    prompts = []
    for argv in ([sys.executable, "-m", "crmsh_py.cli"], ["/usr/sbin/crm"]):
        child = pexpect.spawn(argv[0], argv[1:], env=term, encoding="utf-8", timeout=60, dimensions=(40, 120))
        try:
            child.expect_exact(f"crm(live/{NODE})#")
            prompts.append(child.after)
            child.send("configure\r")
            child.expect_exact(f"crm(live/{NODE})configure#")
            if argv[0] == sys.executable:
                child.send("primitive r1 Dummy\r")
                child.expect_exact(f"crm(live/{NODE})configure#")
                # someone else changes the configuration meanwhile
                _ok(tool(env, "crm_attribute", "-t", "crm_config", "-n", "cluster-recheck-interval", "-v", "5m"))
                child.send("commit\r")
                child.expect("the CIB changed since this working copy was taken")
                child.expect_exact(f"crm(live/{NODE})configure#")
                child.send("refresh\r")
                child.expect_exact("(y/n)")
                child.send("y\r")
                child.expect_exact(f"crm(live/{NODE})configure#")
            child.send("quit\r")
            child.expect(pexpect.EOF)
        finally:
            child.close(force=True)
    assert prompts == [f"crm(live/{NODE})#"] * 2  # crmsh's prompt, ours the same
    assert cib(env).find("configuration/resources/primitive[@id='r1']") is None
    tool(env, "crm_attribute", "-t", "crm_config", "-n", "cluster-recheck-interval", "-D")


# ---------------------------------------------------------------------- history and report


def test_report_and_history_read_the_nodes_inputs_and_log(env: dict[str, str], cluster: LiveCluster,
                                                          tmp_path: Path) -> None:
    import tarfile

    env = {**env, "CRM_PACEMAKER_LOG": str(cluster.workdir / "pacemaker.log"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    _ok(ours(env, "configure", "primitive", "hist", "Dummy"))
    wait_for(lambda: running(env, "hist"), SETTLE_S, "hist to start")
    _settle(cluster)
    made = _ok(ours(env, "report", "--dest", str(tmp_path / "rep")))
    assert "Report saved in" in made.out
    with tarfile.open(tmp_path / "rep.tar.bz2") as archive:
        names = archive.getnames()
        assert any(n.startswith(f"rep/{NODE}/pengine/pe-input-") for n in names), names
        log = archive.extractfile(f"rep/{NODE}/ha-log.txt")
        assert log is not None and b"Calculated transition" in log.read()
    info = _ok(ours(env, "history", stdin="source " + str(tmp_path / "rep.tar.bz2") + "\ninfo\nresource hist\n"))
    transitions = info.out.split("Transitions:", 1)[1].split("\n", 1)[0].split()
    assert transitions, info.out
    assert "Initiating start operation hist_start_0" in info.out.split("Transitions:", 1)[1]  # `resource hist`
    live = _ok(ours(env, "history", stdin="info\n"))
    assert f"Nodes: {NODE}" in live.out
