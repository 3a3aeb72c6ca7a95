"""Pacemaker's own tools (and crmsh 4.4.1's ``crm``) from /usr/sbin: the oracles our tools are
compared with.  Always called by full path (our venv's ``crm`` shadows crmsh's on PATH)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SBIN = Path("/usr/sbin")
MISSING = "needs Debian's pacemaker-cli-utils in /usr/sbin (apt-get install pacemaker-cli-utils)"
# only a hang reaches this
TIMEOUT_S = 60


def path(name: str) -> Path:
    """The reference tool ``name``'s full path."""
    return SBIN / name


def have(*names: str) -> bool:
    """True when every named reference tool is installed."""
    return all(shutil.which(name, path=str(SBIN)) is not None for name in names)


def need(*names: str) -> None:
    """Skip the calling test, with the reason, unless every named tool is installed."""
    if not have(*names):
        pytest.skip(MISSING)


def run(argv: list[str], cib: Path | None = None, env: dict[str, str] | None = None,
        timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """Run ``/usr/sbin/ARGV[0] ARGV[1:]``.  Without ``env``: a small C-locale environment with /usr/sbin
    first in PATH (the shell wrappers, crm_standby and crm_failcount, call crm_attribute); ``cib``
    sets ``CIB_file``."""
    environ = {"PATH": "/usr/sbin:/usr/bin:/bin", "LC_ALL": "C"} if env is None else dict(env)
    if cib is not None:
        environ["CIB_file"] = str(cib)
    return subprocess.run([str(SBIN / argv[0]), *argv[1:]], env=environ, capture_output=True, text=True,
                          timeout=timeout, check=False)


def run_on(argv: list[str], cib: Path | None = None) -> tuple[int, str, str]:
    """:func:`run` as ``(rc, stdout, stderr)``, the shape :func:`support.ours.tool_on` returns."""
    done = run(argv, cib)
    return done.returncode, done.stdout, done.stderr


def inherited_env(**extra: str) -> dict[str, str]:
    """The test's environment with /usr/sbin first in PATH, plus ``extra``."""
    return dict(os.environ, PATH=f"/usr/sbin:{os.environ.get('PATH', '')}", **extra)
