"""Running the crm shell as a user would, against Pacemaker's real tools on a temp CIB file."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CIBADMIN = Path("/usr/sbin/cibadmin")
CRM_TIMEOUT_S = 60


@dataclass
class CrmRun:
    """Result of one ``crm`` invocation."""

    rc: int
    stdout: str
    stderr: str


def run_crm(args: list[str], env: dict[str, str], stdin: str | None = None) -> CrmRun:
    """Run our ``crm`` (this checkout's, whatever PATH says) and capture everything."""
    done = subprocess.run([sys.executable, "-m", "crmsh_py.cli", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=CRM_TIMEOUT_S, check=False)
    return CrmRun(done.returncode, done.stdout, done.stderr)


def real_tool(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one of Pacemaker's own tools from /usr/sbin."""
    return subprocess.run([f"/usr/sbin/{argv[0]}", *argv[1:]], env=env, capture_output=True, text=True,
                          timeout=CRM_TIMEOUT_S, check=False)


@pytest.fixture
def pcmk_cib(tmp_path: Path) -> Path:
    """A CIB file made by the real ``cibadmin --empty``, with two nodes (srv01, srv02)."""
    if not CIBADMIN.exists():
        pytest.skip("pacemaker-cli-utils not installed (apt-get install pacemaker-cli-utils)")
    cib = tmp_path / "cib.xml"
    cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True,
                                  check=True).stdout)
    env = dict(os.environ, CIB_file=str(cib))
    for node_id, name in (("1", "srv01"), ("2", "srv02")):
        subprocess.run([str(CIBADMIN), "-C", "-o", "nodes", "-X", f'<node id="{node_id}" uname="{name}"/>'],
                       env=env, check=True, capture_output=True)
    return cib


@pytest.fixture
def pcmk_env(pcmk_cib: Path) -> dict[str, str]:
    """Environment for ``crm --backend pacemaker`` on the temp CIB."""
    env = dict(os.environ, CIB_file=str(pcmk_cib))
    return env
