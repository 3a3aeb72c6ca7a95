"""Run one agent process with a deadline, the way Pacemaker's executor does.

The child gets its own session (so its own process group); at the deadline the whole group is
killed with SIGKILL, which also takes care of whatever the agent forked (``sleep``, daemons
that did not detach).  Output goes to a temporary file rather than a pipe so that a daemon the
agent leaves running, still holding the agent's stdout, cannot make us wait for it.  The child
is always reaped: no zombies.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from pathlib import Path

from crmsh_py.records import record
from crmsh_py.tempfiles import anonymous_file

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

# Agents can be chatty; keep what a log line or an error message can use.
MAX_OUTPUT = 64 * 1024


@record(frozen=True)
class ProcessOutcome:
    """What became of one agent process.

    ``returncode`` is the exit status, or minus the signal number that killed it (None when it
    could not be started at all); ``timed_out`` is True when we killed it at the deadline.
    ``pgid`` is the process group the child ran in (for tests that check nothing survives).
    """

    returncode: int | None
    timed_out: bool
    exec_ms: int
    output: str
    pgid: int | None = None
    error: str = ""


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def session_members(sid: int) -> list[int]:
    """Live processes of session ``sid`` (``/proc/PID/stat``: the session is the 6th field)."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        # fields: state ppid pgrp session ...
        if len(fields) >= 4 and fields[3] == str(sid) and fields[0] not in ("Z", "X"):
            members.append(int(entry))
    return members


def kill_session(sid: int) -> None:
    """SIGKILL the agent session ``sid``: its process group and any member that moved to another
    group (a child of the agent that called setpgid), so that nothing it started survives."""
    _kill_group(sid)
    for pid in session_members(sid):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _wait_exit(proc: "subprocess.Popen[bytes]", timeout_s: float) -> bool:
    """Wait until ``proc`` exits (True, reaped) or ``timeout_s`` passes (False, still running).

    Sleeps in the kernel on a pidfd: ``Popen.wait(timeout)`` polls with growing sleeps, which added
    several milliseconds to every agent action (a probe of 1,000 resources spent a third of its
    time there).  Falls back to ``Popen.wait`` where pidfds are missing.
    """
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        try:
            proc.wait(timeout=timeout_s)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        deadline = time.monotonic() + timeout_s
        while True:
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            if poller.poll(left_ms):
                proc.wait()
                return True
            if time.monotonic() >= deadline:
                return False
    finally:
        os.close(pidfd)


def run_process(
    argv: Sequence[str],
    env: Mapping[str, str],
    timeout_s: float,
    cwd: str | os.PathLike[str] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ProcessOutcome:
    """Run ``argv`` with exactly ``env``, stdout and stderr combined, killed after ``timeout_s``.

    ``on_start(pgid)`` is called once the child runs (the executor records in-flight operations
    with it, so that stopping the cluster can end them)."""
    start = time.monotonic()
    with anonymous_file() as out:
        try:
            proc = subprocess.Popen(
                list(argv),
                env=dict(env),
                cwd=cwd if cwd is None else str(Path(cwd)),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as err:
            return ProcessOutcome(None, False, 0, "", None, err.strerror or str(err))
        pgid = proc.pid  # a new session's leader: its pid is the group id
        timed_out = False
        try:
            if on_start is not None:
                on_start(pgid)
            if not _wait_exit(proc, max(timeout_s, 0.0)):
                timed_out = True
                kill_session(pgid)
                proc.wait()
        except BaseException:
            # KeyboardInterrupt and friends: never leave the agent running behind us
            kill_session(pgid)
            proc.wait()
            raise
        exec_ms = int((time.monotonic() - start) * 1000)
        out.seek(0)
        raw = out.read(MAX_OUTPUT)
    return ProcessOutcome(
        returncode=proc.returncode,
        timed_out=timed_out,
        exec_ms=exec_ms,
        output=raw.decode("utf-8", errors="replace"),
        pgid=pgid,
    )
