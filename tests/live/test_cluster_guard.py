"""The live cluster's guard: when the test run is killed, the cluster it started is stopped by PID
and the system files are put back.

The first tests use stand-ins (``sleep`` processes for the daemons, files under ``tmp_path`` for
the system files, a ``sleep`` for the test run) and run anywhere.  The last one starts the real
one-node cluster from a child process, kills that process with SIGKILL and checks that corosync and
Pacemaker are gone and ``/etc/corosync/corosync.conf`` is as before (root and Pacemaker needed).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import cluster_guard
from livecluster import COROSYNC_CONF, ClusterUnavailable, LiveCluster, processes_named

HERE = Path(__file__).parent


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@dataclass
class StandIns:
    """The pretend test run and daemons (procs: run, daemon, daemon), the guard, the files."""

    procs: list[subprocess.Popen[bytes]]
    guard: subprocess.Popen[bytes]
    conf: Path
    data: Path
    absent: Path
    log: Path


@pytest.fixture
def stand_ins(tmp_path: Path) -> Iterator[StandIns]:
    """A pretend test run, two pretend daemons and pretend system files with saved copies."""
    procs = [subprocess.Popen(["sleep", "600"]) for _ in range(3)]
    system = tmp_path / "system"
    conf = system / "corosync.conf"
    data = system / "pacemaker"
    (data / "cib").mkdir(parents=True)
    conf.write_text("the cluster's conf\n")
    (data / "cib" / "cib.xml").write_text("the cluster's CIB\n")
    (data / "shadow.keep").write_text("another process's shadow\n")
    saved = tmp_path / "saved"
    (saved / "pacemaker" / "cib").mkdir(parents=True)
    (saved / "corosync.conf").write_text("the host's conf\n")
    (saved / "pacemaker" / "cib" / "cib.xml").write_text("the host's CIB\n")
    absent = system / "run-crm"
    absent.mkdir()
    state = {
        "parent": procs[0].pid, "parent_start": cluster_guard.start_time(procs[0].pid),
        "lock_file": str(tmp_path / "lock"),
        "processes": [{"pid": procs[1].pid, "name": "sleep"}, {"pid": procs[2].pid, "name": "sleep"}],
        "conf": {"path": str(conf), "saved": str(saved / "corosync.conf")},
        "saved_dirs": {str(data): str(saved / "pacemaker")}, "absent_dirs": [str(absent)],
    }
    state_path = tmp_path / "guard.json"
    cluster_guard.write_state(state_path, state)
    guard = cluster_guard.spawn(state_path)
    yield StandIns(procs, guard, conf, data, absent, tmp_path / "guard.log")
    for proc in [*procs, guard]:  # whatever the test left, stopped by PID
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_killing_the_test_run_stops_the_daemons_and_restores_the_files(stand_ins: StandIns) -> None:
    parent, first, second = stand_ins.procs
    guard = stand_ins.guard
    time.sleep(1.0)  # the guard is watching
    assert guard.poll() is None and first.poll() is None
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    assert _wait(lambda: first.poll() is not None and second.poll() is not None, 20), "daemons still running"
    assert first.returncode == -signal.SIGTERM and second.returncode == -signal.SIGTERM
    assert guard.wait(timeout=20) == 0
    conf, data = stand_ins.conf, stand_ins.data
    assert conf.read_text() == "the host's conf\n"
    assert (data / "cib" / "cib.xml").read_text() == "the host's CIB\n"
    assert (data / "shadow.keep").exists()  # other processes' shadow CIBs stay
    assert not stand_ins.absent.exists()
    assert "cluster stopped and files restored" in stand_ins.log.read_text()


def test_a_dismissed_guard_touches_nothing(stand_ins: StandIns) -> None:
    parent, first, second = stand_ins.procs
    guard = stand_ins.guard
    cluster_guard.dismiss(guard)
    assert guard.returncode is not None
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    time.sleep(2 * cluster_guard.POLL_S + 0.5)
    assert first.poll() is None and second.poll() is None
    assert stand_ins.conf.read_text() == "the cluster's conf\n"


def test_a_reused_pid_is_not_signalled(stand_ins: StandIns) -> None:
    _, first, _ = stand_ins.procs
    assert not cluster_guard._signal_if(first.pid, "corosync", signal.SIGTERM)  # it is a sleep, not corosync
    assert first.poll() is None


CHILD = """
import sys, time
sys.path.insert(0, {here!r})
from livecluster import LiveCluster, ClusterUnavailable
cluster = LiveCluster()
try:
    cluster.start()
except ClusterUnavailable as error:
    print("UNAVAILABLE", error, flush=True)
    sys.exit(0)
print("UP", cluster.corosync.pid, cluster.pacemakerd.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.integration
def test_killing_pytest_with_a_live_cluster_up_cleans_up(tmp_path: Path) -> None:
    try:
        LiveCluster(workdir=tmp_path / "probe").check_possible()
    except ClusterUnavailable as error:
        pytest.skip(str(error))
    before = COROSYNC_CONF.read_bytes() if COROSYNC_CONF.exists() else None
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(here=str(HERE))], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        line = child.stdout.readline() if child.stdout else ""  # bounded by the cluster's start timeout
        if line.startswith("UNAVAILABLE") or not line:
            pytest.skip(f"the live cluster cannot start here: {line.strip() or 'no output'}")
        assert line.startswith("UP"), line
        daemons = processes_named(("corosync", "pacemakerd"))
        assert daemons
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert _wait(lambda: not processes_named(("corosync", "pacemakerd", "pacemaker-based",
                                                  "pacemaker-controld")), 120), "the cluster outlived its test run"
        assert _wait(lambda: (COROSYNC_CONF.read_bytes() if COROSYNC_CONF.exists() else None) == before, 60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)


TWO_NODES = """
import sys, time
sys.path.insert(0, {here!r})
from livecluster import LiveCluster, ClusterUnavailable
from multinode import MultiNode
lock = LiveCluster()
try:
    lock.lock()  # one live cluster at a time on a machine
except ClusterUnavailable as error:
    print("UNAVAILABLE", error, flush=True)
    sys.exit(0)
cluster = MultiNode()
try:
    cluster.start()
except Exception as error:
    print("UNAVAILABLE", error, flush=True)
    sys.exit(0)
print("UP", flush=True)
time.sleep(600)
"""


def _namespaces() -> list[str]:
    done = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=10, check=False)
    return [line.split()[0] for line in done.stdout.splitlines() if line.startswith("crmsh-py-")]


@pytest.mark.integration
def test_killing_pytest_with_two_namespaced_nodes_up_cleans_up(tmp_path: Path) -> None:
    import shutil

    try:
        LiveCluster(workdir=tmp_path / "probe").check_possible()
    except ClusterUnavailable as error:
        pytest.skip(str(error))
    for tool in ("ip", "nsenter", "unshare"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (iproute2, util-linux)")
    child = subprocess.Popen([sys.executable, "-c", TWO_NODES.format(here=str(HERE))], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        line = child.stdout.readline() if child.stdout else ""  # bounded by the nodes' start timeout
        if line.startswith("UNAVAILABLE") or not line:
            pytest.skip(f"two namespaced nodes cannot start here: {line.strip() or 'no output'}")
        assert line.startswith("UP"), line
        assert len(_namespaces()) == 2 and processes_named(("corosync",))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert _wait(lambda: not processes_named(("corosync", "pacemakerd", "pacemaker-based",
                                                  "pacemaker-controld")), 150), "the nodes outlived their test run"
        assert _wait(lambda: not _namespaces(), 30), _namespaces()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
