"""``crm configure load update FILE`` of 1,000 and 10,000 primitives: crmsh_py vs crmsh 4.4.1.

Run: python benchmarks/bench_load.py [--sizes 1000 10000 | --sizes 1000,10000] [--runs 3] [--limit 900]

Each run starts from the same CIB file holding only the nodes srv01/srv02 (``CIB_file``: the only
way crmsh runs without a cluster; crmsh_py with ``--backend bundled`` so that its own engine does
the work, offline, no agents run).  The generated file (generate.py) has Dummy primitives with 3
ops, groups, locations, orders and colocations; resources carry target-role=Stopped so that only
configuration handling is measured.  A run longer than ``--limit`` seconds is killed and shown as
``> limit``.  Shows CPU time (user + system, children included: crmsh runs cibadmin & co.) and
wall time; the speed-up is of CPU time.  Target (issue 16): crmsh_py >= 15x faster than crmsh.
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
from generate import config_text, statement_count  # noqa: E402
from measure import bin_path, cell, fmt_row, python_env, ratio, run_timed  # noqa: E402

CRMSH = Path("/usr/sbin/crm")
CIBADMIN = Path("/usr/sbin/cibadmin")
PACEMAKER_PATH = "/usr/sbin:/usr/bin:/bin"
WIDTHS = (11, 11, 9, 9, 5, 14, 14, 5, 9)
NODES = '<nodes><node id="1" uname="srv01"/><node id="2" uname="srv02"/></nodes>'


def template_cib(path: Path) -> None:
    """An empty CIB (Pacemaker's own when installed) with the nodes srv01 and srv02."""
    if CIBADMIN.exists():
        text = subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout
    else:
        from crmsh_py.cib import dump, empty_cib

        text = dump(empty_cib())
    text = text.replace("<nodes/>", NODES, 1)
    path.write_text(text)


def report(sizes: list[int], runs: int = 3, limit_s: float = 900.0) -> list[str]:
    """The comparison table as lines."""
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    template = work / "template.xml"
    template_cib(template)
    lines = [f"configure load update: median of {runs} runs, each from a CIB with only the two nodes; "
             "CPU (user+sys) and wall seconds, peak RSS in MiB; speed-up of CPU time",
             fmt_row(("primitives", "statements", "ours cpu", "wall", "RSS", "crmsh cpu", "wall", "RSS",
                      "speed-up"), WIDTHS)]
    for size in sizes:
        conf = work / f"load-{size}.crm"
        text = config_text(size).replace("meta target-role=Started", "meta target-role=Stopped")
        conf.write_text(text)
        cib = work / f"cib-{size}.xml"
        reset = [sys.executable, "-c", f"import shutil; shutil.copyfile({str(template)!r}, {str(cib)!r})"]
        env = dict(python_env(str(work)), CIB_file=str(cib), CIB_shadow_dir=str(work), TERM="dumb", NO_COLOR="1",
                   CRM_SYSLOG_SOCKET=str(work / "no-syslog"))
        mine = run_timed([bin_path("crm"), "--backend", "bundled", "configure", "load", "update", str(conf)],
                         env=env, runs=runs if size <= 1000 else 1, setup=reset, limit_s=limit_s)
        if CRMSH.exists():
            theirs = run_timed([str(CRMSH), "configure", "load", "update", str(conf)],
                               env=dict(env, PATH=PACEMAKER_PATH), runs=runs if size <= 1000 else 1, setup=reset,
                               limit_s=limit_s)
            cells = (size, statement_count(text), cell(mine, 2, cpu=True), cell(mine, 2), f"{mine.peak_mib:.0f}",
                     cell(theirs, 2, cpu=True), cell(theirs, 2), f"{theirs.peak_mib:.0f}", ratio(theirs, mine, cpu=True))
        else:
            cells = (size, statement_count(text), cell(mine, 2, cpu=True), cell(mine, 2), f"{mine.peak_mib:.0f}",
                     "n/a", "", "", "-")
        lines.append(fmt_row(cells, WIDTHS))
    shutil.rmtree(work, ignore_errors=True)
    lines.append(f"above 1,000 primitives each side runs once (minutes per run); killed after {limit_s:.0f} s. "
                 "Target: speed-up >= 15x")
    return lines


def _sizes(text: str) -> list[int]:
    """``1000`` or ``1000,10000``: the primitive counts of one ``--sizes`` word."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or a comma-separated list of numbers: {text!r}") from None


def main() -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, nargs="+", default=[[1000, 10000]],
                        help="primitive counts, space- or comma-separated (1000 10000, or 1000,10000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=900.0, help="seconds before a run is killed")
    args = parser.parse_args()
    print("\n".join(report([size for group in args.sizes for size in group], args.runs, args.limit)))
    return 0


if __name__ == "__main__":
    raise SystemExit(os.EX_OK if main() == 0 else 1)
