"""Pacemaker 2.1.5's scheduler regression suite: parity and speed of our ``crm_simulate``.

Prints how many of the suite's cases give Pacemaker's Transition Summary and Revised Cluster
Status exactly (whitespace-normalised), per feature category, then the median wall time per case
of ``crm_simulate -S -x CASE.xml`` run as a process: ours (the installed console script) and
Pacemaker's ``/usr/sbin/crm_simulate``, side by side on the same inputs in one run.

    python benchmarks/bench_pacemaker_suite.py             # every case
    python benchmarks/bench_pacemaker_suite.py --sample 60 # speed on every 7th case or so

With ``--floor`` it also says where our time goes, case by case (median CPU of the same cases):
the interpreter's start (``python -P -c pass``, site and ``.pth`` files included, as a console
script starts), what any Python ``crm_simulate`` must import to read a CIB (the C XML parser, as
``crmsh_py.xmltree`` loads it: ``_elementtree``, ``pyexpat``, ``copy``; no ``re``), then our other
modules that the case loads (imported without running anything); the rest of the run is the
simulation itself.

The suite lives in ``../shared/pacemaker-cts/scheduler`` (or ``$CRM_PCMK_CTS``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "scheduler"))
sys.path.insert(0, str(HERE.parent))

from measure import bin_path, python_env  # noqa: E402
from pcmk_suite import Case, cases, parity, suite_dir  # noqa: E402

PACEMAKER = "/usr/sbin/crm_simulate"


def cpu_once(argv: list[str], env: dict[str, str], limit_s: float) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the child's own, from ``wait4``) of one run: on a
    busy machine wall time moves with the other jobs, CPU time much less."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    timer = threading.Timer(limit_s, proc.kill)
    timer.start()
    try:
        _pid, _status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = 0  # reaped by wait4: keep Popen from waiting again
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


# What reading a CIB takes before any other code of ours: the C parser as crmsh_py.xmltree loads it
# (without xml.etree.ElementTree and the re it imports, which a Python crm_simulate need not load).
PYTHON_FLOOR = "import crmsh_py.xmltree"
# Imported as crm_simulate's launcher does it: the cyclic collector's pace first (launch.py).
MODULES_OF_A_RUN = """import gc, io, sys
gc.set_threshold(100_000, 20, 20)
from crmsh_py.lowlevel.crm_simulate import run
from crmsh_py.lowlevel.toolio import ToolIO
run(sys.argv[1:], ToolIO.captured())
print(" ".join(sorted(name for name in sys.modules if name.startswith("crmsh_py"))))
"""


def modules_of(argv: list[str], env: dict[str, str]) -> list[str]:
    """Our modules a run of ``crm_simulate ARGV`` loads (run in a fresh interpreter)."""
    done = subprocess.run([sys.executable, "-P", "-c", MODULES_OF_A_RUN, *argv], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    return done.stdout.split() if done.returncode == 0 else []


def floor(chosen: list[Case], base: Path, env: dict[str, str], ours_cpu: float) -> None:
    """Median CPU of the interpreter's start, of the imports any Python crm_simulate pays, and of
    our modules each case loads, over the same cases; the simulation is what remains."""
    python = sys.executable
    start: list[float] = []
    stdlib: list[float] = []
    modules: list[float] = []
    for case in chosen:
        names = modules_of(["-S", "-x", str(case.xml(base)), *case.extra], env)
        imports = "import gc\ngc.set_threshold(100_000, 20, 20)\n" + "".join(f"import {n}\n" for n in names)
        start.append(cpu_once([python, "-P", "-c", "pass"], env, limit_s=60)[1])
        stdlib.append(cpu_once([python, "-P", "-c", PYTHON_FLOOR], env, limit_s=60)[1])
        modules.append(cpu_once([python, "-P", "-c", imports], env, limit_s=60)[1])
    first, second, third = (statistics.median(t) * 1000 for t in (start, stdlib, modules))
    print(f"where ours goes, median CPU per case over the same {len(chosen)} cases:")
    print(f"  interpreter start (python -P -c pass)          {first:8.1f} ms")
    print(f"  + the XML parser (crmsh_py.xmltree)            {second - first:8.1f} ms   (= {second:.1f} ms)")
    print(f"  + our other modules the case loads (imports)   {third - second:8.1f} ms   (= {third:.1f} ms)")
    print(f"  + the simulation itself (the rest of the run)  {ours_cpu * 1000 - third:8.1f} ms   "
          f"(= {ours_cpu * 1000:.1f} ms)")


def speed(all_cases: list[Case], base: Path, sample: int | None, with_floor: bool = False) -> None:
    """Median wall and CPU time per case, ours and Pacemaker's, as processes, alternating."""
    chosen = all_cases
    if sample and sample < len(all_cases):
        step = len(all_cases) / sample
        chosen = [all_cases[int(i * step)] for i in range(sample)]
    ours_bin = bin_path("crm_simulate")
    env = python_env()
    env.pop("CIB_file", None)
    # ours must not hand over to Pacemaker's tool (it does when it sees a running cluster)
    ours_env = {**env, "CRM_BACKEND": "bundled"}
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for case in chosen:
        argv = ["-S", "-x", str(case.xml(base)), *case.extra]
        ours.append(cpu_once([ours_bin, *argv], ours_env, limit_s=120))
        if os.access(PACEMAKER, os.X_OK):
            theirs.append(cpu_once([PACEMAKER, *argv], env, limit_s=120))
    print(f"crm_simulate -S -x, median per case over {len(chosen)} cases (wall; CPU = user + system):")
    mine = [statistics.median(t[i] for t in ours) for i in (0, 1)]
    print(f"  ours       {mine[0] * 1000:8.1f} ms wall {mine[1] * 1000:8.1f} ms CPU")
    if theirs:
        real = [statistics.median(t[i] for t in theirs) for i in (0, 1)]
        print(f"  Pacemaker  {real[0] * 1000:8.1f} ms wall {real[1] * 1000:8.1f} ms CPU   "
              f"(ours / Pacemaker = {mine[0] / real[0]:.2f}x wall, {mine[1] / real[1]:.2f}x CPU)")
    else:
        print(f"  Pacemaker  (not installed: {PACEMAKER})")
    if with_floor:
        floor(chosen, base, ours_env, mine[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=None, help="time only this many cases (spread evenly)")
    parser.add_argument("--no-speed", action="store_true", help="parity figures only")
    parser.add_argument("--floor", action="store_true",
                        help="also split our time: interpreter start, imports, the simulation")
    args = parser.parse_args()
    base = suite_dir()
    if base is None:
        print("pacemaker-cts suite not found (set CRM_PCMK_CTS)", file=sys.stderr)
        return 2
    all_cases = cases(base)
    parity(all_cases, base)
    if not args.no_speed:
        speed(all_cases, base, args.sample, args.floor)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
