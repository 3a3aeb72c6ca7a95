"""Issue 17 item 3: long output goes through the pager on a terminal, never when piped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ux_terminal import crm, crm_env, spawn

from crmsh_py.session import Session
from crmsh_py.shell.output import pager_command

pexpect = pytest.importorskip("pexpect")


def _session(env: dict[str, str], pager: str = "") -> Session:
    session = Session(env=env, out=io.StringIO(), err=io.StringIO())
    session.options["pager"] = pager
    return session


def test_pager_choice() -> None:
    assert pager_command(_session({})) == ["less", "-R"]
    assert pager_command(_session({"PAGER": "more"})) == ["more"]
    assert pager_command(_session({"PAGER": "less"})) == ["less", "-R"]  # colours pass through
    assert pager_command(_session({"PAGER": "less -FRX"})) == ["less", "-FRX"]
    assert pager_command(_session({"PAGER": "more"}, pager="most -s")) == ["most", "-s"]


def test_long_help_is_paged_in_the_repl_and_short_help_is_not(tmp_path: Path) -> None:
    env = crm_env(tmp_path, PAGER="sed s/^/PAGED:/", NO_COLOR="1")
    child = spawn(env, rows=12, cols=100)
    try:
        child.expect_exact("crm(live)#")
        child.send("help\r")
        child.expect_exact("PAGED:Commands:")
        child.expect_exact("crm(live)#")
        child.send("help quit\r")
        child.expect_exact("Leave the shell")
        child.expect_exact("crm(live)#")
        assert "PAGED:" not in child.before
        # `options pager` wins over $PAGER
        child.send("options pager 'sed s/^/OPTION:/'\r")
        child.expect_exact("crm(live)#")
        child.send("help\r")
        child.expect_exact("OPTION:Commands:")
        child.expect_exact("crm(live)#")
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_a_one_shot_on_a_terminal_is_paged_but_piped_it_is_not(tmp_path: Path) -> None:
    env = crm_env(tmp_path, PAGER="sed s/^/PAGED:/")
    child = spawn(env, "help", rows=12)
    child.expect(pexpect.EOF)
    child.close()
    assert "PAGED:" in child.before
    piped = crm(env, "help")
    assert piped.returncode == 0 and "Commands:" in piped.stdout and "PAGED:" not in piped.stdout
