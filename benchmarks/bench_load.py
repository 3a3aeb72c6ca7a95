"""``crm configure load update FILE`` of 1,000 and 10,000 primitives: crmsh_py vs crmsh 4.4.1.

Run: python benchmarks/bench_load.py [--sizes 1000 10000] [--runs 3]

Each run starts from an empty configuration, and both shells work offline on the same kind of
CIB file (``CIB_file``), the only way crmsh runs without a cluster.  Resources carry
target-role=Stopped so that nothing but configuration handling is measured.
Target (issues 2 and 7): crmsh_py >= 10x faster than crmsh.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import config_text  # noqa: E402
from measure import fmt_row, run_timed  # noqa: E402

OUR_CRM = str(Path(sys.executable).parent / "crm")
CRMSH = Path("/usr/sbin/crm")
CIBADMIN = Path("/usr/sbin/cibadmin")


def _empty_cib(path: Path) -> None:
    if CIBADMIN.exists():
        text = subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout
    else:
        from crmsh_py.cib import dump, empty_cib

        text = dump(empty_cib())
    path.write_text(text)


def main() -> int:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    widths = (12, 16, 12, 14, 12, 10)
    print(f"configure load update, median of {args.runs} runs (each from an empty CIB)")
    print(fmt_row(("primitives", "crmsh_py s", "RSS MiB", "crmsh 4.4.1 s", "RSS MiB", "speed-up"), widths))
    for size in args.sizes:
        conf = work / f"load-{size}.crm"
        conf.write_text(config_text(size).replace("meta target-role=Started", "meta target-role=Stopped"))
        cib = work / f"cib-{size}.xml"
        reset = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
                 f"from bench_load import _empty_cib; from pathlib import Path; _empty_cib(Path({str(cib)!r}))"]
        env = dict(os.environ, CIB_file=str(cib), TERM="dumb", NO_COLOR="1")
        mine = run_timed([OUR_CRM, "configure", "load", "update", str(conf)], env=env, runs=args.runs, setup=reset)
        if CRMSH.exists():
            # crmsh finds cibadmin & co. through PATH: Pacemaker's, not ours.
            crmsh_env = dict(env, PATH="/usr/sbin:/usr/bin:/sbin:/bin")
            theirs = run_timed([str(CRMSH), "-F", "configure", "load", "update", str(conf)], env=crmsh_env,
                               runs=args.runs, setup=reset)
            cells = (size, f"{mine.median_s:.2f}", f"{mine.peak_mib:.0f}", f"{theirs.median_s:.2f}",
                     f"{theirs.peak_mib:.0f}", f"{theirs.median_s / mine.median_s:.1f}x")
        else:
            cells = (size, f"{mine.median_s:.2f}", f"{mine.peak_mib:.0f}", "n/a", "n/a", "-")
        if mine.rc != 0:
            cells = (*cells[:5], f"(ours exited {mine.rc})")
        print(fmt_row(cells, widths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
