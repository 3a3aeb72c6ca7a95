"""One-shot latency, side by side: crmsh_py vs Debian's crmsh 4.4.1 (and a bare interpreter).

Run: python benchmarks/bench_oneshot.py [--runs 10]

crmsh runs offline on a CIB file (``CIB_file``), the only way it runs without a cluster; crmsh_py
runs on its bundled cluster (the real path a user takes) in a temporary state directory.  Both get
the reference demo's configuration first.  Prints median wall time and peak RSS per command.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import fmt_row, run_timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.crm"
OUR_BIN = Path(sys.executable).parent
CRMSH = Path("/usr/sbin/crm")


def main() -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-oneshot-"))
    ours_env = dict(os.environ, CRM_CLUSTER_DIR=str(work / "cluster"), NO_COLOR="1",
                    CRM_SYSLOG_SOCKET=str(work / "no-syslog"))
    ours = str(OUR_BIN / "crm")
    subprocess.run([ours, "configure", "load", "update", str(DEMO)], env=ours_env, check=True,
                   capture_output=True)
    commands = [
        ("--version", ["--version"]),
        ("configure show", ["configure", "show"]),
        ("-R resource move", ["-R", "resource", "move", "dummy", "srv02", "force"]),
    ]
    rows = []
    base = run_timed([sys.executable, "-c", "pass"], runs=args.runs)
    rows.append(("python3 -c pass", f"{base.median_s:.3f}", f"{base.peak_mib:.0f}", "-", "-", "-"))
    crmsh_env = None
    if CRMSH.exists():
        cib = work / "crmsh-cib.xml"
        cib.write_text(subprocess.run(["/usr/sbin/cibadmin", "--empty"], capture_output=True, text=True,
                                      check=True).stdout)
        # crmsh calls cibadmin & co. through PATH: make sure it finds Pacemaker's, not ours.
        crmsh_env = dict(os.environ, CIB_file=str(cib), TERM="dumb", PATH="/usr/sbin:/usr/bin:/sbin:/bin")
        subprocess.run([str(CRMSH), "configure", "load", "update", str(DEMO)], env=crmsh_env,
                       capture_output=True, check=False)
    for label, words in commands:
        mine = run_timed([ours, *words], env=ours_env, runs=args.runs)
        if crmsh_env is not None:
            theirs = run_timed([str(CRMSH), *words], env=crmsh_env, runs=args.runs)
            ratio = f"{theirs.median_s / mine.median_s:.1f}x"
            rows.append((f"crm {label}", f"{mine.median_s:.3f}", f"{mine.peak_mib:.0f}",
                         f"{theirs.median_s:.3f}", f"{theirs.peak_mib:.0f}", ratio))
        else:
            rows.append((f"crm {label}", f"{mine.median_s:.3f}", f"{mine.peak_mib:.0f}", "n/a", "n/a", "-"))
    widths = (22, 12, 12, 12, 12, 10)
    print(f"one-shot latency, median of {args.runs} runs")
    print(fmt_row(("command", "crmsh_py s", "RSS MiB", "crmsh s", "RSS MiB", "speed-up"), widths))
    for row in rows:
        print(fmt_row(row, widths))
    print(f"within 1.5x of python3 -c pass: target {1.5 * base.median_s:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
