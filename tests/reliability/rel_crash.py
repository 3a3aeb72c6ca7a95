"""Crash safety: SIGKILL a CIB writer at random moments; the CIB on disk must stay whole.

Three writers, each killed after a random delay:

- ``loop``: a Python process mutating a large ``CIB_file`` through ``crmsh_py.engine.store`` in a
  loop (property ``counter`` = 1, 2, 3 ...), printing each counter once its write returned; the
  CIB is big (hundreds of primitives) so that a good share of kills land inside a write.  The
  file must then hold counter k (last reported) or k + 1 (the write in flight).
- ``oneshot``: the ``crm_attribute`` console program on the bundled cluster, one change per process.
- ``settle``: ``crm_resource --meta -p target-role`` on the bundled cluster whose resource has a
  slow agent, so that kills land while agents run.

After each kill: the CIB parses, its configuration equals the old or the new version, and after
the next command no temp file remains.  Run as a script (``python rel_crash.py loop CIB``) this
module is the ``loop`` writer itself.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

# also run as a worker script (python rel_*.py ...), where pytest's pythonpath does not apply
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import rel_common as rc  # noqa: E402

COUNTER = "counter"
SLOW_AGENT = """#!/bin/sh
# A Dummy-like agent whose start and stop take a while (kills land while it runs).
state="$HA_RSCTMP/slow-$OCF_RESOURCE_INSTANCE.state"
case "$1" in
  start) sleep 0.15; touch "$state"; exit 0;;
  stop) sleep 0.15; rm -f "$state"; exit 0;;
  monitor) [ -f "$state" ] && exit 0; exit 7;;
  meta-data) cat <<'EOF'
<?xml version="1.0"?>
<resource-agent name="Slow" version="1.0"><version>1.0</version>
<shortdesc lang="en">slow</shortdesc><longdesc lang="en">slow</longdesc><parameters/>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/>
<action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
EOF
  exit 0;;
  validate-all) exit 0;;
  *) exit 3;;
esac
"""


@dataclass
class CrashFigures:
    """What the kills found (every list must stay empty)."""

    trials: int = 0
    old: int = 0
    new: int = 0
    finished: int = 0  # the writer was done before the kill
    mid_write: int = 0  # killed with a temp file of the CIB written but not yet renamed
    corrupt: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)  # neither the old nor the new version
    leftovers: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No corruption, no unexpected version, no temp file left."""
        return not (self.corrupt or self.mixed or self.leftovers)


def _tool_argv(tool: str, args: list[str]) -> list[str]:
    """Run one of our console programs with this interpreter (never /usr/sbin's namesake)."""
    code = f"from crmsh_py.lowlevel.{tool} import main; raise SystemExit(main())"
    return [*rc.python_cmd(), "-c", code, *args]


def _kill_after(argv: list[str], env: dict[str, str], delay: float) -> tuple[bool, str]:
    """Start ``argv``, SIGKILL it after ``delay`` seconds; (finished before the kill, its stdout)."""
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        finished = True
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        finished = False
    out, _ = proc.communicate(timeout=30)
    return finished, out.decode("utf-8", "replace")


def _counter(root: ET.Element) -> int:
    for nv in root.iter("nvpair"):
        if nv.get("name") == COUNTER:
            return int(nv.get("value", "0"))
    return 0


def _without_counter(root: ET.Element) -> bytes:
    copy = ET.fromstring(ET.tostring(root))
    for parent in copy.iter():
        for nv in list(parent):
            if nv.tag == "nvpair" and nv.get("name") == COUNTER:
                parent.remove(nv)
    return rc.configuration_bytes(copy)


def _read(path: Path, figures: CrashFigures, trial: int) -> ET.Element | None:
    from crmsh_py.engine.cibfile import read_cib
    from crmsh_py.errors import CibFileError

    try:
        return read_cib(path)
    except CibFileError as error:
        figures.corrupt.append(f"trial {trial}: {error}")
        return None


# ---------------------------------------------------------------------- loop writer (CIB_file)


def big_cib(path: Path, primitives: int) -> None:
    """A CIB file with ``primitives`` primitives (a few hundred KiB: writes take a while)."""
    from crmsh_py.cib import dump, empty_cib

    root = empty_cib()
    resources = root.find("configuration/resources")
    crm_config = root.find("configuration/crm_config")
    assert resources is not None and crm_config is not None
    props = ET.SubElement(crm_config, "cluster_property_set", {"id": "cib-bootstrap-options"})
    ET.SubElement(props, "nvpair", {"id": f"cib-bootstrap-options-{COUNTER}", "name": COUNTER, "value": "0"})
    for i in range(primitives):
        p = ET.SubElement(resources, "primitive", {"id": f"p{i}", "class": "ocf", "provider": "heartbeat",
                                                    "type": "Dummy"})
        ops = ET.SubElement(p, "operations")
        ET.SubElement(ops, "op", {"id": f"p{i}-monitor-10s", "name": "monitor", "interval": "10s",
                                  "timeout": "20s"})
    path.write_text(dump(root), encoding="utf-8")


def writer_loop(cib: str) -> None:
    """The ``loop`` writer: bump the ``counter`` property forever, reporting each finished write."""
    from crmsh_py.engine.cluster_open import open_cluster

    cluster = open_cluster({"CIB_file": cib})
    k = _counter(cluster.read().root)
    while True:
        k += 1
        with cluster.mutate("crm_attribute", settle=False) as snap:
            props = snap.section("crm_config").find("cluster_property_set")
            if props is None:
                props = ET.SubElement(snap.section("crm_config"), "cluster_property_set",
                                      {"id": "cib-bootstrap-options"})
            nv = next((n for n in props.iter("nvpair") if n.get("name") == COUNTER), None)
            if nv is None:
                nv = ET.SubElement(props, "nvpair", {"id": f"cib-bootstrap-options-{COUNTER}",
                                                     "name": COUNTER, "value": "0"})
            nv.set("value", str(k))
        sys.stdout.write(f"{k}\n")
        sys.stdout.flush()


def crash_loop(workdir: Path, trials: int, seed: int = 7, primitives: int = 600,
               max_delay: float = 0.8) -> CrashFigures:
    """Kill the ``loop`` writer ``trials`` times; check the CIB file after each kill."""
    rng = random.Random(seed)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "cib.xml"
    big_cib(path, primitives)
    env = {**os.environ, "CIB_file": str(path)}
    figures = CrashFigures()
    start = time.monotonic()
    for trial in range(trials):
        before = rc.epoch_of_file(path)
        base = _without_counter(rc.read_root(path))
        finished, out = _kill_after([*rc.python_cmd(), __file__, "loop", str(path)], env,
                                    rng.uniform(0.05, max_delay))
        reported = [int(w) for w in out.split()] or [_counter(rc.read_root(path)) if before else 0]
        figures.trials += 1
        figures.mid_write += bool(list(workdir.glob(".*.tmp")))
        root = _read(path, figures, trial)
        if root is None:
            continue
        k = _counter(root)
        if _without_counter(root) != base:
            figures.mixed.append(f"trial {trial}: configuration changed beyond the counter")
        elif k == reported[-1]:
            figures.old += 1
        elif k == reported[-1] + 1:
            figures.new += 1
        else:
            figures.mixed.append(f"trial {trial}: counter {k}, writer reported {reported[-1]}")
        # the next command (any mutation) must clear what the killed writer left
        nxt = rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "after-crash", "-v", str(trial)],
                          {**env, "CRM_SYSLOG_SOCKET": str(workdir / "no-syslog")})
        if nxt.rc != 0:
            figures.corrupt.append(f"trial {trial}: next command failed: {nxt.err.strip()}")
        left = [p.name for p in workdir.glob(".*.tmp")]
        if left:
            figures.leftovers.append(f"trial {trial}: {left}")
    figures.seconds = time.monotonic() - start
    return figures


# ---------------------------------------------------------------------- one-shot and settle writers


def install_slow_agent(ocf_dir: Path) -> None:
    """``ocf:crashtest:Slow`` in ``ocf_dir`` (a CRM_OCF_PATH resource.d directory)."""
    agent = ocf_dir / "crashtest" / "Slow"
    agent.parent.mkdir(parents=True, exist_ok=True)
    agent.write_text(SLOW_AGENT, encoding="utf-8")
    agent.chmod(0o755)


def _target_role(root: ET.Element) -> str:
    for prim in root.iter("primitive"):
        if prim.get("id") == "slow":
            for nv in prim.iter("nvpair"):
                if nv.get("name") == "target-role":
                    return nv.get("value", "")
    return ""


def _writer(mode: str, old_root: ET.Element, trial: int) -> tuple[list[str], str]:
    """The writer's argv and the value it writes."""
    if mode == "settle":
        value = "Stopped" if _target_role(old_root) in ("", "Started") else "Started"
        return _tool_argv("crm_resource", ["-r", "slow", "--meta", "-p", "target-role", "-v", value]), value
    value = str(trial + 1)
    return _tool_argv("crm_attribute", ["-t", "crm_config", "-n", COUNTER, "-v", value]), value


def _calibrate(argv: list[str], env: dict[str, str]) -> float:
    """How long one un-killed run of the writer takes (seconds)."""
    start = time.monotonic()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, check=False)
    return time.monotonic() - start


def crash_bundled(workdir: Path, trials: int, mode: str, seed: int = 11) -> CrashFigures:
    """Kill a one-shot writer (``oneshot``: crm_attribute; ``settle``: crm_resource with agents
    running) on a bundled cluster ``trials`` times."""
    rng = random.Random(seed)
    cluster_dir = rc.new_cluster(workdir / "cluster")
    ocf = workdir / "ocf"
    install_slow_agent(ocf)
    env = rc.base_env(cluster_dir, {"CRM_OCF_PATH": str(ocf)})
    if mode == "settle":
        setup = rc.run_tool(["cibadmin", "-C", "-o", "resources", "-X",
                             '<primitive id="slow" class="ocf" provider="crashtest" type="Slow"/>'], env)
        assert setup.rc == 0, setup.err
    figures = CrashFigures()
    path = rc.cib_path(cluster_dir)
    start = time.monotonic()
    full = _calibrate(_writer(mode, rc.read_root(path), -1)[0], env)
    for trial in range(trials):
        old_root = rc.read_root(path)
        argv, value = _writer(mode, old_root, trial)
        # most kills land late in the run: python start-up takes the first part of it
        delay = rng.uniform(0.4 * full, 1.1 * full)
        old = rc.configuration_bytes(old_root)
        finished, _ = _kill_after(argv, env, delay)
        figures.trials += 1
        figures.finished += finished
        figures.mid_write += bool(list(cluster_dir.glob(".*.tmp")))
        root = _read(path, figures, trial)
        if root is None:
            continue
        now = rc.configuration_bytes(root)
        got = _target_role(root) if mode == "settle" else str(_counter(root))
        if now == old:
            figures.old += 1
        elif got == value:
            figures.new += 1
        else:
            figures.mixed.append(f"trial {trial}: neither old nor new configuration")
        nxt = rc.run_tool(["crm_attribute", "-t", "crm_config", "-n", "after-crash", "-v", str(trial)], env)
        if nxt.rc != 0:
            figures.corrupt.append(f"trial {trial}: next command failed: {nxt.err.strip()}")
        left = rc.stray_files(cluster_dir)
        if left:
            figures.leftovers.append(f"trial {trial}: {left}")
    figures.seconds = time.monotonic() - start
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "loop":
        writer_loop(sys.argv[2])
    else:
        sys.stderr.write("usage: rel_crash.py loop CIB_FILE\n")
        sys.exit(2)
