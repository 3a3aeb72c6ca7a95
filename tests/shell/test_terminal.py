"""One end-to-end REPL session in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")


def test_repl_in_a_terminal(tmp_path: Path) -> None:
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "PROMPT_TOOLKIT_NO_CPR": "1",
           "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
    child = pexpect.spawn(sys.executable, ["-m", "crmsh_py.cli"], env=env, encoding="utf-8", timeout=30,
                          dimensions=(40, 120))
    try:
        child.expect_exact("crm(live)#")
        child.send("ra\r")
        child.expect_exact("crm(live)ra#")
        child.send("list stonith\r")
        child.expect("external/ssh")
        child.expect_exact("crm(live)ra#")
        child.send("info stonith:external/ss")
        child.expect_exact("external/ss")  # the line as typed, echoed
        child.send("\t")
        # completion runs in the background: Enter only once its "h" is drawn (an "h" that does not end
        # a terminal mode sequence such as ESC[?25h)
        child.expect(r"(?<![\d?;])h")
        child.send("\r")
        # the agent name in the header proves TAB completed "external/ss" to "external/ssh"
        child.expect_exact("(stonith:external/ssh)")
        child.expect("Parameters")
        child.expect_exact("crm(live)ra#")
        child.send("up\r")
        child.expect_exact("crm(live)#")
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
