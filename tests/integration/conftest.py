"""Fixtures for running the crm shell against Pacemaker's real tools on a temp CIB file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from support.reference import path

CIBADMIN = path("cibadmin")


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
