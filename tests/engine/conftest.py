"""Fixtures for engine tests (the plain helpers behind them, shared with other directories, are in
tests/support)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import bundled as fixtures
from support.ours import tool as run_tool


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A fresh default 2-node cluster (srv01, srv02) selected with CRM_CLUSTER_DIR."""
    return fixtures.make_cluster(tmp_path / "cluster", monkeypatch)


@pytest.fixture
def demo_cluster(cluster):  # type: ignore[no-untyped-def]
    """The default cluster with the reference demo's configuration loaded and settled."""
    fixtures.load_demo(cluster)
    return cluster


@pytest.fixture
def syslog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A syslog catcher bound at a temp path (CRM_SYSLOG_SOCKET points to it)."""
    catcher = fixtures.SyslogCatcher(tmp_path / "syslog.sock", monkeypatch)
    yield catcher
    catcher.close()


@pytest.fixture
def tool():  # type: ignore[no-untyped-def]
    """``tool(argv, env=None, stdin="") -> (rc, stdout, stderr)``: run a low-level tool in-process."""
    return run_tool
