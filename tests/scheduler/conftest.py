"""Scheduler test fixtures; the model/status factory lives in sched_factory.py (a unique module name,
so that test files can import it whatever other conftest modules pytest has loaded)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from sched_factory import Cluster  # noqa: E402


@pytest.fixture
def cluster() -> Cluster:
    """An empty scheduler scenario to fill in."""
    return Cluster()
