"""Small measuring helpers shared by the benchmark scripts: medians of wall and CPU time, peak RSS.

CPU time (user + system of the child and the children it waited for, from ``wait4``) is the figure
to compare on a shared machine: other processes lengthen wall time, hardly CPU time."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Median wall time (s), max peak RSS (MiB) over the runs, exit code of the last run, median
    CPU time (s: user + system, the child's and its waited-for children's)."""

    median_s: float
    peak_mib: float
    rc: int
    cpu_s: float = float("nan")


TIMED_OUT = -999  # exit code reported when a run was killed at its time limit


def python_env(work: str | None = None) -> dict[str, str]:
    """The environment for timing Python programs as installed: byte-code caching on (this
    development environment sets PYTHONDONTWRITEBYTECODE, which would make every run recompile
    every module), with the cache kept out of the source tree."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(work or tempfile.gettempdir(), "bench-pycache")
    return env


def bin_path(name: str) -> str:
    """A console script of this interpreter by absolute path (not the pyenv shim, ~50 ms more)."""
    return os.path.join(os.path.dirname(sys.executable), name)


def run_once(argv: Sequence[str], env: Mapping[str, str] | None = None,
             stdin: str | None = None, limit_s: float | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB, of the child) and exit code of one run (``TIMED_OUT`` when
    killed after ``limit_s`` seconds)."""
    elapsed, rss, rc, _cpu = run_once_cpu(argv, env, stdin, limit_s)
    return elapsed, rss, rc


def run_once_cpu(argv: Sequence[str], env: Mapping[str, str] | None = None,
                 stdin: str | None = None, limit_s: float | None = None) -> tuple[float, float, int, float]:
    """As :func:`run_once`, and the CPU seconds (user + system) of the child and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), env=dict(env) if env else None,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        proc.kill()

    timer = threading.Timer(limit_s, kill) if limit_s else None
    if timer:
        timer.start()
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    if timer:
        timer.cancel()
    elapsed = time.perf_counter() - start
    proc.returncode = TIMED_OUT if killed.is_set() else os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024.0, proc.returncode, usage.ru_utime + usage.ru_stime


def run_timed(argv: Sequence[str], env: Mapping[str, str] | None = None, stdin: str | None = None,
              runs: int = 10, setup: Sequence[str] | None = None, warmup: int = 0,
              limit_s: float | None = None) -> Timing:
    """Run ``argv`` ``warmup`` times untimed, then ``runs`` times (``setup`` before each, untimed)
    and summarise; a failing or timed-out run stops the series (its exit code is reported)."""
    times: list[float] = []
    cpus: list[float] = []
    peak = 0.0
    rc = 0
    for n in range(warmup + runs):
        if setup:
            subprocess.run(list(setup), env=dict(env) if env else None, capture_output=True, check=False)
        elapsed, rss, rc, cpu = run_once_cpu(argv, env, stdin, limit_s)
        if n >= warmup:
            times.append(elapsed)
            cpus.append(cpu)
            peak = max(peak, rss)
        if rc != 0:
            break
    return Timing(_median(times), peak, rc, _median(cpus))


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run_interleaved(commands: Mapping[str, tuple[Sequence[str], Mapping[str, str] | None]], runs: int = 10,
                    warmup: int = 1) -> dict[str, Timing]:
    """Time several commands round-robin (one run of each per round), so that a load change on a
    shared machine affects all of them alike; medians and peak RSS per command label."""
    times: dict[str, list[float]] = {label: [] for label in commands}
    cpus: dict[str, list[float]] = {label: [] for label in commands}
    peaks: dict[str, float] = {label: 0.0 for label in commands}
    codes: dict[str, int] = {label: 0 for label in commands}
    for n in range(warmup + runs):
        for label, (argv, env) in commands.items():
            if codes[label] != 0:
                continue
            elapsed, rss, rc, cpu = run_once_cpu(argv, env)
            codes[label] = rc
            if n >= warmup:
                times[label].append(elapsed)
                cpus[label].append(cpu)
                peaks[label] = max(peaks[label], rss)
    return {label: Timing(_median(times[label]), peaks[label], codes[label], _median(cpus[label]))
            for label in commands}


def cell(timing: Timing, digits: int = 3, cpu: bool = False) -> str:
    """Seconds (wall, or CPU with ``cpu``) for a table cell, or why there is no figure."""
    if timing.rc == TIMED_OUT:
        return f"> {timing.cpu_s if cpu else timing.median_s:.0f} (killed)"
    if timing.rc != 0:
        return f"failed (rc {timing.rc})"
    return f"{timing.cpu_s if cpu else timing.median_s:.{digits}f}"


def ratio(theirs: Timing, mine: Timing, cpu: bool = False) -> str:
    """``theirs / mine`` (wall, or CPU with ``cpu``) as a speed-up cell (``>`` when theirs was
    killed at its limit)."""
    if mine.rc != 0 or (theirs.rc not in (0, TIMED_OUT)):
        return "-"
    prefix = ">" if theirs.rc == TIMED_OUT else ""
    if cpu:
        return f"{prefix}{theirs.cpu_s / mine.cpu_s:.1f}x"
    return f"{prefix}{theirs.median_s / mine.median_s:.1f}x"


def fmt_row(cells: Sequence[object], widths: Sequence[int]) -> str:
    """A fixed-width table row."""
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
