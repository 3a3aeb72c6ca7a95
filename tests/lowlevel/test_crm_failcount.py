"""crm_failcount: query and clear fail counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import bundled as fixtures
from support.cib_files import twin_cibs
from support.ours import tool as run, tool_on as ours
from support.reference import MISSING as REASON, have, run_on as real

from crmsh_py.engine import status_xml

HAVE_REAL = have("cibadmin", "crm_attribute")


@pytest.fixture
def failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    cluster = fixtures.make_cluster(tmp_path / "cluster", monkeypatch)
    with cluster.mutate("test", settle=False) as snap:
        status_xml.set_transient_attribute(snap.root, snap.definition, "srv01", "fail-count-dummy#monitor_10000", "2")
        status_xml.set_transient_attribute(snap.root, snap.definition, "srv01", "fail-count-dummy#start_0", "1")
    return cluster


def test_query_sum_and_single(failed) -> None:  # type: ignore[no-untyped-def]
    assert run(["crm_failcount", "-G", "-r", "dummy", "-N", "srv01"]) == \
        (0, "scope=status  name=fail-count-dummy value=3\n", "")
    assert run(["crm_failcount", "-G", "-r", "dummy", "-N", "srv01", "-n", "monitor", "-I", "10s", "-q"])[1] == "2\n"
    assert run(["crm_failcount", "--query", "--resource=dummy", "--node=srv02"])[1] == \
        "scope=status  name=fail-count-dummy value=0\n"


def test_delete(failed) -> None:  # type: ignore[no-untyped-def]
    assert run(["crm_failcount", "-D", "-r", "dummy", "-N", "srv01"]) == (0, "Cleaned up dummy on srv01\n", "")
    assert run(["crm_failcount", "-G", "-r", "dummy", "-N", "srv01", "-q"])[1] == "0\n"


def test_usage_errors(failed) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run(["crm_failcount", "-r", "dummy"])
    assert rc == 64 and err == "error: must specify a command\n" and "Usage: crm_failcount" in out
    assert run(["crm_failcount", "-G"])[2] == "error: resource name required\n"


@pytest.mark.skipif(not HAVE_REAL, reason=REASON)
def test_query_same_as_pacemaker(failed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = twin_cibs(tmp_path, failed.path)
    for argv in (["crm_failcount", "-G", "-r", "dummy", "-N", "srv01"],
                 ["crm_failcount", "-G", "-r", "dummy", "-N", "srv01", "-n", "start"],
                 ["crm_failcount", "-G", "-q", "-r", "dummy", "-N", "srv02"]):
        assert ours(argv, b) == real(argv, a), argv
