"""Shell test fixtures: a fake backend and a session writing to strings."""

from __future__ import annotations

import io

import pytest
from support.fakes import FakeBackend

from crmsh_py.session import Session


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def session(fake: FakeBackend, tmp_path) -> Session:
    s = Session(env={"CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "CRM_SYSLOG_SOCKET": str(tmp_path / "nosock")},
                out=io.StringIO(), err=io.StringIO(), regression=True)
    s.set_backend(fake)
    return s
