"""Pacemaker 2.1.5's scheduler regression suite: parity and speed of our ``crm_simulate``.

Prints how many of the suite's cases give Pacemaker's Transition Summary and Revised Cluster
Status exactly (whitespace-normalised), per feature category, then the median wall time per case
of ``crm_simulate -S -x CASE.xml`` run as a process: ours (the installed console script) and
Pacemaker's ``/usr/sbin/crm_simulate``, side by side on the same inputs in one run.

    python benchmarks/bench_pacemaker_suite.py             # every case
    python benchmarks/bench_pacemaker_suite.py --sample 60 # speed on every 7th case or so

The suite lives in ``../shared/pacemaker-cts/scheduler`` (or ``$CRM_PCMK_CTS``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "scheduler"))
sys.path.insert(0, str(HERE.parent))

from measure import bin_path, python_env, run_once  # noqa: E402
from pcmk_suite import Case, cases, parity, suite_dir  # noqa: E402

PACEMAKER = "/usr/sbin/crm_simulate"


def speed(all_cases: list[Case], base: Path, sample: int | None) -> None:
    """Median wall time per case, ours and Pacemaker's, as processes."""
    chosen = all_cases
    if sample and sample < len(all_cases):
        step = len(all_cases) / sample
        chosen = [all_cases[int(i * step)] for i in range(sample)]
    ours_bin = bin_path("crm_simulate")
    env = python_env()
    env.pop("CIB_file", None)
    # ours must not hand over to Pacemaker's tool (it does when it sees a running cluster)
    ours_env = {**env, "CRM_BACKEND": "bundled"}
    ours: list[float] = []
    theirs: list[float] = []
    for case in chosen:
        argv = ["-S", "-x", str(case.xml(base)), *case.extra]
        ours.append(run_once([ours_bin, *argv], ours_env, limit_s=120)[0])
        if os.access(PACEMAKER, os.X_OK):
            theirs.append(run_once([PACEMAKER, *argv], env, limit_s=120)[0])
    print(f"crm_simulate -S -x, median per case over {len(chosen)} cases:")
    mine = statistics.median(ours)
    print(f"  ours       {mine * 1000:8.1f} ms")
    if theirs:
        real = statistics.median(theirs)
        print(f"  Pacemaker  {real * 1000:8.1f} ms   (ours / Pacemaker = {mine / real:.2f}x)")
    else:
        print(f"  Pacemaker  (not installed: {PACEMAKER})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=None, help="time only this many cases (spread evenly)")
    parser.add_argument("--no-speed", action="store_true", help="parity figures only")
    args = parser.parse_args()
    base = suite_dir()
    if base is None:
        print("pacemaker-cts suite not found (set CRM_PCMK_CTS)", file=sys.stderr)
        return 2
    all_cases = cases(base)
    parity(all_cases, base)
    if not args.no_speed:
        speed(all_cases, base, args.sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
