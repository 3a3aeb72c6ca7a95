"""Fixtures of the reliability proofs (the proofs themselves live in rel_*.py, shared with
benchmarks/bench_reliability.py which runs them with full counts)."""

from __future__ import annotations

from pathlib import Path

import pytest

import rel_common


@pytest.fixture
def cluster_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh 2-node bundled cluster (stonith disabled), selected with CRM_CLUSTER_DIR."""
    path = rel_common.new_cluster(tmp_path / "cluster")
    monkeypatch.setenv("CRM_CLUSTER_DIR", str(path))
    return path


@pytest.fixture
def env(cluster_dir: Path) -> dict[str, str]:
    """The environment tools and crm see for ``cluster_dir``."""
    return rel_common.base_env(cluster_dir)
