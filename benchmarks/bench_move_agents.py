"""A move that really moves: ``crm -R resource move dummy NODE force`` where every run stops the
Dummy agent on one node and starts (and monitors) it on the other, so the agents' meta-data,
stop, start and monitor run in the command.  (The one-shot table's move and unmove run no agent
after their first round: the demo's stickiness keeps dummy where it is, as crmsh, which runs no
agent at all, leaves it.)

Run: python benchmarks/installed.py --python /usr/bin/python3 bench_move_agents.py [--runs 11]

Each round moves dummy to srv02, clears the constraint, moves it to srv01 and clears again; the
moves are timed (CPU of the command and the agents it runs, median), beside the bare interpreter,
alternating.  Nothing else is compared: crmsh has no engine that runs agents offline.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import bin_path, python_env, run_once_cpu  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.crm"


def report(runs: int = 11) -> list[str]:
    """The medians as lines."""
    work = Path(tempfile.mkdtemp(prefix="bench-move-agents-"))
    env = dict(python_env(str(work)), CRM_CLUSTER_DIR=str(work / "cluster"), NO_COLOR="1",
               CRM_SYSLOG_SOCKET=str(work / "no-syslog"), XDG_CONFIG_HOME=str(work / "config"))
    for name in ("CIB_file", "CRM_BACKEND"):
        env.pop(name, None)
    crm = bin_path("crm")
    try:
        subprocess.run([crm, "configure", "load", "update", str(DEMO)], env=env, check=True, capture_output=True)
        floor: list[float] = []
        moves: list[float] = []
        for _round in range(runs):
            floor.append(run_once_cpu([sys.executable, "-I", "-c", "pass"], env)[3])
            for node in ("srv02", "srv01"):
                _wall, _rss, rc, cpu = run_once_cpu([crm, "-R", "resource", "move", "dummy", node, "force"], env)
                if rc != 0:
                    return [f"crm -R resource move dummy {node} force failed (rc {rc})"]
                moves.append(cpu)
                subprocess.run([crm, "resource", "clear", "dummy"], env=env, check=True, capture_output=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base, move = statistics.median(floor), statistics.median(moves)
    return [f"a move that stops and starts the Dummy agent: median of {len(moves)} moves, CPU with the agents",
            f"  python -I -c pass   {base * 1000:6.1f} ms",
            f"  crm -R resource move dummy srv02|srv01 force   {move * 1000:6.1f} ms  ({move / base:.2f}x python)"]


def main() -> int:
    """Print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    lines = report(parser.parse_args().runs)
    print("\n".join(lines))
    return 1 if "failed" in lines[0] else 0


if __name__ == "__main__":
    raise SystemExit(main())
