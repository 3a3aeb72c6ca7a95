"""Every benchmark in one run, one report: python benchmarks/run_all.py [--quick]

Side by side with the reference tools on this machine (Debian's crmsh 4.4.1 at /usr/sbin/crm,
Pacemaker 2.1.5's crm_simulate): one-shot latency, ``configure load update``, the language
throughput and the scheduler, each with peak RSS, then Tab completion and REPL start to prompt.
Each part runs in its own interpreter so that peak-RSS figures do not mix.  ``--quick`` uses small sizes and few runs (a smoke test, minutes);
the full run takes a long while because crmsh and crm_simulate are slow on the big cases (each
run is killed after ``--limit`` seconds and shown as ``> limit``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _part(module: str, call: str) -> list[str]:
    """Run ``module.<call>`` in a fresh interpreter and return its lines."""
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import {module}; print('\\n'.join({module}.{call}))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return [f"{module}: failed (rc {proc.returncode})", *proc.stderr.strip().splitlines()[-5:]]
    return proc.stdout.rstrip("\n").splitlines()


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def main() -> int:
    """Print the whole report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs")
    parser.add_argument("--limit", type=float, default=900.0, help="seconds before a slow run is killed")
    args = parser.parse_args()
    big = [1000] if args.quick else [1000, 10000]
    runs = 3 if args.quick else 10
    parts = [
        ("bench_oneshot", f"report(runs={runs})"),
        ("bench_move_agents", f"report(runs={3 if args.quick else 11})"),
        ("bench_repl", f"report(runs={runs}, resources={200 if args.quick else 1000})"),
        ("bench_load", f"report({big!r}, runs={1 if args.quick else 3}, limit_s={args.limit})"),
        ("bench_lang", f"report({1000 if args.quick else 10000})"),
        ("bench_scheduler", f"report({[200] if args.quick else big!r}, limit_s={args.limit})"),
        ("bench_completion", f"report(1000, runs={5 if args.quick else 20})"),
    ]
    print(f"crmsh_py benchmarks, {datetime.date.today().isoformat()}: {_machine()}")
    print("command: python benchmarks/run_all.py" + "".join(f" {a}" for a in sys.argv[1:]))
    for module, call in parts:
        print()
        print("\n".join(_part(module, call)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
