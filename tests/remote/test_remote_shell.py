"""``crm -H HOST``: the shell on a node over SSH (real sshd on loopback, real Pacemaker tools there)."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CIBADMIN = Path("/usr/sbin/cibadmin")


@pytest.fixture
def far_cib(tmp_path: Path) -> Path:
    """An empty CIB on the far side (the same machine) with nodes named by loopback addresses."""
    if not CIBADMIN.exists():
        pytest.skip("pacemaker-cli-utils not installed (apt-get install pacemaker-cli-utils)")
    cib = tmp_path / "cib.xml"
    cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout)
    env = dict(os.environ, CIB_file=str(cib))
    for node_id, name in (("1", "127.0.0.1"), ("2", "127.0.0.2")):
        subprocess.run([str(CIBADMIN), "-C", "-o", "nodes", "-X", f'<node id="{node_id}" uname="{name}"/>'],
                       env=env, check=True, capture_output=True)
    return cib


def _crm(server, tmp_path: Path, cib: Path, *words: str) -> subprocess.CompletedProcess[str]:
    known = server.known_hosts(tmp_path / "known_hosts")
    args = [sys.executable, "-m", "crmsh_py.cli", "-H", f"{server.user}@127.0.0.1",
            "-o", f"ssh-port={server.port}", "-o", f"ssh-key={server.client_key}",
            "-o", f"ssh-known-hosts={known}", *words]
    env = dict(os.environ, CIB_file=str(cib))
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_move_over_ssh_changes_the_far_cib(ssh_server, tmp_path: Path, far_cib: Path) -> None:
    loaded = _crm(ssh_server, tmp_path, far_cib, "-F", "configure", "load", "update", str(ROOT / "examples/demo.crm"))
    assert loaded.returncode == 0, loaded.stderr
    moved = _crm(ssh_server, tmp_path, far_cib, "-R", "resource", "move", "dummy", "127.0.0.2", "force")
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.splitlines()[0] == ".EXT crm_resource -M -r 'dummy' --node='127.0.0.2' --force"
    constraints = ET.fromstring(far_cib.read_text()).find("configuration/constraints")
    prefer = constraints.find("rsc_location[@id='cli-prefer-dummy']")
    assert prefer is not None and prefer.get("node") == "127.0.0.2"


def test_status_header_names_the_remote_node(ssh_server, tmp_path: Path, far_cib: Path) -> None:
    status = _crm(ssh_server, tmp_path, far_cib, "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[0] == f"Backend: pacemaker ({ssh_server.user}@127.0.0.1:{ssh_server.port})"


def test_cluster_run_over_ssh_on_every_node(ssh_server, tmp_path: Path, far_cib: Path) -> None:
    ran = _crm(ssh_server, tmp_path, far_cib, "cluster", "run", "echo $SSH_CONNECTION | cut -d' ' -f3")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "[127.0.0.1] exit 0\n127.0.0.1\n[127.0.0.2] exit 0\n127.0.0.2\n"
    one = _crm(ssh_server, tmp_path, far_cib, "cluster", "run", "exit 4", "127.0.0.2")
    assert one.returncode == 1
    assert one.stdout == "[127.0.0.2] exit 4\n"
    assert "failed on 127.0.0.2" in one.stderr


def test_unknown_host_key_refused_through_the_shell(ssh_server, tmp_path: Path, far_cib: Path) -> None:
    empty = tmp_path / "empty_known"
    empty.write_text("")
    before = far_cib.read_text()
    args = [sys.executable, "-m", "crmsh_py.cli", "-H", "127.0.0.1", "-o", f"ssh-port={ssh_server.port}",
            "-o", f"ssh-key={ssh_server.client_key}", "-o", f"ssh-known-hosts={empty}",
            "resource", "move", "dummy", "127.0.0.2", "force"]
    done = subprocess.run(args, env=dict(os.environ, CIB_file=str(far_cib)), capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert "unknown host key: refusing to connect" in done.stderr
    assert "Traceback" not in done.stderr
    assert far_cib.read_text() == before
