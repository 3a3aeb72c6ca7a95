"""crm_node on the bundled cluster."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import bundled as fixtures
from support.ours import tool as run

from crmsh_py.engine import membership


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    return fixtures.make_cluster(tmp_path / "cluster", monkeypatch)


def test_queries(cluster) -> None:  # type: ignore[no-untyped-def]
    assert run(["crm_node", "-l"]) == (0, "1 srv01 member\n2 srv02 member\n", "")
    assert run(["crm_node", "-n"])[1] == "srv01\n"
    assert run(["crm_node", "-i"])[1] == "1\n"
    assert run(["crm_node", "-p"])[1] == "srv01 srv02\n"
    assert run(["crm_node", "-q"])[1] == "1\n"
    assert run(["crm_node", "-N", "2"])[1] == "srv02\n"


def test_lost_node_and_remove(cluster) -> None:  # type: ignore[no-untyped-def]
    assert run(["crm_node", "-R", "srv02", "--force"])[0] == 107  # still active
    with cluster.mutate("t") as snap:
        membership.set_state(snap.root, snap.definition, "srv02", "offline")
    assert run(["crm_node", "-l"])[1] == "1 srv01 member\n2 srv02 lost\n"
    assert run(["crm_node", "-p"])[1] == "srv01\n"
    assert run(["crm_node", "-R", "srv02", "--force"])[0] == 0
    assert run(["crm_node", "-l"])[1] == "1 srv01 member\n"


def test_errors(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run(["crm_node", "--bogus"]) == (64, "", "crm_node: Unknown option --bogus\n")
    cib = tmp_path / "f.xml"
    cib.write_text(cluster.path.read_text())
    assert run(["crm_node", "-l"], dict(os.environ, CIB_file=str(cib))) == \
        (102, "", "error: Could not connect to controller: Connection refused\n")
