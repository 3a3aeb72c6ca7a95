"""Helpers for the agent and executor tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crmsh_py.agents.catalog import parse_agent
from crmsh_py.engine.executor import OpRequest, OpResult, run_op

RunOp = Callable[..., OpResult]


@pytest.fixture
def node_dirs(tmp_path: Path) -> dict[str, Path]:
    """Per-node HA_RSCTMP directories of two simulated nodes (not created: the executor does)."""
    return {name: tmp_path / "nodes" / name / "rsctmp" for name in ("srv01", "srv02")}


@pytest.fixture
def op(node_dirs: dict[str, Path]) -> RunOp:
    """``op(agent, action, rsc="r1", params=None, node="srv01", timeout=10, interval=0, meta=None)``."""

    def run(agent: str, action: str, rsc: str = "r1", params: dict[str, str] | None = None,
            node: str = "srv01", timeout: float = 10.0, interval: int = 0,
            meta: dict[str, str] | None = None, search_env: dict[str, str] | None = None) -> OpResult:
        return run_op(OpRequest(parse_agent(agent), action, rsc, dict(params or {}), dict(meta or {}),
                                node, node_dirs[node], timeout, interval, search_env))

    return run
