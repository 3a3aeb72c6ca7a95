"""The installed commands are the plain scripts of ``bin/``, one per entry of
``crmsh_py.scripts.COMMANDS`` (not entry points: pip's wrappers import ``re``, issue 16)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crmsh_py.scripts import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "bin"


def test_bin_holds_one_script_per_command_and_nothing_else() -> None:
    assert sorted(p.name for p in BIN.iterdir()) == sorted(COMMANDS)
    for name in COMMANDS:
        script = BIN / name
        assert script.read_text() == f'#!/usr/bin/env python3\nfrom crmsh_py.scripts import run\nrun("{name}")\n'
        assert script.stat().st_mode & 0o111, f"{name} is not executable"


def test_every_command_names_a_function_that_exists() -> None:
    for name, (module, function) in COMMANDS.items():
        __import__(module)
        assert callable(getattr(sys.modules[module], function)), name


def test_pyproject_declares_no_entry_points_beside_the_scripts() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert "[project.scripts]" not in text and "console_scripts" not in text


def test_a_script_runs_its_command_and_exits_with_its_status(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "CRM_CLUSTER_DIR": str(tmp_path / "cluster"),
           "XDG_CONFIG_HOME": str(tmp_path), "CRM_SYSLOG_SOCKET": str(tmp_path / "no-syslog")}
    version = subprocess.run([sys.executable, str(BIN / "crm"), "--version"], env=env, capture_output=True,
                             text=True, timeout=60, check=False)
    assert (version.returncode, version.stdout) == (0, "crmsh_py 0.1.0\n"), version.stderr
    wrong = subprocess.run([sys.executable, str(BIN / "crm_resource"), "--no-such-option"], env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
