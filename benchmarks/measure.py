"""Small measuring helpers shared by the benchmark scripts: medians of wall time, peak RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Median wall time (s), max peak RSS (MiB) over the runs, exit code of the last run."""

    median_s: float
    peak_mib: float
    rc: int


def run_once(argv: Sequence[str], env: Mapping[str, str] | None = None,
             stdin: str | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB, this process tree's main process) and exit code of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), env=dict(env) if env else None,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024.0, proc.returncode


def run_timed(argv: Sequence[str], env: Mapping[str, str] | None = None, stdin: str | None = None,
              runs: int = 10, setup: Sequence[str] | None = None) -> Timing:
    """Run ``argv`` ``runs`` times (``setup`` before each, untimed) and summarise."""
    times: list[float] = []
    peak = 0.0
    rc = 0
    for _ in range(runs):
        if setup:
            subprocess.run(list(setup), env=dict(env) if env else None, capture_output=True, check=False)
        elapsed, rss, rc = run_once(argv, env, stdin)
        times.append(elapsed)
        peak = max(peak, rss)
    return Timing(statistics.median(times), peak, rc)


def fmt_row(cells: Sequence[object], widths: Sequence[int]) -> str:
    """A fixed-width table row."""
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
