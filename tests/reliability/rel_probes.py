"""Probes of issue 13's defects, shared by tests/reliability/test_*.py of issue 13 (small sizes) and
benchmarks/bench_reliability.py (full sizes).  Each probe returns a list of findings: one line per
defect seen; an empty list means the defect is gone.

Every wait is bounded; daemons started here are stopped by pid (``daemon_control.stop``).
"""

from __future__ import annotations

import builtins
import os
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import rel_common as rc
from support.waiting import HANG_S, wait_for

T = TypeVar("T")

BAD_NAMES = ("a=b", "x y", "tab\tname", "=", "new\nline", "p=1=2")


def _mon(env: dict[str, str]) -> str:
    return rc.run_tool(["crm_mon", "-1", "-f"], env).out


def _plant_param(cluster_dir: Path, rsc: str, name: str, value: str = "1") -> None:
    """Write a parameter straight into cib.xml, as a CIB from before names were checked has it."""
    from crmsh_py.engine.cibfile import read_cib, write_cib_atomic

    path = rc.cib_path(cluster_dir)
    root = read_cib(path)
    prim = next(p for p in root.iter("primitive") if p.get("id") == rsc)
    attrs = prim.find("instance_attributes")
    if attrs is None:
        attrs = ET.SubElement(prim, "instance_attributes", {"id": f"{rsc}-instance_attributes"})
    ET.SubElement(attrs, "nvpair", {"id": f"{rsc}-ia-planted", "name": name, "value": value})
    root.set("epoch", str(int(root.get("epoch", "0")) + 1))
    write_cib_atomic(path, root)


# -- item 1: parameter names with '=' ----------------------------------------------------------
def probe_bad_names_entry(cluster_dir: Path, rounds: int) -> list[str]:
    """Bad attribute names through every way in: each must be refused with nothing written."""
    env = rc.base_env(cluster_dir)
    assert rc.run_crm(["configure", "primitive", "a1", "Dummy"], env).rc == 0
    findings: list[str] = []
    for i in range(rounds):
        name = BAD_NAMES[i % len(BAD_NAMES)]
        quoted = name.replace('"', "")
        attempts: list[tuple[str, Callable[[], rc.Outcome]]] = [
            ("crm_resource -p", lambda: rc.run_tool(["crm_resource", "-r", "a1", "-p", name, "-v", "1"], env)),
            ("crm_resource --meta -p", lambda: rc.run_tool(["crm_resource", "-r", "a1", "--meta", "-p", name,
                                                            "-v", "1"], env)),
            ("crm_attribute -n", lambda: rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", name,
                                                      "-v", "1"], env)),
            ("cibadmin -C", lambda: rc.run_tool(["cibadmin", "-C", "-o", "resources", "-X",
                                                 f'<primitive id="n{i}" class="ocf" provider="heartbeat" '
                                                 f'type="Dummy"><instance_attributes id="n{i}-ia"><nvpair '
                                                 f'id="n{i}-ia-x" name="{_xml_attr(name)}" value="1"/>'
                                                 f'</instance_attributes></primitive>'], env)),
            ("crm configure primitive", lambda: rc.run_crm(["configure", "primitive", f"q{i}", "Dummy", "params",
                                                           f'"{quoted}"=1'], env)),
        ]
        for label, attempt in attempts:
            before = rc.cib_path(cluster_dir).read_bytes()
            result = attempt()
            after = rc.cib_path(cluster_dir).read_bytes()
            if result.rc == 0 and after != before and _stored_bad(cluster_dir):
                findings.append(f"{label} accepted the name {name!r}")
            elif result.rc != 0 and after != before:
                findings.append(f"{label} failed for {name!r} but changed the CIB")
            if "Traceback" in result.err or "internal error" in result.err:
                findings.append(f"{label} {name!r}: {result.err.strip()[:200]}")
    return findings


def _xml_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace("\t", "&#9;").replace("\n", "&#10;"))


def _stored_bad(cluster_dir: Path) -> bool:
    from crmsh_py.cib.attr_names import invalid_nvpair_names
    from crmsh_py.engine.cibfile import read_cib

    return bool(invalid_nvpair_names(read_cib(rc.cib_path(cluster_dir)).find("configuration")))


def probe_bad_name_engine(cluster_dir: Path, failures: int, interval: str = "1s") -> list[str]:
    """A resource with a bad name already stored (an old CIB): restart gives no internal error,
    the daemon keeps noticing and recovering the other resource's failures, and stops on request."""
    from crmsh_py.engine import daemon_control

    env = rc.base_env(cluster_dir)
    findings: list[str] = []
    for rsc in ("a1", "b1"):
        assert rc.run_crm(["configure", "primitive", rsc, "Dummy", "op", "monitor", f"interval={interval}"],
                          env).rc == 0
    assert rc.run_crm(["configure", "rsc_defaults", "migration-threshold=1000"], env).rc == 0
    _plant_param(cluster_dir, "a1", "a=b")
    restart = rc.run_crm(["resource", "restart", "a1"], env)
    if "internal error" in restart.err or "Traceback" in restart.err:
        findings.append(f"resource restart a1: {restart.err.strip()[:200]}")
    if rc.run_tool(["crm_engine", "start"], env).rc != 0:
        return findings + ["crm_engine start failed"]
    try:
        for n in range(1, failures + 1):
            node = _where(env, "b1")
            if node is None:
                findings.append(f"b1 is not running before failure {n}: {_mon(env)}")
                break
            (cluster_dir / "nodes" / node / "rsctmp" / "Dummy-b1.state").unlink(missing_ok=True)
            seen = wait_for(lambda: f"b1: migration-threshold=1000 fail-count={n} " in _mon(env)
                            and _where(env, "b1") is not None)
            if not seen:
                findings.append(f"failure {n} of b1 not noticed and recovered: {_mon(env)}")
                break
        log = (cluster_dir / "ha-log").read_text(errors="replace")
        ticks = log.count("Engine daemon tick failed")
        if ticks > 2:
            findings.append(f"the daemon logged 'tick failed' {ticks} times")
    finally:
        # whether it stopped by itself (its last log line), not how fast: a loaded machine is slow, a
        # wedged daemon is killed after the wait and never says it stopped
        log = cluster_dir / "ha-log"
        before = log.read_text(errors="replace").count("Engine daemon stopped")
        daemon_control.stop(cluster_dir, wait_s=HANG_S)
        if log.read_text(errors="replace").count("Engine daemon stopped") == before:
            findings.append("the daemon did not stop on request (it was killed)")
        if daemon_control.running_pid(cluster_dir) is not None:
            findings.append("the daemon survived crm cluster stop")
    return findings


def _where(env: dict[str, str], rsc: str) -> str | None:
    """The node ``rsc`` is started on according to crm_mon, or None."""
    for line in _mon(env).splitlines():
        if line.strip().startswith(f"* {rsc}\t") and "Started " in line:
            return line.rsplit("Started ", 1)[1].strip()
    return None


# -- item 2: one flapping resource must not end monitoring of others ---------------------------
FLAP_AGENT = """#!/bin/sh
# starts and stops fine; every monitor fails (a resource that flaps for ever)
state="$HA_RSCTMP/Flap-$OCF_RESOURCE_INSTANCE.state"
case "$1" in
  start) touch "$state"; exit 0;;
  stop) rm -f "$state"; exit 0;;
  monitor) [ -f "$state" ] && exit 1; exit 7;;
  meta-data) cat <<'END'
<?xml version="1.0"?>
<resource-agent name="Flap" version="1.0"><version>1.0</version>
<shortdesc lang="en">flap</shortdesc><longdesc lang="en">flap</longdesc><parameters/>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
END
  exit 0;;
  *) exit 3;;
esac
"""


def install_agent(root: Path, name: str, text: str) -> str:
    """Install ``ocf:testing:NAME`` under ``root``; the value for ``CRM_OCF_PATH``."""
    agents = root / "ocf" / "resource.d"
    (agents / "testing").mkdir(parents=True, exist_ok=True)
    path = agents / "testing" / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return str(agents)


def _armed(cluster_dir: Path, rsc: str, interval_ms: int) -> str | None:
    """The node where ``rsc_monitor_<interval>`` is recorded healthy in the status, or None."""
    from crmsh_py.engine.cibfile import read_cib

    root = read_cib(rc.cib_path(cluster_dir))
    for state in root.iter("node_state"):
        for op in state.iter("lrm_rsc_op"):
            if op.get("id") == f"{rsc}_monitor_{interval_ms}" and op.get("rc-code") == "0":
                return state.get("uname")
    return None


def probe_flapping(cluster_dir: Path, failures: int, interval_s: int = 1) -> list[str]:
    """A's monitor always fails, B is healthy: each of B's failures is noticed and recovered, and
    B's monitor is armed again after every recovery; nothing is given up ("did not settle")."""
    from crmsh_py.engine import daemon_control

    env = rc.base_env(cluster_dir, {"CRM_OCF_PATH": install_agent(cluster_dir.parent / "agents", "Flap",
                                                                     FLAP_AGENT)})
    os.environ["CRM_OCF_PATH"] = env["CRM_OCF_PATH"]  # the daemon is started from this environment
    findings: list[str] = []
    ms = interval_s * 1000
    try:
        assert rc.run_crm(["configure", "primitive", "B", "Dummy", "op", "monitor", f"interval={interval_s}s"],
                          env).rc == 0
        assert rc.run_crm(["configure", "primitive", "A", "ocf:testing:Flap", "op", "monitor",
                           f"interval={interval_s}s"], env).rc == 0
        if rc.run_tool(["crm_engine", "start"], env).rc != 0:
            return ["crm_engine start failed"]
        for n in range(1, failures + 1):
            node = wait_for(lambda: _armed(cluster_dir, "B", ms))
            if node is None:
                findings.append(f"B_monitor_{ms} is not armed before failure {n}")
                break
            (cluster_dir / "nodes" / node / "rsctmp" / "Dummy-B.state").unlink(missing_ok=True)
            if not wait_for(lambda: f"B: migration-threshold=1000000 fail-count={n} " in _mon(env)):
                findings.append(f"failure {n} of B went unseen: {_mon(env)}")
                break
        if not wait_for(lambda: _armed(cluster_dir, "B", ms)):
            findings.append(f"B_monitor_{ms} not armed again after the last recovery")
        log = (cluster_dir / "ha-log").read_text(errors="replace")
        for text in ("did not settle", "Transition limit"):
            if text in log:
                findings.append(f"work given up: {log.count(text)} '{text}' lines")
    finally:
        os.environ.pop("CRM_OCF_PATH", None)
        daemon_control.stop(cluster_dir, wait_s=20)
    return findings


# -- item 3: commit replace checks the version at write time -----------------------------------
def probe_commit_replace_race(cluster_dir: Path, commits: int) -> list[str]:
    """``commit replace`` in one process while ``crm_attribute`` changes the CIB in another (after
    the commit's own check, before its write): an acknowledged change must never be reverted."""
    import io
    import threading

    from crmsh_py.cli import parse_args
    from crmsh_py.session import build_session
    from crmsh_py.errors import CommandError
    from crmsh_py.shell.dispatch import execute
    from crmsh_py.shell.levels import configure_commit

    env = rc.base_env(cluster_dir)
    findings: list[str] = []
    acknowledged: list[str] = []
    real_verify = configure_commit.verify_cib

    for n in range(commits):
        def racing_verify(session, cib, n=n):  # type: ignore[no-untyped-def]
            # another writer gets in between the commit's epoch check and its write
            done = threading.Event()

            def other() -> None:
                result = rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", f"race-{n}", "-v", "1"], env)
                if result.rc == 0:
                    acknowledged.append(f"race-{n}")
                done.set()

            threading.Thread(target=other).start()
            done.wait(30)
            return real_verify(session, cib)

        session = build_session(parse_args(["--backend", "bundled"]), io.StringIO(), io.StringIO(), dict(env))
        session.mode = "batch"
        execute(session, "configure")
        execute(session, f"primitive mine{n} Dummy meta target-role=Stopped")
        configure_commit.verify_cib = racing_verify
        try:
            execute(session, "commit replace")
        except CommandError:
            pass  # refused because the CIB changed: what should happen
        finally:
            configure_commit.verify_cib = real_verify
        root = rc.read_root(rc.cib_path(cluster_dir))
        names = {nv.get("name") for nv in root.iter("nvpair")}
        lost = [name for name in acknowledged if name not in names]
        if lost:
            findings.append(f"commit replace {n} reverted acknowledged change(s) {', '.join(lost)}")
            acknowledged = [name for name in acknowledged if name in names]
    return findings


# -- item 4: a missing cib.xml; read-only commands create nothing ------------------------------
READ_ONLY_TOOLS = (["crm_mon", "-1"], ["crmadmin", "-D"], ["cibadmin", "-Q"], ["crm_resource", "--list"],
                   ["crm_node", "-l"], ["crm_verify", "-L"], ["crm_attribute", "-t", "crm_config", "-n",
                                                                "stonith-enabled", "-G"])
READ_ONLY_CRM = (["status"], ["configure", "show"], ["node", "list"], ["resource", "status"])


def _snapshot_dir(directory: Path) -> dict[str, bytes]:
    if not directory.exists():
        return {}
    return {str(p.relative_to(directory)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(directory.rglob("*")) if p.name != "ha-log"}


def probe_missing_cib(work: Path, rounds: int) -> list[str]:
    """``rm cib.xml`` then every command: nothing is re-initialised, the file and the repair are
    named; read-only commands on a machine without a cluster create nothing; the first write
    creates the default cluster; ``crm cluster repair`` restores ``cib.xml`` from the backup."""
    from crmsh_py.engine.controller import init_cluster

    findings: list[str] = []
    for n in range(rounds):
        directory = work / f"missing-{n}"
        init_cluster(directory, nodes=["alpha", "beta", "gamma"])
        env = rc.base_env(directory)
        assert rc.run_crm(["configure", "property", "stonith-enabled=false"], env).rc == 0
        assert rc.run_crm(["configure", "primitive", "keep", "Dummy"], env).rc == 0
        # one more write, so that the backup (the version before the last write) holds "keep"
        assert rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "after", "-v", "1"], env).rc == 0
        (directory / "cib.xml").unlink()
        before = _snapshot_dir(directory)
        for argv in READ_ONLY_TOOLS + (["crm_attribute", "-t", "crm_config", "-n", "x", "-v", "1"],):
            result = rc.run_tool(list(argv), env)
            if result.rc == 0 or "cib.xml" not in result.err or "crm cluster repair" not in result.err:
                findings.append(f"{' '.join(argv)} with cib.xml missing: rc={result.rc} {result.err.strip()[:150]}")
        for words in READ_ONLY_CRM + (["configure", "primitive", "p2", "Dummy"],):
            result = rc.run_crm(list(words), env)
            if result.rc == 0 or "crm cluster repair" not in result.err:
                findings.append(f"crm {' '.join(words)} with cib.xml missing: rc={result.rc} {result.err.strip()[:150]}")
        if _snapshot_dir(directory) != before:
            findings.append("commands changed a cluster directory whose cib.xml is missing (re-initialised?)")
        repaired = rc.run_crm(["cluster", "repair"], env)
        shown = rc.run_crm(["configure", "show"], env).out
        if repaired.rc != 0 or "primitive keep Dummy" not in shown:
            findings.append(f"repair did not restore cib.xml from cib.xml.last-good: {repaired.err.strip()[:200]}")
        nodes = rc.run_tool(["crm_node", "-l"], env).out
        if not all(name in nodes for name in ("alpha", "beta", "gamma")):
            findings.append(f"nodes lost: {nodes!r}")
        # a machine without any cluster: reads create nothing, the first write creates it
        fresh = work / f"none-{n}" / "cluster"
        env = rc.base_env(fresh)
        for argv in READ_ONLY_TOOLS:
            result = rc.run_tool(list(argv), env)
            if "Traceback" in result.err or "internal error" in result.err:
                findings.append(f"{' '.join(argv)} without a cluster: {result.err.strip()[:150]}")
        for words in READ_ONLY_CRM:
            rc.run_crm(list(words), env)
        if fresh.exists() or fresh.parent.exists():
            findings.append(f"read-only commands created {fresh}: {sorted(_snapshot_dir(fresh.parent))[:5]}")
        demo = Path(__file__).resolve().parents[2] / "examples" / "demo.crm"  # README's first session
        created = rc.run_crm(["configure", "load", "update", str(demo)], env)
        if created.rc != 0 or not (fresh / "cib.xml").exists() or "primitive dummy" not in \
                rc.run_crm(["configure", "show"], env).out:
            findings.append(f"the first write did not create the cluster: {created.err.strip()[:200]}")
    return findings


# -- item 5: atomic membership changes ----------------------------------------------------------
_ADD_SCRIPT = """
import errno, os, sys
from pathlib import Path
from crmsh_py.engine import cibfile, controller
mode, directory, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
real_text = cibfile.write_text_atomic
def full_disk(path, text, previous=None):
    if (mode == "enospc-cib" and path.name == "cib.xml") or (mode == "enospc-yaml" and path.name == "cluster.yaml"):
        raise OSError(errno.ENOSPC, "No space left on device")
    return real_text(path, text, previous)
cibfile.write_text_atomic = full_disk
cluster = controller.bundled_cluster(directory, dict(os.environ))
try:
    controller.add_node(cluster, name)
except OSError as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
"""


def _membership_view(cluster_dir: Path) -> tuple[set[str], set[str], set[str]]:
    from crmsh_py.engine.store import read_definition

    root = rc.read_root(rc.cib_path(cluster_dir))
    yaml_nodes = set(read_definition(cluster_dir / "cluster.yaml").node_names)
    cib_nodes = {n.get("uname") or "" for n in root.iter("node") if n.get("uname")}
    states = {s.get("uname") or "" for s in root.iter("node_state")}
    return yaml_nodes, cib_nodes, states


def probe_membership(cluster_dir: Path, trials: int, seed: int = 13) -> list[str]:
    """``crm cluster add`` killed at random moments or hitting a full disk; then ``crm cluster
    repair`` or the same ``add`` again must leave cluster.yaml and the CIB agreeing on the nodes
    (and, after ``add``, the node in both)."""
    import random
    import signal
    import subprocess
    import sys

    rng = random.Random(seed)
    env = rc.base_env(cluster_dir)
    findings: list[str] = []
    for trial in range(trials):
        name = f"n{trial + 3:02d}"
        mode = ("kill", "enospc-cib", "enospc-yaml")[trial % 3]
        proc = subprocess.Popen([sys.executable, "-c", _ADD_SCRIPT, mode, str(cluster_dir), name], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if mode == "kill":
            time.sleep(rng.uniform(0.05, 0.6))
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        if trial % 2 == 0:
            fixed = rc.run_crm(["cluster", "repair"], env)
        else:
            fixed = rc.run_crm(["cluster", "add", name], env)
            if fixed.rc != 0 and "already in the cluster" not in fixed.err:
                findings.append(f"trial {trial} ({mode}): add again failed: {fixed.err.strip()[:200]}")
        if "Traceback" in fixed.err or "internal error" in fixed.err:
            findings.append(f"trial {trial} ({mode}): {fixed.err.strip()[:200]}")
        yaml_nodes, cib_nodes, states = _membership_view(cluster_dir)
        if not yaml_nodes == cib_nodes == states:
            findings.append(f"trial {trial} ({mode}): half-added node: cluster.yaml {sorted(yaml_nodes)}, "
                            f"CIB nodes {sorted(cib_nodes)}, node_state {sorted(states)}")
            rc.run_crm(["cluster", "repair"], env)  # go on from a sane state if it can be had
        if trial % 2 == 1 and name not in yaml_nodes:
            findings.append(f"trial {trial} ({mode}): node {name} missing after add")
    return findings


# -- item 6: stop and run timeouts end agents and their children -------------------------------
HANG_AGENT = """#!/bin/sh
# monitor hangs (with a child of its own) while $HA_RSCTMP/hang exists
state="$HA_RSCTMP/Hang-$OCF_RESOURCE_INSTANCE.state"
case "$1" in
  start) touch "$state"; exit 0;;
  stop) rm -f "$state"; exit 0;;
  monitor)
    if [ -e "$HA_RSCTMP/hang" ] && [ -e "$state" ]; then
      sh -c 'sleep 600; :' "$OCF_RESKEY_marker" &
      touch "$HA_RSCTMP/hanging"; sleep 600
    fi
    [ -e "$state" ] && exit 0 || exit 7;;
  meta-data) cat <<'END'
<?xml version="1.0"?>
<resource-agent name="Hang" version="1.0"><version>1.0</version>
<shortdesc lang="en">hang</shortdesc><longdesc lang="en">hang</longdesc>
<parameters><parameter name="marker"><content type="string"/><shortdesc lang="en">x</shortdesc></parameter></parameters>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
END
  exit 0;;
  *) exit 3;;
esac
"""


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line contains ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            stat = Path(f"/proc/{entry}/stat").read_text(errors="replace")
        except OSError:
            continue
        if marker.encode() in cmdline and stat.rsplit(")", 1)[-1].split()[:1] != ["Z"]:
            found.append(int(entry))
    return found


def _kill_all(pids: list[int]) -> None:
    import signal

    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def probe_stop_ends_agents(cluster_dir: Path, rounds: int) -> list[str]:
    """A monitor hangs (its agent and a child running); ``crm cluster stop`` must end both, soon."""
    import uuid

    from crmsh_py.engine import daemon_control

    env = rc.base_env(cluster_dir, {"CRM_OCF_PATH": install_agent(cluster_dir.parent / "agents", "Hang", HANG_AGENT)})
    os.environ["CRM_OCF_PATH"] = env["CRM_OCF_PATH"]
    findings: list[str] = []
    try:
        for n in range(rounds):
            marker = f"relhang-{uuid.uuid4().hex[:12]}"
            words = ["configure", "primitive", f"h{n}", "ocf:testing:Hang", "params", f"marker={marker}",
                     "op", "monitor", "interval=1s", "timeout=120s"]
            assert rc.run_crm(words, env).rc == 0, "cannot configure the hanging resource"
            node = next(line.rsplit(" ", 1)[1] for line in _mon(env).splitlines()
                        if line.strip().startswith(f"* h{n}\t"))
            rsctmp = cluster_dir / "nodes" / node / "rsctmp"
            (rsctmp / "hanging").unlink(missing_ok=True)
            (rsctmp / "hang").touch()
            assert rc.run_tool(["crm_engine", "start"], env).rc == 0
            if not wait_for(lambda: (rsctmp / "hanging").exists() and processes_with(marker)):
                findings.append(f"round {n}: the monitor did not start hanging")
            started = time.monotonic()
            stopped = rc.run_crm(["cluster", "stop"], env)
            took = time.monotonic() - started
            daemon_control.stop(cluster_dir, wait_s=5)  # make sure, whatever `cluster stop` did
            left = wait_for(lambda: not processes_with(marker)) or processes_with(marker)
            if left is not True and left:
                findings.append(f"round {n}: {len(left)} agent process(es) survived crm cluster stop")
                _kill_all(left)
            if took > HANG_S:  # waited for the hang (monitor timeout 120 s, agent 600 s), not just slow
                findings.append(f"round {n}: crm cluster stop took {took:.0f}s")
            if stopped.rc != 0:
                findings.append(f"round {n}: crm cluster stop failed: {stopped.err.strip()[:200]}")
            (rsctmp / "hang").unlink(missing_ok=True)
            rc.run_crm(["cluster", "start"], env)
            rc.run_crm(["configure", "delete", "--force", f"h{n}"], env)
            rc.run_crm(["resource", "stop", f"h{n}"], env)
            rc.run_crm(["configure", "delete", f"h{n}"], env)
            daemon_control.stop(cluster_dir, wait_s=5)
    finally:
        os.environ.pop("CRM_OCF_PATH", None)
        daemon_control.stop(cluster_dir, wait_s=5)
    return findings


def probe_run_timeout(cluster_dir: Path, rounds: int) -> list[str]:
    """``crm cluster run`` past its timeout: the command and its children must be gone."""
    import uuid

    from crmsh_py.lowlevel import node_run as cluster_level  # where the simulated nodes' commands run

    env = rc.base_env(cluster_dir)
    findings: list[str] = []
    saved = cluster_level.RUN_TIMEOUT_S
    cluster_level.RUN_TIMEOUT_S = 1
    try:
        for n in range(rounds):
            marker = f"relrun-{uuid.uuid4().hex[:12]}"
            result = rc.run_crm(["cluster", "run", f"sh -c 'sleep 600; :' {marker} & sleep 601; : {marker}"], env)
            if result.rc == 0 or "timed out" not in result.out + result.err:
                findings.append(f"round {n}: no timeout reported: rc={result.rc} {result.err.strip()[:120]}")
            left = wait_for(lambda: not processes_with(marker)) or processes_with(marker)
            if left is not True and left:
                findings.append(f"round {n}: {len(left)} process(es) of the timed-out command survived")
                _kill_all(left)
    finally:
        cluster_level.RUN_TIMEOUT_S = saved
    return findings


# -- item 7: state permissions; masking from meaning ---------------------------------------------
SECRET = "S3cret"


def _secret_cases() -> list[tuple[str, list[str]]]:
    """(how, argv) whose logging must not show SECRET; crm lines start with "crm"."""
    return [
        ("-ppasswd", ["crm_resource", "-r", "st", "-ppasswd", "-v", SECRET + "1"]),
        ("--parameter=", ["crm_resource", "-r", "st", "--parameter=passwd", "--parameter-value", SECRET + "2"]),
        ("value before name", ["crm_resource", "-r", "st", "-v", SECRET + "3", "-p", "passwd"]),
        ("--xml-text value= first", ["cibadmin", "-M", "--xml-text",
                                     f'<nvpair value="{SECRET}4" name="passwd" id="st-instance_attributes-passwd"/>']),
        ("quoted value with a space", ["crm", "configure", "primitive", "st2", "stonith:external/ipmi", "params",
                                       "hostname=srv01", "ipaddr=10.0.0.1", "userid=admin", f"passwd={SECRET}5 R"]),
        ("set passwd=", ["crm", "resource", "param", "st", "set", f"passwd={SECRET}6"]),
        ("set passwd VALUE", ["crm", "resource", "param", "st", "set", "password", SECRET + "7"]),
        ("crm_attribute --name=", ["crm_attribute", "-t", "crm_config", "--name=db_password", f"--update={SECRET}8"]),
    ]


def _modes(directory: Path) -> dict[str, int]:
    out = {".": directory.stat().st_mode & 0o777}
    for name in ("cib.xml", "cib.xml.last-good", "cluster.yaml", "ha-log", "lock"):
        path = directory / name
        if path.exists():
            out[name] = path.stat().st_mode & 0o777
    return out


def probe_secrets(work: Path, rounds: int) -> list[str]:
    """Cluster directories 0700/0750 and their files 0600/0640 under any umask; the listed secret
    forms never reach ha-log, syslog or -R output."""
    import socket

    from crmsh_py.engine.controller import init_cluster

    findings: list[str] = []
    for n in range(rounds):
        for umask in (0o022, 0o077, 0o002):
            old = os.umask(umask)
            try:
                directory = work / f"perm-{n}-{umask:o}"
                init_cluster(directory)
                env = rc.base_env(directory)
                rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "x", "-v", "1"], env)
                rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "x", "-v", "2"], env)
            finally:
                os.umask(old)
            for name, mode in _modes(directory).items():
                limit = 0o750 if name == "." else 0o640
                if mode & ~limit:
                    findings.append(f"umask {umask:03o}: {name} is {mode:04o} (at most {limit:04o})")
        directory = rc.new_cluster(work / f"secrets-{n}")
        sock_path = work / f"syslog-{n}.sock"
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(str(sock_path))
        sock.setblocking(False)
        env = rc.base_env(directory, {"CRM_SYSLOG_SOCKET": str(sock_path)})
        try:
            assert rc.run_crm(["configure", "primitive", "st", "stonith:external/ipmi", "params", "hostname=srv01",
                               "ipaddr=10.0.0.1", "userid=admin", "passwd=x"], env).rc == 0
            shown = ""
            for _how, argv in _secret_cases():
                if argv[0] == "crm":
                    result = rc.run_crm(["-R", *argv[1:]], env)
                    # the -R lines; a tool's own answer may echo the value, as Pacemaker's does: not a log
                    shown += "".join(line + "\n" for line in (result.out + result.err).splitlines()
                                     if line.startswith((".EXT", ".INP")))
                else:
                    rc.run_tool(argv, env)
            logs = (directory / "ha-log").read_text(errors="replace")
            for _ in range(10_000):
                try:
                    logs += sock.recv(1 << 20).decode("utf-8", "replace")
                except BlockingIOError:
                    break
        finally:
            sock.close()
        for how, argv in _secret_cases():
            token = next(w for w in argv if SECRET in w)
            token = token[token.index(SECRET):token.index(SECRET) + len(SECRET) + 1]
            for where, text in (("logs", logs), ("-R output", shown)):
                if token in text:
                    findings.append(f"{how}: the secret {token} is in the {where}")
    return findings


# -- item 8: masking is linear -----------------------------------------------------------------------
def probe_masking_speed(sizes: tuple[int, ...], tool_size: int) -> list[str]:
    """Masking a long argument takes time proportional to its length (64,000 characters well under
    a second), and every tool given a ``tool_size`` argument answers quickly."""
    from crmsh_py.invocation import mask_secrets
    from crmsh_py.lowlevel.registry import TOOLS

    findings: list[str] = []
    for size in sizes:
        for word in ("a=" + "b" * size, "passwd=" + "x " * (size // 2), "<" * size, "'" + "=" * size,
                     '<nvpair name="p" ' + 'value="x" ' * (size // 10) + "/>"):
            started = time.monotonic()
            mask_secrets(["crm_resource", "-p", "passwd", "-v", word, word])
            took = time.monotonic() - started
            if took > max(0.5, size / 100_000):
                findings.append(f"masking a {size}-character argument took {took:.1f}s")
    with_dir = Path(os.environ.get("TMPDIR", "/tmp"))
    env = rc.base_env(with_dir / "no-such-cluster-for-speed", {"CRM_SYSLOG_SOCKET": "/nonexistent"})
    big = "passwd=" + "y" * tool_size
    for tool in sorted(TOOLS):
        if tool == "crm_engine":
            continue
        started = time.monotonic()
        rc.run_tool([tool, "-X", big, big], env)
        took = time.monotonic() - started
        if took > 5:
            findings.append(f"{tool} with a {tool_size}-character argument took {took:.1f}s")
    return findings


# -- item 10: a CIB_file symlink is written through ----------------------------------------------
def probe_cib_file_symlink(work: Path, rounds: int) -> list[str]:
    """Writes through ``CIB_file`` pointing at a symbolic link keep the link and change its target."""
    from crmsh_py.engine.cibfile import new_cluster_cib, write_cib_atomic
    from crmsh_py.engine.definition import make_definition

    findings: list[str] = []
    for n in range(rounds):
        target = work / f"real-{n}" / "cib.xml"
        target.parent.mkdir(parents=True)
        write_cib_atomic(target, new_cluster_cib(make_definition("x", ["a"], "corosync", None)))
        link = work / f"link-{n}.xml"
        link.symlink_to(target)
        env = {k: v for k, v in os.environ.items() if k != "CRM_CLUSTER_DIR"}
        env.update({"CIB_file": str(link), "CRM_SYSLOG_SOCKET": str(work / "nosock")})
        result = rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", f"through-{n}", "-v", "1"], env)
        if result.rc != 0:
            findings.append(f"crm_attribute on a CIB_file link failed: {result.err.strip()[:150]}")
        if not link.is_symlink():
            findings.append("the CIB_file link was replaced by a file")
        if f"through-{n}" not in target.read_text():
            findings.append("the link's target did not get the change")
    return findings


# -- items 11, 12, 13: one-line errors, permission errors, planted links ----------------------------
def _patched(target: object, name: str, replacement: object):  # type: ignore[no-untyped-def]
    from unittest import mock

    return mock.patch.object(target, name, replacement)


def probe_errors(cluster_dir: Path, rounds: int) -> list[str]:
    """Non-UTF-8 argv and load files, a full disk, an unreadable CIB or lock: one line each, no
    traceback, no "internal error"; permission problems are called so and never sent to repair,
    and repair refuses to touch an unreadable file."""
    import errno

    from crmsh_py.engine import cibfile

    env = rc.base_env(cluster_dir)
    findings: list[str] = []

    def check(label: str, result: rc.Outcome, must: str = "") -> None:
        text = result.err.strip()
        if result.rc == 0 or "Traceback" in text or "internal error" in text or not text:
            findings.append(f"{label}: rc={result.rc} {text[:200]!r}")
        elif must and must not in text:
            findings.append(f"{label}: {text[:200]!r} does not say {must!r}")
        elif len(text.splitlines()) > 2:
            findings.append(f"{label}: more than a short error: {text[:200]!r}")

    for n in range(rounds):
        bad = b"\xff\xfe".decode("utf-8", "surrogateescape")
        for argv in (["crm_mon", "-1", bad], ["crm_attribute", "-n", bad, "-v", "1"], ["cibadmin", "-Q", bad]):
            result = rc.run_tool(argv, env)
            if "Traceback" in result.err or "internal error" in result.err:
                findings.append(f"{argv[0]} with a non-UTF-8 argument: {result.err.strip()[:200]}")
        result = rc.run_crm(["status", bad], env)
        if "internal error" in result.err:
            findings.append(f"crm with a non-UTF-8 argument: {result.err.strip()[:200]}")
        load = cluster_dir.parent / f"latin1-{n}.crm"
        load.write_bytes(b'primitive p Dummy params a="\xff"\n')
        check("load update of a non-UTF-8 file", rc.run_crm(["configure", "load", "update", str(load)], env),
              "UTF-8")

        def full_disk(*args: object, **kwargs: object) -> object:
            raise OSError(errno.ENOSPC, "No space left on device", str(cluster_dir / "cib.xml"))

        with _patched(cibfile, "make_temp_file", full_disk):
            check("crm_attribute on a full disk", rc.run_tool(["crm_attribute", "-n", "x", "-v", "1"], env),
                  "No space left on device")
            check("crm_standby on a full disk", rc.run_tool(["crm_standby", "-v", "on", "-N", "srv01"], env),
                  "No space left on device")

        real_read = Path.read_text

        def unreadable(self: Path, *args: object, **kwargs: object) -> str:
            if self.name in ("cib.xml", "cluster.yaml"):
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real_read(self, *args, **kwargs)  # type: ignore[arg-type]

        real_open_file = builtins.open

        def unopenable(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
            # the store reads its files with open() (no pathlib on the one-shot path)
            if os.path.basename(str(file)) in ("cib.xml", "cluster.yaml") and mode in ("r", "rt", "rb"):
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open_file(file, mode, *args, **kwargs)  # type: ignore[call-overload]

        before = rc.cib_path(cluster_dir).read_bytes()
        with _patched(Path, "read_text", unreadable), _patched(builtins, "open", unopenable):
            for argv in (["crm_mon", "-1"], ["crm_attribute", "-n", "y", "-v", "1"]):
                result = rc.run_tool(argv, env)
                check(f"{argv[0]} on an unreadable CIB", result, "Permission denied")
                if "repair" in result.err:
                    findings.append(f"{argv[0]}: a permission problem is sent to repair: {result.err.strip()[:200]}")
            result = rc.run_crm(["cluster", "repair"], env)
            check("repair of an unreadable CIB", result, "permission denied")
        if rc.cib_path(cluster_dir).read_bytes() != before:
            findings.append("repair changed an unreadable (but good) CIB")

        real_open = os.open

        def locked_out(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if str(path).endswith("/lock"):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        with _patched(os, "open", locked_out):
            result = rc.run_tool(["crm_attribute", "-n", "z", "-v", "1"], env)
            check("crm_attribute with an unopenable lock", result, "Permission denied")
            if "repair" in result.err:
                findings.append(f"lock permission problem sent to repair: {result.err.strip()[:200]}")
    return findings


def probe_planted_links(work: Path, rounds: int) -> list[str]:
    """ha-log and lock replaced by links to another file: that file never changes; a state dir
    writable by others is refused."""
    import stat

    findings: list[str] = []
    for n in range(rounds):
        directory = rc.new_cluster(work / f"links-{n}")
        env = rc.base_env(directory)
        victim = work / f"victim-{n}"
        victim.write_text("untouched\n")
        for name in ("ha-log", "lock"):
            (directory / name).unlink(missing_ok=True)
            (directory / name).symlink_to(victim)
        results = [rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "x", "-v", str(n)], env),
                   rc.run_crm(["resource", "status"], env)]
        if victim.read_text() != "untouched\n":
            findings.append(f"a planted link made us write to another file: {victim.read_text()[:100]!r}")
        for result in results:
            if "Traceback" in result.err or "internal error" in result.err:
                findings.append(f"planted link: {result.err.strip()[:200]}")
        for name in ("ha-log", "lock"):
            (directory / name).unlink()
        directory.chmod(0o777)
        before = rc.cib_path(directory).read_bytes()
        result = rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "w", "-v", "1"], env)
        if result.rc == 0 or "writable by others" not in result.err:
            findings.append(f"a world-writable state dir was used: rc={result.rc} {result.err.strip()[:150]}")
        if rc.cib_path(directory).read_bytes() != before:
            findings.append("a world-writable state dir was written to")
        directory.chmod(stat.S_IRWXU)
    return findings
