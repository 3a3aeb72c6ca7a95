"""Our console scripts step aside for Pacemaker's tools: exec with the same argv and exit code.

Pacemaker's bindir is replaced by stand-in scripts (``CRM_PACEMAKER_BINDIR``) that print their
argv and exit with a code of their own, so the tests see exactly what was handed over.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from crmsh_py.lowlevel.registry import tool_names

STAND_IN = """#!/bin/sh
echo "pacemaker's $(basename "$0") got:"
for a in "$@"; do echo "[$a]"; done
echo "CIB_file=$CIB_file"
exit 42
"""


@pytest.fixture
def fake_pacemaker(tmp_path: Path) -> Path:
    """A bindir with a stand-in for each of Pacemaker's tools we shadow."""
    bindir = tmp_path / "sbin"
    bindir.mkdir()
    for name in tool_names():
        (bindir / name).write_text(STAND_IN)
        (bindir / name).chmod(0o755)
    return bindir


def _script(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"the {name} console script is not installed (pip install -e .)")
    return found


def _run(name: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_script(name), *args], env=env, capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.parametrize("name", ["crm_mon", "crmadmin", "crm_resource", "cibadmin", "crm_attribute",
                                  "crm_node", "crm_verify", "crm_simulate", "stonith_admin",
                                  "crm_failcount", "crm_standby", "crm_ticket"])
def test_on_pacemaker_the_argv_goes_unchanged_to_pacemakers_tool(name: str, fake_pacemaker: Path) -> None:
    env = dict(os.environ, CRM_BACKEND="pacemaker", CRM_PACEMAKER_BINDIR=str(fake_pacemaker))
    done = _run(name, ["-1", "--opt=a b", "", "-r", "x'y"], env)
    assert done.returncode == 42
    assert done.stdout == f"pacemaker's {name} got:\n[-1]\n[--opt=a b]\n[]\n[-r]\n[x'y]\nCIB_file=\n"


def test_a_cib_file_is_pacemakers_business_when_its_tools_are_installed(fake_pacemaker: Path, tmp_path: Path) -> None:
    env = dict(os.environ, CIB_file=str(tmp_path / "cib.xml"), CRM_PACEMAKER_BINDIR=str(fake_pacemaker))
    done = _run("crm_mon", ["-1"], env)
    assert done.returncode == 42 and f"CIB_file={tmp_path / 'cib.xml'}" in done.stdout


def test_on_the_bundled_backend_ours_answer_and_create_nothing_for_help(fake_pacemaker: Path, tmp_path: Path) -> None:
    env = dict(os.environ, CRM_BACKEND="bundled", CRM_PACEMAKER_BINDIR=str(fake_pacemaker))
    done = _run("crmadmin", ["--version"], env)
    assert done.returncode == 0 and "pacemaker's" not in done.stdout


def test_crm_engine_has_no_pacemaker_counterpart(fake_pacemaker: Path) -> None:
    (fake_pacemaker / "crm_engine").write_text(STAND_IN)
    env = dict(os.environ, CRM_BACKEND="pacemaker", CRM_PACEMAKER_BINDIR=str(fake_pacemaker))
    done = _run("crm_engine", ["--help"], env)
    assert "pacemaker's" not in done.stdout


def test_pacemaker_chosen_but_its_tool_missing_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    env = dict(os.environ, CRM_BACKEND="pacemaker", CRM_PACEMAKER_BINDIR=str(empty))
    done = _run("crm_mon", ["-1"], env)
    assert done.returncode == 5
    assert done.stderr == (f"crm_mon: CRM_BACKEND is set, but Pacemaker's crm_mon is not installed in {empty} "
                           "(CRM_BACKEND=bundled runs crmsh_py's own)\n")


def test_a_bindir_holding_ourselves_is_refused_not_looped(tmp_path: Path) -> None:
    ours = Path(_script("crm_mon")).parent
    env = dict(os.environ, CRM_BACKEND="pacemaker", CRM_PACEMAKER_BINDIR=str(ours))
    done = _run("crm_mon", ["-1"], env)
    assert done.returncode == 5 and "is crmsh_py's own tool" in done.stderr


@pytest.mark.parametrize("name", ["crm_mon", "crm_simulate"])
def test_the_backend_notice_is_printed_once(name: str, tmp_path: Path) -> None:
    # A choice the user should hear about (a CRM_BACKEND we do not know) is told once, not once by
    # the console script's launcher and again by the tool.
    env = dict(os.environ, CRM_BACKEND="nosuch", CRM_CLUSTER_DIR=str(tmp_path / "cluster"))
    env.pop("CIB_file", None)
    done = _run(name, ["--version"], env)
    assert done.stderr.count(f"{name}: info: using the bundled simulated cluster") == 1, done.stderr
