"""Fixtures of the engine daemon tests: a bundled cluster directory whose daemon is always
stopped at the end, with a check that no daemon process is left behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from daemon_helpers import daemon_processes, wait_for

from crmsh_py.engine import daemon_control


@dataclass
class Env:
    """A test cluster: its directory and the environment that selects it."""

    directory: Path
    env: dict[str, str]


@pytest.fixture
def cluster_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    """``CRM_CLUSTER_DIR`` pointing at a fresh directory; the daemon is stopped afterwards and
    the test fails if any daemon process of this cluster survives."""
    directory = (tmp_path / "cluster").resolve()
    monkeypatch.setenv("CRM_CLUSTER_DIR", str(directory))
    env = dict(os.environ)
    yield Env(directory, env)
    daemon_control.stop(directory, wait_s=10)
    left = wait_for(lambda: not daemon_processes(directory))
    assert left, f"daemon processes left behind: {daemon_processes(directory)}"
