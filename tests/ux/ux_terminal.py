"""Helpers for the issue 17 tests: a bundled cluster in a temp dir and crm in a real pseudo-terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from support.ours import crm_process

SETUP = """configure
property stonith-enabled=false
primitive d1 ocf:heartbeat:Dummy op monitor interval=10s meta target-role=Started
primitive d2 ocf:heartbeat:Dummy meta target-role=Stopped
location l1 d1 100: srv01
commit
"""


def crm_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A hermetic environment: our own cluster dir, config and history; no CIB_file, no NO_COLOR."""
    env = {k: v for k, v in os.environ.items() if k not in ("CIB_file", "NO_COLOR", "PAGER", "CRM_BACKEND")}
    env.update({"CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
                "XDG_STATE_HOME": str(tmp_path / "state"), "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
                "CRM_SYSLOG_SOCKET": str(tmp_path / "nosock")})
    env.update(extra)
    return env


def crm(env: dict[str, str], line: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """A one-shot ``crm LINE`` with its output piped (not a terminal)."""
    return crm_process(env, "--backend", "bundled", *line.split(), stdin=stdin)


def make_cluster(env: dict[str, str]) -> None:
    """The small cluster every terminal test looks at (d1 running on srv01, d2 stopped)."""
    done = crm(env, "-f -", stdin=SETUP)  # one batch: one start-up, one commit
    assert done.returncode == 0, done.stderr


def spawn(env: dict[str, str], *args: str, rows: int = 40, cols: int = 120) -> Any:
    """crm in a pseudo-terminal (pexpect), interactive unless ``args`` give a one-shot."""
    import pexpect

    return pexpect.spawn(sys.executable, ["-m", "crmsh_py.cli", "--backend", "bundled", *args], env=env,
                         encoding="utf-8", timeout=90, dimensions=(rows, cols))
