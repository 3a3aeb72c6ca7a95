"""Helpers for the integration tests: run our crm, run Pacemaker's real tools."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


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
