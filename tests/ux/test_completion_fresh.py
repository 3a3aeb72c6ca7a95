"""Issue 16: in a real terminal, Tab offers what the cluster is now, right after a command changed
it (``resource stop`` offers running resources, ``start`` stopped ones)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ux_terminal import crm_env, make_cluster, spawn


def test_tab_after_a_stop_offers_the_resource_to_start_and_no_longer_to_stop(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = crm_env(tmp_path, NO_COLOR="1")
    make_cluster(env)  # d1 running, d2 stopped
    child = spawn(env, rows=30, cols=120)
    try:
        child.expect_exact("crm(live)#")
        child.send("resource stop \t")  # one running resource: completed in place
        child.expect_exact("d1")
        child.send("\r")
        child.expect_exact("crm(live)#")
        child.send("resource start d\t")  # now both are stopped: a menu of the two
        child.expect_exact("d1")
        child.expect_exact("d2")
        child.send("\x03")
        child.expect_exact("crm(live)#")
        child.send("resource start d2\r")
        child.expect_exact("crm(live)#")
        child.send("resource stop \t")  # d2 runs now, d1 not
        child.expect_exact("d2")
        assert "d1" not in child.before
        child.send("\x03")
        child.expect_exact("crm(live)#")
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
