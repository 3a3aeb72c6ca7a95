"""A real single-node corosync + Pacemaker cluster on 127.0.0.1, for the live tests.

``LiveCluster.start()`` saves what it is about to touch (``/etc/corosync/corosync.conf``, the
contents of ``/var/lib/pacemaker`` and ``/var/lib/corosync``), writes a one-node corosync.conf
(knet on 127.0.0.1, votequorum with ``expected_votes: 1``), starts ``corosync -f`` and
``pacemakerd`` as child processes, waits (bounded) for the node to become DC and disables stonith.
``stop()`` shuts Pacemaker and corosync down by PID (each daemon pacemakerd spawned is recorded and
killed if it outlives the shutdown), then puts the saved files back exactly.  Should the test run
die before ``stop()`` (``kill -9`` of pytest), the guard started with the cluster
(``cluster_guard.py``) does the same by PID.

Runnable by hand for a look at the cluster: ``python tests/live/livecluster.py`` starts it, waits
for Enter, and stops it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cluster_guard

SBIN = Path("/usr/sbin")
COROSYNC_CONF = Path("/etc/corosync/corosync.conf")
SAVED_DIRS = (Path("/var/lib/pacemaker"), Path("/var/lib/corosync"))
RUNTIME_DIRS = (Path("/run/crm"),)
# Held (flock) while our cluster is up: test runs of several checkouts on one machine take turns
# instead of two of them writing corosync.conf and restoring each other's files.
LOCK_FILE = Path("/run/crmsh-py-live-cluster.lock")  # made by Pacemaker at start; removed again if it was not there
START_TIMEOUT_S = 120.0  # corosync ready + the node elected DC (about 20 s seen)
STOP_TIMEOUT_S = 60.0
TOOL_TIMEOUT_S = 10.0
POLL_S = 0.3  # crmadmin -D was seen blocking for minutes during start-up despite -t
PACEMAKER_DAEMONS = ("pacemakerd", "pacemaker-based", "pacemaker-fenced", "pacemaker-execd",
                     "pacemaker-attrd", "pacemaker-schedulerd", "pacemaker-controld")


def restore_files(conf: Path | None, saved_conf: Path | None, saved_dirs: dict[Path, Path],
                  absent_dirs: list[Path]) -> None:
    """Put back what a cluster run changed: ``conf`` from ``saved_conf`` (removed when there was
    none), each saved directory from its copy (what the cluster wrote goes, what it changed comes
    back; shadow CIBs of other processes stay), and the directories that were absent removed."""
    if conf is not None:
        if saved_conf is not None and saved_conf.exists():
            conf.write_bytes(saved_conf.read_bytes())
        elif conf.exists():
            conf.unlink()
    for directory, copy in saved_dirs.items():
        for path in sorted(directory.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            saved = copy / path.relative_to(directory)
            if path.name.startswith("shadow.") or saved.exists() or saved.is_symlink():
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        subprocess.run(["cp", "-a", f"{copy}/.", str(directory)], check=True, timeout=60)
    for directory in absent_dirs:
        if directory.exists():
            shutil.rmtree(directory)


class ClusterUnavailable(Exception):
    """corosync/Pacemaker cannot run here (the reason is the message)."""


def corosync_conf(node: str, logfile: Path) -> str:
    """A one-node corosync.conf on 127.0.0.1, one option a line."""
    return f"""totem {{
    version: 2
    cluster_name: crmshpy
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}}
logging {{
    to_stderr: no
    to_syslog: no
    to_logfile: yes
    logfile: {logfile}
    timestamp: on
}}
quorum {{
    provider: corosync_votequorum
    expected_votes: 1
}}
nodelist {{
    node {{
        name: {node}
        nodeid: 1
        ring0_addr: 127.0.0.1
    }}
}}
"""


def processes_named(names: tuple[str, ...]) -> dict[int, str]:
    """PID → name of the running processes whose command name is one of ``names``."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm in names or comm[:15] in {n[:15] for n in names}:  # comm is cut at 15 chars
            found[int(entry.name)] = comm
    return found


def children_of(pid: int) -> list[int]:
    """PIDs whose parent is ``pid``."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(pid):
            kids.append(int(entry.name))
    return kids


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def tool(argv: list[str], timeout: float = TOOL_TIMEOUT_S, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    """Run one of Pacemaker's/corosync's tools from /usr/sbin with a hard timeout."""
    try:
        return subprocess.run([str(SBIN / argv[0]), *argv[1:]], capture_output=True, text=True,
                              timeout=timeout, check=False, env=env)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", f"{argv[0]}: timed out after {timeout:g}s")


@dataclass
class LiveCluster:
    """One corosync + pacemakerd pair started by us, and what we saved to put back."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="crm-live-")))
    node: str = field(default_factory=socket.gethostname)
    corosync: subprocess.Popen[bytes] | None = None
    pacemakerd: subprocess.Popen[bytes] | None = None
    daemons: dict[int, str] = field(default_factory=dict)
    saved_conf: bytes | None = None
    saved_dirs: dict[Path, Path] = field(default_factory=dict)
    absent_dirs: list[Path] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    lock_fd: int | None = None
    guard: subprocess.Popen[bytes] | None = None  # cleans up if this process dies (cluster_guard.py)

    # ------------------------------------------------------------------ preconditions

    def check_possible(self) -> None:
        """Raise ClusterUnavailable when this machine cannot run the cluster for us."""
        if os.geteuid() != 0:
            raise ClusterUnavailable("needs root (corosync and pacemakerd run as root)")
        for binary in ("corosync", "pacemakerd", "corosync-cfgtool", "crmadmin", "crm_attribute"):
            if not (SBIN / binary).exists():
                raise ClusterUnavailable(f"{SBIN / binary} is not installed (apt-get install pacemaker corosync)")
        running = processes_named(("corosync", *PACEMAKER_DAEMONS))
        if running:
            names = ", ".join(f"{name}[{pid}]" for pid, name in sorted(running.items()))
            raise ClusterUnavailable(f"a cluster already runs on this machine ({names}); not touching it")

    # ------------------------------------------------------------------ save / restore

    def _save(self) -> None:
        (self.workdir / "saved").mkdir(parents=True, exist_ok=True)
        if COROSYNC_CONF.exists():
            self.saved_conf = COROSYNC_CONF.read_bytes()
            (self.workdir / "saved" / "corosync.conf").write_bytes(self.saved_conf)
        self.absent_dirs.extend(d for d in RUNTIME_DIRS if not d.exists())
        for directory in SAVED_DIRS:
            if not directory.exists():
                self.absent_dirs.append(directory)
            else:
                copy = self.workdir / "saved" / directory.name
                subprocess.run(["cp", "-a", str(directory), str(copy)], check=True, timeout=60)
                self.saved_dirs[directory] = copy

    def _restore(self) -> None:
        saved_conf = self.workdir / "saved" / "corosync.conf"
        if self.saved_conf is not None and not saved_conf.exists():
            saved_conf.write_bytes(self.saved_conf)
        restore_files(COROSYNC_CONF, saved_conf if self.saved_conf is not None else None, self.saved_dirs,
                      self.absent_dirs)
        self.saved_dirs.clear()
        self.absent_dirs.clear()
        self.saved_conf = None

    # ------------------------------------------------------------------ the guard

    def _guard_state(self) -> dict[str, object]:
        processes = [{"pid": pid, "name": name} for pid, name in self.daemons.items()]
        for proc, name in ((self.pacemakerd, "pacemakerd"), (self.corosync, "corosync")):
            if proc is not None:
                processes.append({"pid": proc.pid, "name": name})
        return {
            "parent": os.getpid(), "parent_start": cluster_guard.start_time(os.getpid()),
            "lock_file": str(LOCK_FILE), "processes": processes,
            "conf": {"path": str(COROSYNC_CONF),
                     "saved": str(self.workdir / "saved" / "corosync.conf") if self.saved_conf is not None else None},
            "saved_dirs": {str(k): str(v) for k, v in self.saved_dirs.items()},
            "absent_dirs": [str(d) for d in self.absent_dirs],
        }

    def _update_guard(self) -> None:
        """Tell the guard what to stop and restore should this test run die (see cluster_guard.py)."""
        state = self.workdir / "guard.json"
        cluster_guard.write_state(state, self._guard_state())
        if self.guard is None:
            self.guard = cluster_guard.spawn(state)

    # ------------------------------------------------------------------ start

    def start(self) -> None:
        """Bring the cluster up (bounded); on any failure stop what was started and raise."""
        self.lock()
        try:
            self.check_possible()
        except BaseException:
            self.unlock()
            raise
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._save()
        try:
            self._update_guard()
            self._start_daemons()
        except BaseException:
            self.stop()
            raise

    def lock(self) -> None:
        """Take the machine-wide live-cluster lock (ClusterUnavailable when another run has it)."""
        import fcntl

        try:
            fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise ClusterUnavailable(f"cannot open {LOCK_FILE}: {error.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise ClusterUnavailable("another test run's live cluster is up on this machine "
                                     f"({LOCK_FILE} is locked)") from None
        self.lock_fd = fd

    def unlock(self) -> None:
        """Release the machine-wide live-cluster lock."""
        if self.lock_fd is not None:
            os.close(self.lock_fd)  # closing releases the flock
            self.lock_fd = None

    def _start_daemons(self) -> None:
        COROSYNC_CONF.parent.mkdir(parents=True, exist_ok=True)
        COROSYNC_CONF.write_text(corosync_conf(self.node, self.workdir / "corosync.log"))
        out = open(self.workdir / "corosync.out", "wb")  # noqa: SIM115 - the child keeps it
        self.corosync = subprocess.Popen([str(SBIN / "corosync"), "-f"], stdout=out, stderr=out,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        self._update_guard()
        deadline = time.monotonic() + START_TIMEOUT_S
        self._wait(deadline, self._corosync_ready, "corosync to form its one-node ring")
        env = dict(os.environ, PCMK_logfile=str(self._shared_log()))
        for key in ("CIB_file", "CIB_shadow"):
            env.pop(key, None)
        out = open(self.workdir / "pacemakerd.out", "wb")  # noqa: SIM115
        self.pacemakerd = subprocess.Popen([str(SBIN / "pacemakerd")], stdout=out, stderr=out,
                                           stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        self._update_guard()
        self._wait(deadline, self._is_dc, f"{self.node} to become DC")
        self._record_daemons()
        for argv in (["crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-v", "false"],
                     ["crm_attribute", "-t", "crm_config", "-n", "no-quorum-policy", "-v", "ignore"]):
            done = tool(argv, timeout=30)
            if done.returncode != 0:
                raise ClusterUnavailable(f"{' '.join(argv)} failed: {done.stderr.strip()}")
        self._wait(time.monotonic() + 60, self.idle, "the cluster to settle")

    def _wait(self, deadline: float, ready: Callable[[], bool], what: str) -> None:
        while time.monotonic() < deadline:
            for proc, name in ((self.corosync, "corosync"), (self.pacemakerd, "pacemakerd")):
                if proc is not None and proc.poll() is not None:
                    raise ClusterUnavailable(f"{name} exited with {proc.returncode} while waiting for "
                                             f"{what}: {self.tail(name)}")
            if ready():
                return
            time.sleep(POLL_S)
        raise ClusterUnavailable(f"timed out waiting for {what}: {self.tail('pacemakerd')}")

    def _shared_log(self) -> Path:
        """The detail log every daemon can write (most run as hacluster, the work dir is root's):
        the scheduler's and controller's lines are what ``crm history`` and ``crm report`` read."""
        log = self.workdir / "pacemaker.log"
        log.touch()
        try:
            import grp
            import pwd

            os.chown(log, pwd.getpwnam("hacluster").pw_uid, grp.getgrnam("haclient").gr_gid)
        except (KeyError, OSError):
            log.chmod(0o666)  # no such user here: open to all (a throw-away file in our work dir)
        else:
            log.chmod(0o660)
        self.workdir.chmod(0o711)  # traversable, not listable; the saved copies stay root's
        return log

    def _corosync_ready(self) -> bool:
        done = tool(["corosync-cfgtool", "-s"], timeout=5)
        return done.returncode == 0 and "127.0.0.1" in done.stdout

    def _is_dc(self) -> bool:
        done = tool(["crmadmin", "-D", "-t", "2000"], timeout=5)
        self.log.append(f"crmadmin -D: rc={done.returncode} {done.stdout.strip()} {done.stderr.strip()}")
        return done.returncode == 0 and self.node in done.stdout

    def idle(self) -> bool:
        """True when the DC's controller is idle (no transition in progress)."""
        done = tool(["crmadmin", "-q", "-S", self.node, "-t", "2000"], timeout=5)
        return "S_IDLE" in done.stdout + done.stderr

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Wait (bounded) until the cluster settled."""
        self._wait(time.monotonic() + timeout, self.idle, "the cluster to settle")

    def _record_daemons(self) -> None:
        if self.pacemakerd is not None:
            self.daemons = {pid: Path(f"/proc/{pid}/comm").read_text().strip()
                            for pid in children_of(self.pacemakerd.pid) if alive(pid)}
            self._update_guard()

    def tail(self, name: str) -> str:
        """The last lines a daemon wrote (for error messages)."""
        for candidate in (f"{name}.out", f"{name}.log"):
            path = self.workdir / candidate
            if path.exists() and path.stat().st_size:
                return " | ".join(path.read_text(errors="replace").splitlines()[-5:])
        return "(no output)"

    # ------------------------------------------------------------------ stop

    def stop(self) -> None:
        """Stop everything we started, by PID (bounded), and put the saved files back."""
        try:
            if self.pacemakerd is not None:
                self._record_daemons_too()
                self._terminate(self.pacemakerd, "pacemakerd")
                for pid in self.daemons:
                    self._kill_if_alive(pid)
            if self.corosync is not None:
                if self.corosync.poll() is None:
                    tool(["corosync-cfgtool", "-H"], timeout=10)
                self._terminate(self.corosync, "corosync")
        finally:
            self.pacemakerd = self.corosync = None
            try:
                self._restore()
            finally:
                cluster_guard.dismiss(self.guard)  # after our own clean-up: it covers a death during it
                self.guard = None
                self.unlock()

    def _record_daemons_too(self) -> None:
        if self.pacemakerd is not None and self.pacemakerd.poll() is None:
            for pid in children_of(self.pacemakerd.pid):
                self.daemons.setdefault(pid, "child")

    @staticmethod
    def _terminate(proc: subprocess.Popen[bytes], name: str) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    @staticmethod
    def _kill_if_alive(pid: int) -> None:
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


if __name__ == "__main__":  # pragma: no cover - a manual aid
    cluster = LiveCluster()
    started = time.monotonic()
    cluster.start()
    print(f"cluster up in {time.monotonic() - started:.1f}s; workdir {cluster.workdir}; daemons {cluster.daemons}")
    try:
        input("Enter to stop> ")
    finally:
        cluster.stop()
        print("stopped and restored")
