"""A guard that stops the live cluster and puts the system files back when the test run dies.

``LiveCluster.start()`` starts this script as a process of its own session, with a state file
(JSON) saying which process to watch (the test run: its PID and start time, so a reused PID does
not fool it), the daemons to stop (PID and command name each, checked before any signal) and what
to restore (corosync.conf, the saved directories, the directories that were absent).  While the
test run lives the guard only sleeps; ``LiveCluster.stop()`` ends the guard by PID after its own
clean-up.  When the test run disappears without that (``kill -9`` of pytest, a crash), the guard
takes the machine-wide lock, stops pacemakerd, its daemons and corosync by PID, runs the state's
clean-up commands (the multi-node harness removes its network namespaces), restores the files, and
exits.  Its messages go to ``guard.log`` beside the state file.

    python tests/live/cluster_guard.py STATE.json
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

POLL_S = 0.5
MAX_LIFETIME_S = 24 * 3600.0  # bounds the watch loop even if the state file is never removed
LOCK_WAIT_S = 10.0
STOP_WAIT_S = 30.0


def start_time(pid: int) -> str | None:
    """The start time of ``pid`` in clock ticks since boot (None when it does not exist or is a zombie)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    except OSError:
        return None
    if not fields or fields[0] == "Z":
        return None
    return fields[19] if len(fields) > 19 else None


def comm(pid: int) -> str | None:
    """The command name of a live (not zombie) ``pid``."""
    if start_time(pid) is None:
        return None
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write the guard's state atomically (the guard may read it at any time)."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    os.replace(temp, path)


def spawn(state_path: Path) -> subprocess.Popen[bytes]:
    """Start the guard for ``state_path`` (its own session: a signal to the test run's group spares it)."""
    log = open(state_path.with_name("guard.log"), "ab")  # noqa: SIM115 - the child keeps it
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(state_path)],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                            close_fds=True)


def dismiss(guard: subprocess.Popen[bytes] | None) -> None:
    """End the guard by PID (the test run cleaned up itself)."""
    if guard is None or guard.poll() is not None:
        return
    guard.send_signal(signal.SIGTERM)
    try:
        guard.wait(timeout=10)
    except subprocess.TimeoutExpired:
        guard.kill()
        guard.wait(timeout=10)


def _say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} cluster_guard[{os.getpid()}]: {text}", flush=True)


def _signal_if(pid: int, name: str, sig: int) -> bool:
    """Send ``sig`` to ``pid`` only while it is still the process called ``name``."""
    current = comm(pid)
    if current is None or current[:15] != name[:15]:
        return False
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True


def _wait_gone(pid: int, name: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = comm(pid)
        if current is None or current[:15] != name[:15]:
            return True
        time.sleep(0.2)
    return False


def stop_processes(state: dict[str, Any]) -> None:
    """pacemakerd (TERM, then KILL), the daemons it started, then corosync: each by PID and name."""
    processes = state.get("processes", [])
    ordered = sorted(processes, key=lambda p: {"pacemakerd": 0, "corosync": 2}.get(p["name"], 1))
    for proc in ordered:
        pid, name = int(proc["pid"]), str(proc["name"])
        if _signal_if(pid, name, signal.SIGTERM):
            _say(f"stopping {name}[{pid}]")
            if not _wait_gone(pid, name, STOP_WAIT_S if name in ("pacemakerd", "corosync") else 5.0):
                _signal_if(pid, name, signal.SIGKILL)
                _wait_gone(pid, name, 5.0)


def run_commands(state: dict[str, Any]) -> None:
    """The state's clean-up commands, in order (``ip netns del ...`` for the multi-node harness)."""
    for argv in state.get("commands", []):
        try:
            subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            _say(f"{' '.join(argv)}: {error}")


def restore(state: dict[str, Any]) -> None:
    """Put back the files the cluster changed (``livecluster.restore_files``)."""
    if "conf" not in state and not state.get("saved_dirs") and not state.get("absent_dirs"):
        return  # nothing of the host's was changed (the multi-node harness works in namespaces)
    from livecluster import restore_files

    conf = state.get("conf") or {}
    saved = conf.get("saved")
    restore_files(Path(conf["path"]) if conf.get("path") else None, Path(saved) if saved else None,
                  {Path(k): Path(v) for k, v in state.get("saved_dirs", {}).items()},
                  [Path(p) for p in state.get("absent_dirs", [])])


def _take_lock(path: str | None) -> int | None:
    """Hold the live-cluster lock while cleaning (another run must not start on half-restored files)."""
    if not path:
        return None
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    deadline = time.monotonic() + LOCK_WAIT_S
    while time.monotonic() < deadline:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError:
            time.sleep(0.2)
    return fd  # not free (a leaked descriptor?): clean up anyway


def watch(state_path: Path) -> int:
    """Sleep while the test run lives; clean up after it when it dies without dismissing us."""
    state = json.loads(state_path.read_text(encoding="utf-8"))
    parent, born = int(state["parent"]), str(state["parent_start"])
    deadline = time.monotonic() + MAX_LIFETIME_S
    while time.monotonic() < deadline:
        if start_time(parent) != born:
            break
        time.sleep(POLL_S)
    else:
        _say("lifetime exceeded; leaving the cluster alone")
        return 1
    _say(f"test run {parent} is gone: cleaning up after it")
    lock = _take_lock(state.get("lock_file"))
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))  # the newest list of daemons
        stop_processes(state)
        run_commands(state)
        restore(state)
        _say("cluster stopped and files restored")
    finally:
        if lock is not None:
            os.close(lock)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(watch(Path(sys.argv[1])))
