"""Scheduler test fixtures; the model/status factory lives in sched_factory.py (a unique module name,
so that test files can import it whatever other conftest modules pytest has loaded)."""

from __future__ import annotations


import pytest

from sched_factory import Cluster


@pytest.fixture
def cluster() -> Cluster:
    """An empty scheduler scenario to fill in."""
    return Cluster()
