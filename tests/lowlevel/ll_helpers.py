"""Shared bits of helper F's low-level tool tests: load tests/engine/engine_fixtures.py by path."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "engine_fixtures", Path(__file__).resolve().parent.parent / "engine" / "engine_fixtures.py")
assert _spec is not None and _spec.loader is not None
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
run = fixtures.run

SBIN = Path("/usr/sbin")
HAVE_REAL = (SBIN / "cibadmin").exists() and (SBIN / "crm_attribute").exists()
REASON = "needs Debian's pacemaker-cli-utils in /usr/sbin"


def real(argv: list[str], cib: Path) -> tuple[int, str, str]:
    """Run the real Pacemaker tool on ``cib`` (CIB_file), with /usr/sbin first in PATH (its shell
    wrappers call crm_attribute)."""
    env = dict(os.environ, CIB_file=str(cib), PATH=f"/usr/sbin:{os.environ.get('PATH', '')}")
    proc = subprocess.run([str(SBIN / argv[0]), *argv[1:]], env=env, capture_output=True, text=True, timeout=30)
    return proc.returncode, proc.stdout, proc.stderr


def ours(argv: list[str], cib: Path) -> tuple[int, str, str]:
    """Run our tool in-process on ``cib`` (CIB_file)."""
    return run(argv, dict(os.environ, CIB_file=str(cib)))


def twin_cibs(tmp_path: Path, source: Path) -> tuple[Path, Path]:
    """Two copies of a CIB file, one for the real tool and one for ours."""
    a, b = tmp_path / "real" / "cib.xml", tmp_path / "ours" / "cib.xml"
    for p in (a, b):
        p.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, p)
    return a, b
