"""Concurrency: N processes × M mutations (crm one-shots and low-level tools mixed) on one cluster.

Each worker process runs its mutations in-process (the way the bundled backend does) in a loop,
cycling through four kinds, each writing something unique to the worker and the step:

  0. ``crm_attribute -t crm_config -n wI_J -v J``             (a cluster property)
  1. ``crm_resource -r base --meta -p wI_J -v J``             (all workers edit the same primitive)
  2. ``cibadmin -C -o resources -X <primitive id="xI_J" .../>``
  3. ``crm configure primitive cI_J Dummy meta target-role=Stopped`` (a crm one-shot; refused when
     another writer committed between its working copy and its commit: then retried, as a script would)

After each mutation the worker reads the CIB's epoch.  Afterwards: every update is present, each
worker saw strictly increasing epochs, the epoch grew by exactly the number of configuration
changes (no lost and no merged writes), and every worker finished within its time limit.
Run as a script (``python rel_concurrency.py worker DIR I M OUT KINDS``) this module is one worker.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# also run as a worker script (python rel_*.py ...), where pytest's pythonpath does not apply
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import rel_common as rc  # noqa: E402

KINDS = ("crm_attribute", "crm_resource", "cibadmin", "crm configure")
MAX_RETRIES = 200
CONFLICT = "changed since"


@dataclass
class ConcurrencyFigures:
    """What the run found (``problems`` must stay empty)."""

    workers: int = 0
    per_worker: int = 0
    mutations: int = 0
    conflicts_retried: int = 0
    epoch_growth: int = 0
    seconds: float = 0.0
    slowest_worker_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _mutation(kind: int, i: int, j: int) -> tuple[str, list[str]]:
    name = f"w{i}_{j}"
    if kind == 0:
        return "tool", ["crm_attribute", "-t", "crm_config", "-n", name, "-v", str(j)]
    if kind == 1:
        return "tool", ["crm_resource", "-r", "base", "--meta", "-p", name, "-v", str(j)]
    if kind == 2:
        return "tool", ["cibadmin", "-C", "-o", "resources", "-X",
                        f'<primitive id="x{i}_{j}" class="ocf" provider="heartbeat" type="Dummy">'
                        f'<meta_attributes id="x{i}_{j}-meta_attributes"><nvpair id="x{i}_{j}-tr" '
                        f'name="target-role" value="Stopped"/></meta_attributes></primitive>']
    return "crm", ["configure", "primitive", f"c{i}_{j}", "Dummy", "meta", "target-role=Stopped"]


def worker(cluster_dir: Path, index: int, count: int, out: Path, kinds: int = len(KINDS)) -> None:
    """One worker: ``count`` mutations (of the first ``kinds`` kinds), one JSON line each to ``out``."""
    env = rc.base_env(cluster_dir)
    with out.open("w", encoding="utf-8") as log:
        for j in range(count):
            how, argv = _mutation(j % kinds, index, j)
            retries = 0
            while True:
                result = rc.run_tool(argv, env) if how == "tool" else rc.run_crm(argv, env)
                if result.rc != 0 and CONFLICT in result.err and retries < MAX_RETRIES:
                    retries += 1
                    continue
                break
            log.write(json.dumps({"j": j, "rc": result.rc, "err": result.err[-300:], "retries": retries,
                                  "epoch": rc.epoch_of(cluster_dir)}) + "\n")
            log.flush()


def _expected(root_text: str, workers: int, count: int, kinds: int) -> list[str]:
    """Which of the updates are missing from the final CIB."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(root_text)
    props = {nv.get("name") for nv in root.iterfind("configuration/crm_config//nvpair")}
    ids = {p.get("id") for p in root.iterfind("configuration/resources/primitive")}
    base = next((p for p in root.iterfind("configuration/resources/primitive") if p.get("id") == "base"), None)
    base_meta = {nv.get("name") for nv in base.iterfind("meta_attributes/nvpair")} if base is not None else set()
    missing = []
    for i in range(workers):
        for j in range(count):
            kind, name = j % kinds, f"w{i}_{j}"
            present = {0: name in props, 1: name in base_meta, 2: f"x{i}_{j}" in ids, 3: f"c{i}_{j}" in ids}[kind]
            if not present:
                missing.append(f"{KINDS[kind]} update {i}/{j}")
    return missing


def run_concurrency(workdir: Path, workers: int, count: int, timeout_s: float,
                    kinds: int = len(KINDS)) -> ConcurrencyFigures:
    """Start ``workers`` worker processes of ``count`` mutations each and check the outcome.

    ``kinds`` = 3 leaves out the crm configure one-shot (low-level tools only)."""
    cluster_dir = rc.new_cluster(workdir / "cluster")
    env = rc.base_env(cluster_dir)
    setup = rc.run_tool(["cibadmin", "-C", "-o", "resources", "-X",
                         '<primitive id="base" class="ocf" provider="heartbeat" type="Dummy"/>'], env)
    assert setup.rc == 0, setup.err
    figures = ConcurrencyFigures(workers=workers, per_worker=count)
    initial = rc.epoch_of(cluster_dir)
    logs = [workdir / f"worker{i}.jsonl" for i in range(workers)]
    start = time.monotonic()
    procs = [(subprocess.Popen([*rc.python_cmd(), __file__, "worker", str(cluster_dir), str(i), str(count),
                                str(logs[i]), str(kinds)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE),
              time.monotonic()) for i in range(workers)]
    deadline = start + timeout_s
    for i, (proc, began) in enumerate(procs):
        try:
            _, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            figures.problems.append(f"worker {i} did not finish within {timeout_s:.0f}s (deadlock?)")
            continue
        figures.slowest_worker_s = max(figures.slowest_worker_s, time.monotonic() - began)
        if proc.returncode != 0:
            figures.problems.append(f"worker {i} exited {proc.returncode}: {err.decode()[-500:]}")
    figures.seconds = time.monotonic() - start
    done = 0
    for i, path in enumerate(logs):
        records = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
        epochs = [r["epoch"] for r in records if r["rc"] == 0]
        for r in records:
            figures.conflicts_retried += r["retries"]
            if r["rc"] != 0:
                figures.problems.append(f"worker {i} step {r['j']} failed (rc {r['rc']}): {r['err'].strip()}")
        done += sum(1 for r in records if r["rc"] == 0)
        if any(b <= a for a, b in zip(epochs, epochs[1:])):
            figures.problems.append(f"worker {i}: epochs not strictly increasing: {epochs}")
    figures.mutations = done
    final_text = rc.cib_path(cluster_dir).read_text(encoding="utf-8")
    figures.epoch_growth = rc.epoch_of(cluster_dir) - initial
    if figures.epoch_growth != done:
        figures.problems.append(f"epoch grew by {figures.epoch_growth} for {done} configuration changes")
    missing = _expected(final_text, workers, count, kinds)
    if missing:
        figures.problems.append(f"{len(missing)} updates missing, e.g. {missing[:5]}")
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "worker":
        worker(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.stderr.write("usage: rel_concurrency.py worker CLUSTER_DIR INDEX COUNT OUT KINDS\n")
        sys.exit(2)
