"""crm_standby: the Pacemaker wrapper's behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import bundled as fixtures
from support.cib_files import twin_cibs
from support.ours import tool as run, tool_on as ours
from support.reference import MISSING as REASON, have, run_on as real

HAVE_REAL = have("cibadmin", "crm_attribute")


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    cluster = fixtures.make_cluster(tmp_path / "cluster", monkeypatch)
    fixtures.load_demo(cluster)
    return cluster


def test_standby_cycle_moves_resource(demo) -> None:  # type: ignore[no-untyped-def]
    assert run(["crm_standby", "-G", "-N", "srv01"]) == (0, "scope=status  name=standby value=off\n", "")
    assert run(["crm_standby", "-v", "on", "-N", "srv01"])[0] == 0
    assert run(["crm_standby", "-G", "-N", "srv01"])[1] == "scope=nodes  name=standby value=on\n"
    assert run(["crm_standby", "-G", "-N", "srv01", "-q"])[1] == "on\n"
    assert demo.read().status.nodes["srv02"].resources["dummy"].last("start").rc == 0
    rc, out, _ = run(["crm_standby", "-D", "-N", "srv01"])
    assert rc == 0 and "Deleted nodes attribute" in out
    assert not demo.read().status.nodes["srv01"].standby


def test_local_node_default_and_reboot_lifetime(demo) -> None:  # type: ignore[no-untyped-def]
    assert run(["crm_standby", "-v", "on", "-l", "reboot"])[0] == 0
    assert demo.read().status.nodes["srv01"].transient_attributes["standby"] == "on"


def test_bad_option_exits_1_like_the_script(demo) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run(["crm_standby", "--bogus"])
    assert rc == 1 and err.startswith("error: ") and "Usage: crm_standby" in out


@pytest.mark.skipif(not HAVE_REAL, reason=REASON)
def test_same_as_pacemaker(demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = twin_cibs(tmp_path, demo.path)
    for argv in (["crm_standby", "-N", "srv02", "-v", "on"], ["crm_standby", "-N", "srv02", "-G"],
                 ["crm_standby", "-N", "srv01", "-G"], ["crm_standby", "-N", "srv02", "-D"]):
        assert ours(argv, b) == real(argv, a), argv
