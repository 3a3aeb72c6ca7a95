"""``crm report`` and ``crm history`` on a real cluster collect every node's log and transition
inputs over SSH: against a real sshd on 127.0.0.1/127.0.0.2 (the CIB's nodes are named by those
addresses), with Pacemaker's cibadmin reading an offline CIB."""

from __future__ import annotations

import bz2
import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from crmsh_py.lowlevel import crm_history, crm_report
from crmsh_py.lowlevel.toolio import ToolIO

CIBADMIN = Path("/usr/sbin/cibadmin")
pytestmark = pytest.mark.skipif(not CIBADMIN.exists(), reason="pacemaker-cli-utils not installed "
                                "(apt-get install pacemaker-cli-utils)")

LOG = """Nov 29 03:09:30 {dc} pacemaker-schedulerd[42] notice: Calculated transition 3, saving inputs in {pe}/pe-input-3.bz2
Nov 29 03:09:30 {dc} pacemaker-controld[43] notice: Initiating start operation dummy_start_0 on {dc}
Nov 29 03:09:31 {dc} pacemaker-controld[43] notice: Result of start operation for dummy on {dc}: ok
Nov 29 03:09:31 {dc} pacemaker-controld[43] notice: Transition 3 (Complete=1, Pending=0, Fired=0, Skipped=0, Incomplete=0, Source={pe}/pe-input-3.bz2): Complete
"""


def _tool(run, argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    tool_io = ToolIO(io.StringIO(""), io.StringIO(), io.StringIO(), env)
    rc = run(argv, tool_io)
    return rc, tool_io.stdout.getvalue(), tool_io.stderr.getvalue()  # type: ignore[attr-defined]


@pytest.fixture
def cluster_files(ssh_server, tmp_path: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A CIB naming nodes 127.0.0.1 and 127.0.0.2, a Pacemaker log and a pengine directory (the
    same files on both 'nodes': one machine), and the environment pointing the tools at them."""
    cib = tmp_path / "cib.xml"
    cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout)
    env = {"CIB_file": str(cib), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "CRM_SYSLOG_SOCKET": str(tmp_path / "none")}
    for number, node in enumerate(("127.0.0.1", "127.0.0.2"), 1):
        subprocess.run([str(CIBADMIN), "-C", "-o", "nodes", "-X", f'<node id="{number}" uname="{node}"/>'],
                       env=env, check=True, capture_output=True)
    pe = tmp_path / "pengine"
    pe.mkdir()
    (pe / "pe-input-3.bz2").write_bytes(bz2.compress(cib.read_bytes()))
    log = tmp_path / "pacemaker.log"
    log.write_text(LOG.format(dc="127.0.0.1", pe=pe))
    env.update(CRM_PACEMAKER_LOG=str(log), CRM_PENGINE_DIR=str(pe), CRM_SSH_PORT=str(ssh_server.port),
               CRM_SSH_KEY=str(ssh_server.client_key), CRM_SSH_USER=ssh_server.user,
               CRM_SSH_KNOWN_HOSTS=str(ssh_server.known_hosts(tmp_path / "known_hosts")),
               CRM_SSH_CONNECT_TIMEOUT="5")
    return env


def test_report_has_every_nodes_log_and_inputs(cluster_files: dict[str, str], tmp_path: Path) -> None:
    rc, out, err = _tool(crm_report.run, ["--live", "pacemaker", "--dest", str(tmp_path / "rep")], cluster_files)
    assert rc == 0, err
    assert out.startswith("Report saved in ")
    with tarfile.open(tmp_path / "rep.tar.bz2") as archive:
        names = set(archive.getnames())
        for node in ("127.0.0.1", "127.0.0.2"):
            assert f"rep/{node}/pengine/pe-input-3.bz2" in names
            log = archive.extractfile(f"rep/{node}/ha-log.txt")
            assert log is not None and b"Calculated transition 3" in log.read()
    rc, out, err = _tool(crm_history.run, ["--source", str(tmp_path / "rep.tar.bz2"), "--", "info"], cluster_files)
    assert rc == 0, err
    assert "Nodes: 127.0.0.1 127.0.0.2" in out
    assert out.rstrip().endswith("Transitions: 3")


def test_an_unreachable_node_is_named_and_the_others_collected(cluster_files: dict[str, str], tmp_path: Path) -> None:
    subprocess.run([str(CIBADMIN), "-C", "-o", "nodes", "-X", '<node id="3" uname="127.0.0.3"/>'],
                   env=cluster_files, check=True, capture_output=True)
    rc, _, err = _tool(crm_report.run, ["--live", "pacemaker", str(tmp_path / "rep")], cluster_files)
    assert rc == 0, err
    assert "crm_report: warning: not collected from 127.0.0.3: " in err
    with tarfile.open(tmp_path / "rep.tar.bz2") as archive:
        description = archive.extractfile("rep/description.txt")
        assert description is not None
        assert "Not collected: 127.0.0.3: " in description.read().decode()
        assert "rep/127.0.0.2/pengine/pe-input-3.bz2" in archive.getnames()


def test_history_live_reads_every_node(cluster_files: dict[str, str]) -> None:
    rc, out, err = _tool(crm_history.run, ["--live", "pacemaker", "--", "info"], cluster_files)
    assert rc == 0, err
    assert "Nodes: 127.0.0.1 127.0.0.2" in out
    rc, out, err = _tool(crm_history.run, ["--live", "pacemaker", "--", "transition", "3", "log"], cluster_files)
    assert rc == 0, err
    assert "Initiating start operation dummy_start_0 on 127.0.0.1" in out


def test_a_host_key_not_known_is_refused(cluster_files: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "empty_known_hosts").write_text("")
    env = {**cluster_files, "CRM_SSH_KNOWN_HOSTS": str(tmp_path / "empty_known_hosts")}
    rc, _, err = _tool(crm_report.run, ["--live", "pacemaker", str(tmp_path / "rep")], env)
    assert rc == 0  # the report is made (this machine's CIB and tools), without the nodes' files
    assert "not collected from 127.0.0.1: " in err and "Host key verification failed" in err
