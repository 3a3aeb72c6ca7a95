"""Run one agent process with a deadline, the way Pacemaker's executor does.

The child gets its own session (so its own process group); at the deadline the whole group is
killed with SIGKILL, which also takes care of whatever the agent forked (``sleep``, daemons
that did not detach).  Output goes to a temporary file rather than a pipe so that a daemon the
agent leaves running, still holding the agent's stdout, cannot make us wait for it.  The child
is always reaped: no zombies.

A single-threaded process (a one-shot ``crm resource move``, ``crm_resource``) starts the agent
with ``os.posix_spawn``: ``subprocess`` (with ``threading``, ``selectors``, ``signal`` and the
``enum`` behind it) costs such a command milliseconds to import, more than the agent's own run.
The child is set up as ``subprocess.Popen`` sets it up here: a new session, stdin from
``/dev/null``, stdout and stderr into the output file, no other inherited descriptor, SIGPIPE and
SIGXFSZ back to their defaults, the given environment and working directory (entered around the
spawn; with a single thread nothing else can see it).  A process that runs threads (the engine
daemon, the REPL) uses ``subprocess``, whose C helper does the same in the child.
"""

from __future__ import annotations

import os
import select
import sys
import time

import _signal  # type: ignore[import-not-found]  # signal.py builds enums (enum, functools) at import

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
        os.killpg(pgid, _signal.SIGKILL)
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
            os.kill(pid, _signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


class _Child:
    """A started agent process: its pid, and how it is reaped (its exit code, or minus the
    signal that killed it, as ``Popen.returncode``)."""

    __slots__ = ("pid", "_popen", "returncode")

    def __init__(self, pid: int, popen: object = None) -> None:
        self.pid = pid
        self._popen = popen
        self.returncode: int | None = None

    def wait(self) -> int:
        """Reap the child (blocking) and return its exit code."""
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.wait()  # type: ignore[attr-defined]
            else:
                _pid, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def poll(self) -> bool:
        """Reap the child if it has ended (True), without waiting."""
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.poll()  # type: ignore[attr-defined]
            else:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode is not None


def _executable(program: str, env: Mapping[str, str]) -> str:
    """``program`` as ``execvpe`` finds it: itself when it names a path, else the first
    executable file of that name on the environment's PATH (``subprocess`` searches the same)."""
    if "/" in program:
        return program
    for directory in env.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(directory or ".", program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(2, "No such file or directory", program)


def _inherited_descriptors() -> list[int]:
    """The descriptors above 2 a child would inherit (``close_fds``: none of them may reach it)."""
    found = []
    for entry in os.listdir("/proc/self/fd"):
        fd = int(entry)
        if fd > 2:
            try:
                if os.get_inheritable(fd):
                    found.append(fd)
            except OSError:  # the listing's own descriptor, closed by now
                continue
    return found


def _spawn_alone(argv: Sequence[str], env: Mapping[str, str], cwd: str | None, out_fd: int) -> _Child:
    """Start ``argv`` with ``os.posix_spawn`` (only while this process runs a single thread)."""
    actions: list[tuple[int, ...] | tuple[int, int, str, int, int]] = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, out_fd, 1), (os.POSIX_SPAWN_DUP2, out_fd, 2)]
    actions += [(os.POSIX_SPAWN_CLOSE, fd) for fd in _inherited_descriptors() if fd != out_fd]
    home = None
    if cwd is not None:
        home = os.open(".", os.O_PATH | os.O_CLOEXEC)  # back here after the spawn (even if unreadable)
    try:
        if cwd is not None:
            os.chdir(cwd)
        path = _executable(argv[0], env)  # (in the child's directory, as the child would look)
        return _Child(os.posix_spawn(path, list(argv), dict(env), file_actions=actions, setsid=True,
                                     setsigdef=(_signal.SIGPIPE, _signal.SIGXFSZ)))
    finally:
        if home is not None:
            os.fchdir(home)
            os.close(home)


def _spawn_threaded(argv: Sequence[str], env: Mapping[str, str], cwd: str | None, out_fd: int) -> _Child:
    """Start ``argv`` with ``subprocess`` (a process that runs threads)."""
    import subprocess

    proc = subprocess.Popen(list(argv), env=dict(env), cwd=cwd, stdin=subprocess.DEVNULL, stdout=out_fd,
                            stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
    return _Child(proc.pid, proc)


def _spawn(argv: Sequence[str], env: Mapping[str, str], cwd: str | None, out_fd: int) -> _Child:
    """Start ``argv`` in a new session (see the module docstring for which way)."""
    alone = "threading" not in sys.modules and hasattr(os, "posix_spawn") and hasattr(os, "O_PATH")
    return (_spawn_alone if alone else _spawn_threaded)(argv, env, cwd, out_fd)


def _wait_exit(child: _Child, timeout_s: float) -> bool:
    """Wait until ``child`` exits (True, reaped) or ``timeout_s`` passes (False, still running).

    Sleeps in the kernel on a pidfd (a poll with growing sleeps added several milliseconds to
    every agent action: a probe of 1,000 resources spent a third of its time there); without
    pidfds, polls ``waitpid`` every millisecond.
    """
    deadline = time.monotonic() + timeout_s
    try:
        pidfd = os.pidfd_open(child.pid)
    except (AttributeError, OSError):
        while True:
            if child.poll():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.001)
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        while True:
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            if poller.poll(left_ms):
                child.wait()
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
            child = _spawn(argv, env, None if cwd is None else os.fspath(cwd), out.fileno())
        except OSError as err:
            return ProcessOutcome(None, False, 0, "", None, err.strerror or str(err))
        pgid = child.pid  # a new session's leader: its pid is the group id
        timed_out = False
        try:
            if on_start is not None:
                on_start(pgid)
            if not _wait_exit(child, max(timeout_s, 0.0)):
                timed_out = True
                kill_session(pgid)
                child.wait()
        except BaseException:
            # KeyboardInterrupt and friends: never leave the agent running behind us
            kill_session(pgid)
            child.wait()
            raise
        exec_ms = int((time.monotonic() - start) * 1000)
        out.seek(0)
        raw = out.read(MAX_OUTPUT)
    return ProcessOutcome(
        returncode=child.returncode,
        timed_out=timed_out,
        exec_ms=exec_ms,
        output=raw.decode("utf-8", errors="replace"),
        pgid=pgid,
    )
