"""Issue 16: in a real terminal, Tab offers what the cluster is now, right after a command changed
it (``resource stop`` offers running resources, ``start`` stopped ones)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ux_terminal import crm_env, make_cluster, spawn

# A fresh prompt, not the line redrawn when Enter accepts it ("crm(live)# resource ..."): typing
# on before the command has finished would send a Ctrl-C to the command instead of the prompt.
FRESH_PROMPT = re.escape("crm(live)#") + r"\x1b\["


def run(child: Any, line: str) -> None:
    """Enter ``line`` and wait until the command has run and the next prompt is drawn."""
    child.send(line + "\r")
    child.expect(FRESH_PROMPT)


def test_tab_after_a_stop_offers_the_resource_to_start_and_no_longer_to_stop(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = crm_env(tmp_path, NO_COLOR="1")
    make_cluster(env)  # d1 running, d2 stopped
    child = spawn(env, rows=30, cols=120)
    try:
        child.expect(FRESH_PROMPT)
        child.send("resource stop \t")  # one running resource: completed in place
        child.expect_exact("d1")
        run(child, "")
        child.send("resource start d\t")  # now both are stopped: a menu of the two
        child.expect_exact("d1")
        child.expect_exact("d2")
        child.send("\x03")
        child.expect(FRESH_PROMPT)
        run(child, "resource start d2")
        child.send("resource stop \t")  # d2 runs now, d1 not
        child.expect_exact("d2")
        assert "d1" not in child.before
        child.send("\x03")
        child.expect(FRESH_PROMPT)
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
