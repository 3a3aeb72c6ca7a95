"""The REPL's first prompt drawn before prompt_toolkit loads (issue 16): keys typed meanwhile are
kept for the editor, the terminal's modes come back, and the editor loads without ``ssl``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from crmsh_py.session import Session
from crmsh_py.shell.repl_early import draw_early_prompt

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def _session(tmp_path: Path, out: io.TextIOBase) -> Session:
    env = {"CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "CRM_SYSLOG_SOCKET": str(tmp_path / "nosock"),
           "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    return Session(env=env, out=out, err=io.StringIO(), backend_kind="bundled")  # type: ignore[arg-type]


def _wait_queued(fd: int, count: int) -> None:
    """Wait (bounded) until the terminal's input queue holds ``count`` bytes."""
    import array
    import fcntl
    import time

    waiting = array.array("i", [0])
    for _ in range(500):
        fcntl.ioctl(fd, termios.FIONREAD, waiting)
        if waiting[0] >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"only {waiting[0]} of {count} bytes reached the terminal")


def test_prompt_first_keys_typed_ahead_kept_and_modes_restored(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        with open(slave, "w", closefd=False) as tty_out, open(slave, closefd=False) as tty_in:
            before = termios.tcgetattr(slave)
            hand_over = draw_early_prompt(_session(tmp_path, tty_out), stdin=tty_in)
            assert hand_over is not None
            held = termios.tcgetattr(slave)
            assert not held[3] & termios.ECHO and not held[3] & termios.ICANON
            typed = b"status\t\x03"
            os.write(master, typed)  # typed while the editor loads: not echoed
            _wait_queued(slave, len(typed))  # the terminal takes keys in asynchronously
            assert os.read(master, 1000) == b"crm(live)# "
            hand_over()
            assert termios.tcgetattr(slave) == before
            assert os.read(master, 1000) == b"\r"  # the editor draws over the same line
            assert os.read(slave, 1000) == b"status\t\x03"  # every key reaches the editor
    finally:
        os.close(master)
        os.close(slave)


def test_nothing_drawn_when_not_a_terminal(tmp_path: Path) -> None:
    out = io.StringIO()
    assert draw_early_prompt(_session(tmp_path, out), stdin=io.StringIO()) is None
    assert out.getvalue() == ""


def test_the_editor_loads_without_ssl_which_stays_importable() -> None:
    code = ("import sys\nfrom crmsh_py.shell.repl_early import import_repl\nimport_repl()\n"
            "print('prompt_toolkit' in sys.modules, 'ssl' in sys.modules)\nimport ssl\nprint(ssl.PROTOCOL_TLS_CLIENT > 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "True"]


def test_a_line_typed_at_the_first_prompt_runs_once_and_shows_once(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("CIB_file", "CRM_BACKEND")}
    env.update({"CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
                "XDG_STATE_HOME": str(tmp_path / "state"), "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm",
                "CRM_SYSLOG_SOCKET": str(tmp_path / "nosock"), "NO_COLOR": "1"})
    child = pexpect.spawn(sys.executable, ["-m", "crmsh_py.cli", "--backend", "bundled"], env=env,
                          encoding="utf-8", timeout=90, dimensions=(40, 120))
    try:
        child.expect_exact("crm(live)# ")
        child.send("configure\r")  # at once: the line editor may still be loading
        child.expect_exact("crm(live)configure#")
        # the editor drew the line; the terminal did not echo it as well (its echo ends in \r\n)
        assert "configure\r\n" not in child.before and "crm(live)# configure" in child.before
        child.send("quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
