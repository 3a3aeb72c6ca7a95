"""Test-wide isolation: no test touches the user's real state, config or syslog."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point XDG dirs at a fresh temp dir, keep syslog lines off the machine's real log, and never
    look for a Pacemaker cluster on the host (``CRM_DETECT=off``): whatever runs there, a test sees
    the bundled cluster unless it asks for Pacemaker (``--backend``, ``CIB_file``) or re-enables
    detection itself (tests/live, the detection tests)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("CRM_SYSLOG_SOCKET", str(home / "no-syslog"))
    monkeypatch.delenv("CIB_file", raising=False)
    monkeypatch.delenv("CRM_CLUSTER_DIR", raising=False)
    monkeypatch.delenv("CRM_BACKEND", raising=False)
    monkeypatch.delenv("CRM_HOST", raising=False)
    monkeypatch.setenv("CRM_DETECT", "off")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def repo_root() -> Path:
    """The checkout's top directory."""
    return Path(__file__).resolve().parent.parent
