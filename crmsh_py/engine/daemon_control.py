"""Starting, finding and stopping the engine daemon of a bundled cluster.

One daemon per cluster directory.  Its identity lives in two files of the state directory:

- ``engine.pid``: the daemon's pid, written by the daemon once it holds the daemon lock;
- ``engine.lock``: an ``flock`` the daemon holds for its whole life, so that two daemons never
  run on one cluster even when two ``crm_engine start`` race (the loser exits quietly).

A pid file is trusted only when the process is alive (not a zombie) *and* its command line is our
daemon's for this directory (``/proc/PID/cmdline``): a daemon killed with SIGKILL leaves a stale
pid file whose pid may since belong to an unrelated process.  Stale files are removed by
:func:`clean_stale`.

The daemon is launched detached through ``/bin/sh -c '... &'``: the shell exits at once (we reap
it), so the daemon is nobody's child and no zombie stays behind in a long-lived caller; the
daemon then makes itself a session leader (``os.setsid``) so that stopping can kill its whole
process group (agents included) if it does not stop in time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from crmsh_py.engine.executor import end_inflight
from crmsh_py.errors import CommandError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

PID_FILE = "engine.pid"
DAEMON_LOCK = "engine.lock"
DAEMON_MODULE = "crmsh_py.lowlevel.crm_engine"
RUN_WORD = "run-daemon"
START_WAIT_S = 15.0
STOP_WAIT_S = 30.0
_POLL_S = 0.05


def pid_path(directory: Path) -> Path:
    """The pid file of the daemon of ``directory``."""
    return Path(directory) / PID_FILE


def daemon_argv(directory: Path) -> list[str]:
    """The daemon's command line (what :func:`is_our_daemon` recognises)."""
    return [sys.executable, "-m", DAEMON_MODULE, RUN_WORD, "--cluster", str(Path(directory).resolve())]


def _read_pid(directory: Path) -> int | None:
    try:
        text = pid_path(directory).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


def process_alive(pid: int) -> bool:
    """True when ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    # the state letter follows the parenthesised command name, which may itself contain ')'
    state = stat.rsplit(")", 1)[-1].split()[:1]
    return state != ["Z"] and state != ["X"]


def is_our_daemon(pid: int, directory: Path) -> bool:
    """True when ``pid`` is a live engine daemon serving ``directory``."""
    if not process_alive(pid):
        return False
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    args = [w.decode("utf-8", "replace") for w in words if w]
    target = str(Path(directory).resolve())
    return DAEMON_MODULE in args and RUN_WORD in args and target in args


def running_pid(directory: Path) -> int | None:
    """The pid of the daemon running for ``directory``, or None (a stale pid file counts as none)."""
    pid = _read_pid(directory)
    return pid if pid is not None and is_our_daemon(pid, directory) else None


def clean_stale(directory: Path) -> int | None:
    """Remove a pid file left by a daemon that no longer runs; returns that stale pid (or None)."""
    pid = _read_pid(directory)
    if pid is None:
        if pid_path(directory).exists():  # garbage in the file: just as stale
            pid_path(directory).unlink(missing_ok=True)
        return None
    if is_our_daemon(pid, directory):
        return None
    pid_path(directory).unlink(missing_ok=True)
    return pid


def spawn(directory: Path, env: Mapping[str, str], log_path: Path) -> int:
    """Start the daemon for ``directory`` in the background and wait until it runs; its pid.

    A daemon already running is not started twice (its pid is returned).  Raises CommandError
    when the daemon did not come up within ``START_WAIT_S``.
    """
    directory = Path(directory).resolve()
    pid = running_pid(directory)
    if pid is not None:
        return pid
    clean_stale(directory)
    script = 'umask 077; "$@" </dev/null >>"$CRM_ENGINE_LOG" 2>&1 &'
    child_env = {**env, "CRM_ENGINE_LOG": str(log_path)}
    child_env.pop("CIB_file", None)  # the daemon works on the bundled cluster only
    subprocess.run(["/bin/sh", "-c", script, "sh", *daemon_argv(directory)], env=child_env,
                   cwd=str(directory), check=False, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + START_WAIT_S
    while time.monotonic() < deadline:
        pid = running_pid(directory)
        if pid is not None:
            return pid
        time.sleep(_POLL_S)
    raise CommandError(f"the engine daemon did not start within {START_WAIT_S:.0f}s (see {log_path})")


def stop(directory: Path, wait_s: float = STOP_WAIT_S) -> int | None:
    """Ask the daemon to stop (SIGTERM: it finishes its current operation) and wait for it.

    After ``wait_s`` its process group is killed.  The pid file is gone afterwards.  Returns the
    pid that was stopped, or None when no daemon ran.
    """
    directory = Path(directory).resolve()
    pid = running_pid(directory)
    if pid is None:
        clean_stale(directory)
        return None
    _signal(pid, signal.SIGTERM)
    # like Pacemaker's executor at shutdown: operations in flight are ended, not waited for (an
    # agent runs in its own session, so killing the daemon's group would miss it)
    end_inflight(directory / "nodes", owner=pid)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and process_alive(pid):
        time.sleep(_POLL_S)
    if process_alive(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            _signal(pid, signal.SIGKILL)
        end = time.monotonic() + 5.0
        while time.monotonic() < end and process_alive(pid):
            time.sleep(_POLL_S)
    if _read_pid(directory) == pid:
        pid_path(directory).unlink(missing_ok=True)
    end_inflight(directory / "nodes")  # whatever the daemon (now gone) or a killed tool left running
    return pid


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
