"""The engine daemon: time passing in the bundled cluster.

One process per cluster directory (see :mod:`crmsh_py.engine.daemon_control` for how it is
started, found and stopped).  Each tick (at most ``TICK_S`` apart, sooner when a monitor is due):

1. re-read the CIB (no lock: writes are atomic renames), so changes made by other processes
   (``crm``, ``crm_resource``, injections) are seen at once;
2. bring back rebooted nodes whose ``reboot_delay`` has passed, and clear failures whose
   ``failure-timeout`` has expired (both under the lock, then the cluster settles);
3. run every recurring operation that is due (:mod:`crmsh_py.engine.daemon_monitors`) on its
   node with its timeout, *without* the lock: a slow or hanging agent never blocks other
   commands.  An unexpected result (not running, error, timed out) is recorded under the lock
   (``lrm_rsc_op`` with rc and interval, fail count and last-failure) after checking that the
   operation is still the one armed (the resource may have been stopped or moved meanwhile);
   the same locked mutation settles the cluster, so on-fail and migration-threshold apply and
   the resource is recovered before the lock is released.

Signals: SIGTERM/SIGINT set a flag; ``daemon_control.stop`` also ends the agent in flight (its whole
session), whose result is then discarded; the loop ends, the pid file is removed and the daemon
lock released.
Monitors run one after another (a hanging agent delays the others by at most its timeout).
"""

from __future__ import annotations

import fcntl
import os
import signal
import threading
import time
from pathlib import Path
from types import FrameType

from crmsh_py.engine import cibfile, controller, daemon_control, daemon_events, scheduler, settle
from crmsh_py.engine.executor import PCMK_EXEC_ERROR
from crmsh_py.engine.daemon_monitors import Armed, Timetable, armed_operations
from crmsh_py.engine.store import CLUSTER_YAML, CibSnapshot

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Mapping

TICK_S = 1.0
IDENT = "pacemaker-controld"
_LOCK_RETRY_S = 2.0
_MAX_BACKOFF_S = 10.0


class EngineDaemon:
    """The daemon's state: its cluster, its timetable and its stop flag."""

    def __init__(self, directory: Path, env: Mapping[str, str]) -> None:
        self.directory = Path(directory).resolve()
        self.env = dict(env)
        self.cluster = controller.bundled_cluster(self.directory, self.env)
        self._yaml_mtime = self._definition_mtime()
        self.timetable = Timetable()
        self.stopping = threading.Event()

    # -- lifecycle -----------------------------------------------------------------------
    def run(self) -> int:
        """Hold the daemon lock, write the pid file, loop until signalled; 0 on a clean stop
        (also when another daemon already serves this cluster: starting twice is harmless)."""
        try:
            os.setsid()  # own process group: a stuck daemon can be killed with its agents
        except OSError:
            pass
        lock_fd = self._acquire_lock()
        if lock_fd is None:
            return 0
        pid_file = daemon_control.pid_path(self.directory)
        try:
            cibfile.write_text_atomic(pid_file, f"{os.getpid()}\n")
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, self._on_signal)
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            self.cluster.log("pacemakerd", f"Engine daemon started (pid {os.getpid()})", "notice")
            self.loop()
            self.cluster.log("pacemakerd", "Engine daemon stopped", "notice")
            return 0
        finally:
            try:
                if pid_file.read_text(encoding="ascii").strip() == str(os.getpid()):
                    pid_file.unlink()
            except OSError:
                pass
            os.close(lock_fd)

    def _acquire_lock(self) -> int | None:
        fd = os.open(self.directory / daemon_control.DAEMON_LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        deadline = time.monotonic() + _LOCK_RETRY_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                # another daemon is alive (or is just exiting): retry briefly, then leave it be
                if time.monotonic() > deadline or daemon_control.running_pid(self.directory) is not None:
                    os.close(fd)
                    return None
                time.sleep(0.05)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    # -- the loop ------------------------------------------------------------------------
    def loop(self) -> None:
        """Tick until asked to stop (or until the cluster directory disappears)."""
        failures = 0
        last_error = ""
        while not self.stopping.is_set():
            if not (self.directory / "cib.xml").exists():
                break  # the cluster was removed: nothing left to serve
            try:
                self.tick()
                failures, last_error = 0, ""
                pause = self._sleep_time()
            except Exception as exc:  # noqa: BLE001 - the daemon must outlive one bad tick
                failures += 1
                text = f"Engine daemon tick failed: {type(exc).__name__}: {exc}"
                if text != last_error:  # once per distinct problem, not once per retry
                    self.cluster.log(IDENT, text, "error")
                    last_error = text
                pause = min(TICK_S * failures, _MAX_BACKOFF_S)  # never a busy loop
            self.stopping.wait(pause)

    def _sleep_time(self) -> float:
        due = self.timetable.next_due()
        if due is None:
            return TICK_S
        return min(TICK_S, max(0.02, due - time.monotonic()))

    def tick(self) -> None:
        """One pass: rejoins, expiries, then the monitors that are due."""
        self._reload_definition()
        root = cibfile.read_cib(self.cluster.path)
        now = time.time()
        rejoining = daemon_events.due_rejoins(root, now)
        if rejoining:
            self._rejoin(rejoining)
            return
        if self.cluster.settle_pending:
            # the last settle postponed a resource that keeps failing: go on with it now
            # (monitors still run in this tick: a flapping resource must not starve them)
            self.cluster.settle(IDENT)
            root = cibfile.read_cib(self.cluster.path)
        snap = CibSnapshot(root, self.cluster.definition, self.cluster.path)
        expired = daemon_events.expired_failures(root, snap.configuration, now)
        if expired:
            self._expire(expired)
            return
        armed = armed_operations(root)
        self.timetable.refresh(armed, time.monotonic())
        for entry in self.timetable.due_now(armed, time.monotonic()):
            if self.stopping.is_set():
                return
            try:
                failed = self.run_monitor(entry)
            except Exception as exc:  # noqa: BLE001 - one bad resource must not stop the others
                failed = False
                self.cluster.log(IDENT, f"Recurring {entry.key.task} of {entry.key.rsc_id} on {entry.key.node} "
                                 f"could not run: {type(exc).__name__}: {exc}", "error", node=entry.key.node)
            self.timetable.ran(entry.key, time.monotonic())
            if failed:
                return  # the cluster changed: re-read before running anything else

    def _reload_definition(self) -> None:
        mtime = self._definition_mtime()
        if mtime != self._yaml_mtime:
            self.cluster = controller.bundled_cluster(self.directory, self.env)
            self._yaml_mtime = mtime

    def _definition_mtime(self) -> float:
        try:
            return (self.directory / CLUSTER_YAML).stat().st_mtime
        except OSError:
            return 0.0

    # -- events --------------------------------------------------------------------------
    def _rejoin(self, nodes: list[str]) -> None:
        with self.cluster.mutate(IDENT) as snap:
            for node in nodes:
                if daemon_events.rejoin(snap.root, snap.definition, node, int(time.time())):
                    self.cluster.log(IDENT, f"Node {node} rebooted and rejoined the cluster", "notice", node=node)

    def _expire(self, expired: list[daemon_events.ExpiredFailure]) -> None:
        with self.cluster.mutate(IDENT) as snap:
            for failure in expired:
                daemon_events.clear_failure(snap.root, snap.definition, failure)
                self.cluster.log(IDENT, f"Clearing failure of {failure.rsc_id} ({failure.op_key}) on "
                                 f"{failure.node} because it expired (failure-timeout={failure.timeout_s}s)",
                                 "notice", node=failure.node)

    def run_monitor(self, entry: Armed) -> bool:
        """Run one recurring operation; True when it failed and the failure was recorded."""
        from crmsh_py.engine import resources

        key = entry.key
        snap = self.cluster.read()
        cfg = snap.configuration
        spec = settle.runnable_spec(cfg, key.rsc_id, key.node)  # configured, or made by Pacemaker (bundles)
        if spec is None:
            return False
        instance = _instance_on(snap, key.rsc_id, key.node)
        timeout_ms = resources.op_timeout_ms(cfg, spec, key.task, key.interval_ms)
        started = int(time.time())
        result = resources.run(self.cluster, spec, instance, key.node, key.task, key.interval_ms, timeout_ms)
        if self.stopping.is_set() and result.op_status == PCMK_EXEC_ERROR:
            return False  # killed by `crm cluster stop` itself: not the resource's failure
        if result.op_status == 0 and result.rc == entry.expected_rc:
            return False
        recorded = False
        with self.cluster.mutate(IDENT) as locked:
            current = armed_operations(locked.root).get(key)
            if current is not None and current.call_id == entry.call_id:
                settle.record_result(self.cluster, locked, spec, key.task, instance, key.node, key.interval_ms,
                                     result, started, entry.expected_rc, settle.SettleReport())
                for line in scheduler.plan(locked.configuration, locked.status).summary():
                    self.cluster.log("pacemaker-schedulerd", "Actions: " + " ".join(line.split()).lstrip("* "),
                                     "notice")
                recorded = True
        if not recorded:
            self.cluster.log(IDENT, f"Discarded result of {key.rsc_id}_{key.task}_{key.interval_ms} on "
                             f"{key.node}: the operation was cancelled meanwhile", "info", node=key.node)
        return recorded


def _instance_on(snap: CibSnapshot, history_id: str, node: str) -> str:
    """The resource instance id whose history is ``history_id`` on ``node`` (``rsc:N`` for an
    anonymous clone instance, so the agent sees the same OCF_RESOURCE_INSTANCE as at start)."""
    from crmsh_py.engine.scheduler.resources import build_tree
    from crmsh_py.engine.scheduler.state import STOPPED, read_state

    cfg = snap.configuration
    status = snap.status
    tree = build_tree(cfg, len(status.nodes))
    if history_id in tree.leaf_by_id:
        return history_id
    states, _ = read_state(tree, status, False)
    for leaf in tree.leaves:
        if leaf.base == history_id and states[leaf.id].role_on(node) != STOPPED:
            return leaf.id
    return history_id


def run_daemon(directory: Path, env: Mapping[str, str]) -> int:
    """Entry point of ``crm_engine run-daemon``: serve ``directory`` until SIGTERM."""
    return EngineDaemon(directory, env).run()
