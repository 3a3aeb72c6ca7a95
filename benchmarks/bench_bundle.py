"""The module bundle's worth (crmsh_py/bundle.py), A/B: each one-shot and a sample of
``crm_simulate -S -x`` cases run with the bundle and without it (``CRMSH_PY_NO_BUNDLE=1``).

Run it as a user installs crmsh_py (only a regular install has a bundle):

    python benchmarks/installed.py bench_bundle.py [--runs 21] [--sample 10]

The two variants of a command run back to back, round after round, so a change of load on a shared
machine hits both alike; the figures are median CPU seconds (user + system) per run.  Byte-code
caching is as installed: pip's ``.pyc`` files, no pycache prefix.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "scheduler"))

from measure import bin_path, run_interleaved  # noqa: E402
from pcmk_suite import cases, suite_dir  # noqa: E402

ROOT = HERE.parent
DEMO = ROOT / "examples" / "demo.crm"
COMMANDS = [  # move and unmove alternate, so each run of either finds the state it changes
    ("--version", ["--version"]),
    ("configure show", ["configure", "show"]),
    ("-R resource move", ["-R", "resource", "move", "dummy", "srv02", "force"]),
    ("-R resource unmove", ["-R", "resource", "unmove", "dummy"]),
    ("status", ["status"]),
]
PROBE = "import crmsh_py, sys; print(type(sys.meta_path[0]).__name__)"


def bundle_in_use(env: dict[str, str], work: Path) -> bool:
    """Whether this interpreter's installed crmsh_py serves its modules from a bundle (run away from
    the checkout: ``-c`` puts the current directory first on the path)."""
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False,
                          cwd=work)
    return done.stdout.strip() == "BundleFinder"


def main() -> int:
    """Print the A/B table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--sample", type=int, default=10, help="crm_simulate cases (0: none)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    env = dict(os.environ, CRM_CLUSTER_DIR=str(work / "cluster"), NO_COLOR="1", CRM_BACKEND="bundled",
               CRM_SYSLOG_SOCKET=str(work / "no-syslog"), XDG_CONFIG_HOME=str(work / "config"))
    env.pop("PYTHONPYCACHEPREFIX", None)
    env.pop("CRMSH_PY_NO_BUNDLE", None)
    without = dict(env, CRMSH_PY_NO_BUNDLE="1")
    if not bundle_in_use(env, work) or bundle_in_use(without, work):
        print("bench_bundle.py: this crmsh_py has no bundle in use (run it through benchmarks/installed.py)")
        return 1
    crm = bin_path("crm")
    subprocess.run([crm, "configure", "load", "update", str(DEMO)], env=env, check=True, capture_output=True)
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {}
    for label, words in COMMANDS:
        commands[f"crm {label}|with"] = ([crm, *words], env)
        commands[f"crm {label}|without"] = ([crm, *words], without)
    base = suite_dir()
    if base is not None and args.sample:
        chosen = cases(base)
        chosen = [chosen[int(i * len(chosen) / args.sample)] for i in range(args.sample)]
        for case in chosen:
            argv = [bin_path("crm_simulate"), "-S", "-x", str(case.xml(base)), *case.extra]
            commands[f"crm_simulate {case.name}|with"] = (argv, env)
            commands[f"crm_simulate {case.name}|without"] = (argv, without)
    timing = run_interleaved(commands, runs=args.runs, warmup=1)
    shutil.rmtree(work, ignore_errors=True)
    print(f"median CPU ms (user + system) of {args.runs} interleaved runs, with the bundle / without")
    print(f"{'command':58} {'with':>8} {'without':>8} {'saved':>8}")
    saved = []
    for label in dict.fromkeys(key.split("|")[0] for key in commands):
        a, b = timing[f"{label}|with"], timing[f"{label}|without"]
        if a.rc or b.rc:
            print(f"{label[:58]:58} failed (exit {a.rc} / {b.rc})")
            continue
        saved.append(b.cpu_s - a.cpu_s)
        print(f"{label[:58]:58} {a.cpu_s * 1000:8.1f} {b.cpu_s * 1000:8.1f} {(b.cpu_s - a.cpu_s) * 1000:8.2f}")
    if saved:
        print(f"saved per run, median over the commands: {sorted(saved)[len(saved) // 2] * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
