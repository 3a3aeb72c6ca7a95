"""One-shot latency, side by side: crmsh_py vs Debian's crmsh 4.4.1 (and a bare interpreter).

Run: python benchmarks/bench_oneshot.py [--runs 10]

crmsh runs offline on a CIB file (``CIB_file``, the only way it runs without a cluster) that holds
the two nodes srv01/srv02 and the reference demo's configuration; it finds Pacemaker's cibadmin &
co. through ``PATH=/usr/sbin:/usr/bin:/bin``.  crmsh_py runs on its bundled cluster (the path a
user takes) in a temporary state directory, through its console script called by absolute path.
Byte-code caching is on for both (Debian ships crmsh's .pyc files).  Prints the median CPU time
(user + system, children included) and wall time of ``--runs`` runs, round-robin after one untimed
warm-up, and the peak RSS; the ratios are of CPU time, which other work on a shared machine
disturbs far less than wall time.  Then where each of our one-shots
spends its time (top 10 modules by self import time, top 10 functions by self time).
Targets (issue 16): >= 8x faster than crmsh, within 3x of ``python -I -c pass`` of the same
interpreter.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Timing, bin_path, cell, fmt_row, python_env, ratio, run_interleaved  # noqa: E402
from oneshot_profile import function_profile, import_profile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.crm"
CRMSH = Path("/usr/sbin/crm")
CIBADMIN = Path("/usr/sbin/cibadmin")
PACEMAKER_PATH = "/usr/sbin:/usr/bin:/bin"
COMMANDS = [  # move and unmove alternate, so each run of either finds the state it changes
    ("--version", ["--version"]),
    ("configure show", ["configure", "show"]),
    ("-R resource move", ["-R", "resource", "move", "dummy", "srv02", "force"]),
    ("-R resource unmove", ["-R", "resource", "unmove", "dummy"]),
    ("status", ["status"]),
]
SPEED_UP_TARGET = 8.0
PYTHON_TARGET = 3.0
WIDTHS = (30, 8, 8, 4, 8, 8, 4, 9, 10)


def crmsh_env(work: Path) -> dict[str, str] | None:
    """A CIB file with srv01/srv02 and the demo configuration for crmsh; None when not installed."""
    if not (CRMSH.exists() and CIBADMIN.exists()):
        return None
    cib = work / "crmsh-cib.xml"
    cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout)
    env = dict(os.environ, CIB_file=str(cib), CIB_shadow_dir=str(work), TERM="dumb", PATH=PACEMAKER_PATH)
    for number, name in ((1, "srv01"), (2, "srv02")):
        subprocess.run([str(CIBADMIN), "-C", "-o", "nodes", "-X", f'<node id="{number}" uname="{name}"/>'],
                       env=env, check=True, capture_output=True)
    subprocess.run([str(CRMSH), "configure", "load", "update", str(DEMO)], env=env, capture_output=True, check=True)
    return env


def report(runs: int = 10, profiles: bool = True) -> list[str]:
    """The comparison table as lines."""
    work = Path(tempfile.mkdtemp(prefix="bench-oneshot-"))
    base_env = python_env(str(work))
    ours_env = dict(base_env, CRM_CLUSTER_DIR=str(work / "cluster"), NO_COLOR="1",
                    CRM_SYSLOG_SOCKET=str(work / "no-syslog"), XDG_CONFIG_HOME=str(work / "config"))
    ours = bin_path("crm")
    subprocess.run([ours, "configure", "load", "update", str(DEMO)], env=ours_env, check=True, capture_output=True)
    theirs_env = crmsh_env(work)
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "python": ([sys.executable, "-I", "-c", "pass"], base_env)}
    if Path("/usr/bin/python3").exists():
        commands["system python"] = (["/usr/bin/python3", "-I", "-c", "pass"], base_env)
    for label, words in COMMANDS:
        commands[f"ours {label}"] = ([ours, *words], ours_env)
        if theirs_env is not None:
            commands[f"crmsh {label}"] = ([str(CRMSH), *words], theirs_env)
    timing = run_interleaved(commands, runs=runs, warmup=1)
    base = timing["python"]
    lines = [f"one-shot latency: median of {runs} runs (round-robin, after a warm-up), CPU (user+sys) and wall "
             "seconds; peak RSS in MiB; ratios of CPU time",
             fmt_row(("command", "ours cpu", "wall", "RSS", "crmsh cpu", "wall", "RSS", "speed-up", "vs python"),
                     WIDTHS),
             fmt_row((f"python -I -c pass ({Path(sys.executable).name})", cell(base, cpu=True), cell(base),
                      f"{base.peak_mib:.0f}", "", "", "", "", "1.00x"), WIDTHS)]
    if "system python" in timing:
        system = timing["system python"]
        lines.append(fmt_row(("/usr/bin/python3 -I -c pass", "", "", "", cell(system, cpu=True), cell(system),
                              f"{system.peak_mib:.0f}", "", ""), WIDTHS))
    missing = Timing(float("nan"), 0.0, 127)
    for label, _words in COMMANDS:
        mine = timing[f"ours {label}"]
        theirs = timing.get(f"crmsh {label}", missing)
        lines.append(fmt_row((f"crm {label}", cell(mine, cpu=True), cell(mine), f"{mine.peak_mib:.0f}",
                              cell(theirs, cpu=True) if theirs_env else "n/a", cell(theirs) if theirs_env else "",
                              f"{theirs.peak_mib:.0f}" if theirs_env else "",
                              ratio(theirs, mine, cpu=True) if theirs_env else "-",
                              f"{mine.cpu_s / base.cpu_s:.2f}x"), WIDTHS))
    lines.append(f"targets: speed-up >= {SPEED_UP_TARGET:.0f}x; vs python <= {PYTHON_TARGET:.2f}x "
                 f"({PYTHON_TARGET * base.cpu_s:.3f} s CPU)")
    if profiles:
        for label, words in COMMANDS:
            lines.append(f"profile of crm {label}:")
            lines += import_profile([ours, *words], ours_env) + function_profile([ours, *words], ours_env)
    shutil.rmtree(work, ignore_errors=True)
    return lines


def main() -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-profile", action="store_true", help="the table only")
    args = parser.parse_args()
    print("\n".join(report(args.runs, not args.no_profile)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
