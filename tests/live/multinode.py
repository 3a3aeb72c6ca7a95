"""Several real cluster nodes on one machine: one network + mount + UTS namespace per node.

Each node gets its own network namespace (``ip netns``: Pacemaker's IPC uses abstract unix
sockets, which are per network namespace, so nodes do not see each other's daemons), its own
mount namespace with private tmpfs over ``/etc/corosync``, ``/var/lib``, ``/run``, ``/dev/shm``
and ``/var/log`` (nothing of the host's state is touched), and its own host name.  The nodes talk
over a veth pair (two nodes) carrying loopback-range addresses ``127.1.0.N/16``
(``route_localnet=1`` inside the node namespaces only), so no address outside 127.0.0.0/8 is used.

``python tests/live/multinode.py`` brings two nodes up, shows ``crm status`` from node 1, kills
node 2 and shows node 1 noticing, then stops everything by PID and deletes the namespaces.
Should the test run die first, the guard started with the nodes (``cluster_guard.py``) does that.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SBIN = Path("/usr/sbin")
START_TIMEOUT_S = 180.0
NETNS_DIR = Path("/run/netns")
NODE_SCRIPT = r"""
set -e
hostname "$NODE"
for d in /etc/corosync /var/lib /run /dev/shm /var/log; do mount -t tmpfs -o mode=0755 tmpfs "$d"; done
chmod 1777 /dev/shm
mkdir -p /var/lib/pacemaker/cib /var/lib/pacemaker/pengine /var/lib/pacemaker/blackbox \
         /var/lib/pacemaker/cores /var/lib/corosync /var/log/pacemaker /var/log/crmsh /run/resource-agents
chown -R hacluster:haclient /var/lib/pacemaker /var/log/pacemaker
chmod 750 /var/lib/pacemaker/*
cp "$WORK/corosync.conf" /etc/corosync/corosync.conf
/usr/sbin/corosync -f > "$WORK/$NODE-corosync.out" 2>&1 &
echo $! > "$WORK/$NODE-corosync.pid"
i=0
until /usr/sbin/corosync-cfgtool -s > /dev/null 2>&1; do
    i=$((i+1)); [ $i -lt 100 ] || { echo "corosync did not start" >&2; exit 1; }; sleep 0.3
done
PCMK_logfile="$WORK/$NODE-pacemaker.log" /usr/sbin/pacemakerd > "$WORK/$NODE-pacemakerd.out" 2>&1 &
echo $! > "$WORK/$NODE-pacemakerd.pid"
wait
"""


def corosync_conf(count: int) -> str:
    """corosync.conf for ``count`` nodes node1..nodeN on 127.1.0.1..N (one option a line)."""
    nodes = "".join(f"""    node {{
        name: node{n}
        nodeid: {n}
        ring0_addr: 127.1.0.{n}
    }}
""" for n in range(1, count + 1))
    return f"""totem {{
    version: 2
    cluster_name: crmshpy-multi
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}}
logging {{
    to_stderr: yes
    to_syslog: no
}}
quorum {{
    provider: corosync_votequorum
    two_node: 1
}}
nodelist {{
{nodes}}}
"""


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command (bounded)."""
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=check)


@dataclass
class Node:
    """One node: its namespace, supervisor process and daemon PIDs."""

    number: int
    supervisor: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        """node1, node2, ..."""
        return f"node{self.number}"

    @property
    def netns(self) -> str:
        """The network namespace's name."""
        return f"crmsh-py-{self.name}"

    def run(self, *argv: str, timeout: float = 30, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` as on this node: in its network namespace (Pacemaker's IPC sockets are
        abstract, per network namespace) and its mount namespace (the IPC ring buffers live in
        its private /dev/shm), with its host name."""
        if self.supervisor is None:
            raise RuntimeError(f"{self.name} is not running")
        try:
            return subprocess.run(["nsenter", "-t", str(self.supervisor.pid), "-n", "-m", "-u", *argv],
                                  capture_output=True, text=True, timeout=timeout, check=False, env=env)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(argv, 124, "", "timed out")


@dataclass
class MultiNode:
    """Two real nodes wired by a veth pair."""

    count: int = 2
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="crm-multi-")))
    nodes: list[Node] = field(default_factory=list)
    had_netns_dir: bool = field(default_factory=lambda: NETNS_DIR.exists())
    guard: subprocess.Popen[bytes] | None = None  # cleans up if this process dies (cluster_guard.py)

    def start(self) -> None:
        """Namespaces, link, daemons; waits (bounded) until node1 sees every node online."""
        if self.count != 2:
            raise ValueError("two nodes (a veth pair); more need a bridge")
        self.nodes = [Node(n) for n in range(1, self.count + 1)]
        (self.workdir / "corosync.conf").write_text(corosync_conf(self.count))
        try:
            self._update_guard()
            self._wire()
            for node in self.nodes:
                env = dict(os.environ, NODE=node.name, WORK=str(self.workdir))
                node.supervisor = subprocess.Popen(
                    ["ip", "netns", "exec", node.netns, "unshare", "--mount", "--uts", "--propagation", "private",
                     "/bin/sh", "-c", NODE_SCRIPT], env=env, stdin=subprocess.DEVNULL,
                    stdout=open(self.workdir / f"{node.name}-supervisor.out", "wb"), stderr=subprocess.STDOUT)
            self._wait_all_online()
            self._update_guard()
        except BaseException:
            self.stop()
            raise

    def _update_guard(self) -> None:
        """Tell the guard what to stop and remove should this test run die (see cluster_guard.py)."""
        import cluster_guard

        processes = []
        for node in self.nodes:
            for pid in self._tree(node):
                name = cluster_guard.comm(pid)
                if name is not None:
                    processes.append({"pid": pid, "name": name})
        commands = [["ip", "netns", "del", node.netns] for node in self.nodes]
        commands += [["ip", "link", "del", "crmpy-veth1"]]
        if not self.had_netns_dir:
            commands += [["umount", str(NETNS_DIR)], ["rmdir", str(NETNS_DIR)]]
        state = self.workdir / "guard.json"
        from livecluster import LOCK_FILE

        cluster_guard.write_state(state, {"parent": os.getpid(), "parent_start": cluster_guard.start_time(os.getpid()),
                                          "lock_file": str(LOCK_FILE), "processes": processes, "commands": commands})
        if self.guard is None:
            self.guard = cluster_guard.spawn(state)

    def _wire(self) -> None:
        a, b = self.nodes
        for node in self.nodes:
            sh("ip", "netns", "add", node.netns)
        sh("ip", "link", "add", "crmpy-veth1", "type", "veth", "peer", "name", "crmpy-veth2")
        for node, dev in ((a, "crmpy-veth1"), (b, "crmpy-veth2")):
            sh("ip", "link", "set", dev, "netns", node.netns)
            for key in ("all", dev):
                sh("ip", "netns", "exec", node.netns, "sysctl", "-qw", f"net.ipv4.conf.{key}.route_localnet=1")
            sh("ip", "-n", node.netns, "addr", "add", f"127.1.0.{node.number}/16", "dev", dev)
            sh("ip", "-n", node.netns, "link", "set", dev, "up")
            sh("ip", "-n", node.netns, "link", "set", "lo", "up")

    def _wait_all_online(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        want = "Online: [ " + " ".join(n.name for n in self.nodes) + " ]"
        while time.monotonic() < deadline:
            for node in self.nodes:
                if node.supervisor is not None and node.supervisor.poll() is not None:
                    out = (self.workdir / f"{node.name}-supervisor.out").read_text(errors="replace")
                    raise RuntimeError(f"{node.name} stopped: {out[-500:]}")
            mon = self.nodes[0].run("/usr/sbin/crm_mon", "-1", timeout=10)
            if want in mon.stdout:
                return
            time.sleep(1)
        raise RuntimeError(f"timed out waiting for '{want}'")

    def pids(self, node: Node) -> dict[str, int]:
        """The daemons' PIDs the node's supervisor recorded."""
        out = {}
        for daemon in ("pacemakerd", "corosync"):
            path = self.workdir / f"{node.name}-{daemon}.pid"
            if path.exists():
                out[daemon] = int(path.read_text().strip())
        return out

    def kill(self, node: Node) -> None:
        """A hard node failure: its corosync and Pacemaker die at once (SIGKILL by PID)."""
        for pid in self._tree(node):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _tree(self, node: Node) -> list[int]:
        roots = list(self.pids(node).values())
        found: list[int] = []
        while roots:
            pid = roots.pop()
            found.append(pid)
            roots.extend(_children(pid))
        return found

    def stop(self) -> None:
        """Stop every node's daemons by PID (bounded), then remove the link and namespaces."""
        for node in self.nodes:
            pids = self.pids(node)
            tree = self._tree(node)
            if "pacemakerd" in pids:
                _signal(pids["pacemakerd"], signal.SIGTERM)
                _wait_gone(pids["pacemakerd"], 60)
            if "corosync" in pids:
                _signal(pids["corosync"], signal.SIGTERM)
                _wait_gone(pids["corosync"], 30)
            for pid in tree:
                _signal(pid, signal.SIGKILL)
            if node.supervisor is not None:
                try:
                    node.supervisor.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    node.supervisor.kill()
        for node in self.nodes:
            sh("ip", "netns", "del", node.netns, check=False)
        for _ in range(20):  # `ip netns add` made it; its entries go a moment after `del`
            if self.had_netns_dir or not NETNS_DIR.is_dir():
                break
            sh("umount", str(NETNS_DIR), check=False)  # ip netns bind-mounts it onto itself
            try:
                NETNS_DIR.rmdir()
            except OSError:
                time.sleep(0.2)
        import cluster_guard

        cluster_guard.dismiss(self.guard)  # after our own clean-up: it covers a death during it
        self.guard = None


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
            except OSError:
                continue
            if len(fields) > 1 and fields[1] == str(pid):
                kids.append(int(entry.name))
    return kids


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except (OSError, IndexError):
            return
        if state == "Z":
            return
        time.sleep(0.3)


if __name__ == "__main__":  # pragma: no cover - a manual aid
    import sys

    cluster = MultiNode()
    began = time.monotonic()
    try:
        cluster.start()
        print(f"two nodes up in {time.monotonic() - began:.0f}s ({cluster.workdir})")
        crm = [sys.executable, "-m", "crmsh_py.cli"]
        env = {k: v for k, v in os.environ.items() if k not in ("CRM_DETECT", "CIB_file")}
        print(cluster.nodes[0].run(*crm, "status", env=env).stdout)
        cluster.nodes[0].run("/usr/sbin/crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-v", "false")
        cluster.kill(cluster.nodes[1])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            shown = cluster.nodes[0].run(*crm, "status", env=env).stdout
            if "OFFLINE: [ node2 ]" in shown:
                print(shown)
                break
            time.sleep(1)
    finally:
        cluster.stop()
        print("stopped")
