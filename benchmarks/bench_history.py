"""``crm history events`` over a long history: 10,000 transitions in a 100 MB log.

Run: python benchmarks/bench_history.py [--transitions 10000] [--megabytes 100] [--keep DIR]

Generates a cluster directory whose ha-log holds ``--transitions`` transitions (each: the
scheduler's line, a stop and a start with their results, the end line, a shell command that
caused it every tenth time) padded with typical chatter (CIB diffs, corosync, attribute updates)
to ``--megabytes``, then times, in a fresh process each, ``crm_history -- events`` and
``crm_history -- commands`` (the reading ``crm history`` does) and the ``crm history events``
one-shot.  Prints the figures; target (issue 18): under 2 s for ``events``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOISE = (
    "pacemaker-based[1201] info: Diff: --- 0.{n}.3 2\n",
    "pacemaker-based[1201] info: +  /cib:  @num_updates={n}\n",
    "pacemaker-based[1201] info: Completed cib_modify operation for section status: OK (rc=0, origin=srv02/crmd/{n})\n",
    "corosync[1100] notice: [TOTEM ] Token has not been received in 2250 ms\n",
    "pacemaker-attrd[1203] info: Setting last-lrm-refresh[srv01]: (unset) -> {n}\n",
    "pacemaker-execd[1202] info: executing - rsc:dummy action:monitor call_id:{n}\n",
    "pacemaker-controld[1205] info: Updating quorum status to true (call={n})\n",
)


def generate(directory: Path, transitions: int, megabytes: int) -> int:
    """Write the cluster directory; returns the log's size in bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pengine").mkdir(exist_ok=True)
    (directory / "cib.xml").write_text('<cib epoch="1" num_updates="0" admin_epoch="0"><configuration>'
                                       "<crm_config/><nodes/><resources/><constraints/></configuration>"
                                       "<status/></cib>\n", encoding="utf-8")
    target = megabytes * 1024 * 1024
    per_transition = max(target // max(transitions, 1), 1)
    start = time.time() - transitions * 6
    with open(directory / "ha-log", "w", encoding="utf-8") as log:
        written = 0
        for n in range(transitions):
            ts = time.localtime(start + n * 6)
            stamp = time.strftime("%b %d %H:%M:%S", ts).replace(" 0", "  ", 1) if ts.tm_mday < 10 \
                else time.strftime("%b %d %H:%M:%S", ts)
            src, dst = ("srv01", "srv02") if n % 2 else ("srv02", "srv01")
            pe = f"{directory}/pengine/pe-input-{n % 4000}.bz2"
            block = []
            if n % 10 == 0:
                block += [f"{stamp} srv01 crm[{5000 + n}] info: Invoked: crm resource move dummy {dst} force\n",
                          f"{stamp} srv01 crm[{5000 + n}] info: Origin: user=root tty=pts/1\n",
                          f"{stamp} srv01 crm_resource[{5000 + n}] info: Invoked: crm_resource -M -r dummy "
                          f"--node={dst} --force\n"]
            pid = 5000 + n - n % 10
            block += [
                f"{stamp} srv01 pacemaker-schedulerd[{pid}] notice: Calculated transition {n}, saving inputs in {pe}\n",
                f"{stamp} srv01 pacemaker-controld[{pid}] notice: Initiating stop operation dummy_stop_0 on {src}\n",
                f"{stamp} {src} pacemaker-controld[{pid}] info: Result of stop operation for dummy on {src}: ok\n",
                f"{stamp} srv01 pacemaker-controld[{pid}] notice: Initiating start operation dummy_start_0 on {dst}\n",
                f"{stamp} {dst} pacemaker-controld[{pid}] info: Result of start operation for dummy on {dst}: ok\n",
                f"{stamp} srv01 pacemaker-controld[{pid}] notice: Transition {n} (Complete=2, Pending=0, Fired=0, "
                f"Skipped=0, Incomplete=0, Source={pe}): Complete\n",
            ]
            text = "".join(block)
            log.write(text)
            written += len(text)
            # pad with chatter up to this transition's share of the target size
            budget, k = per_transition - len(text), 0
            while budget > 0:
                line = f"{stamp} srv02 " + NOISE[k % len(NOISE)].format(n=n * 100 + k)
                log.write(line)
                written += len(line)
                budget -= len(line)
                k += 1
    return written


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall time, CPU time (user + system), exit code and output lines of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
    return elapsed, cpu, done.returncode, done.stdout.count("\n")


def main() -> int:
    """Generate, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transitions", type=int, default=10_000)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--keep", help="generate into this directory and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        directory = Path(args.keep) if args.keep else Path(tmp) / "cluster"
        start = time.perf_counter()
        size = generate(directory, args.transitions, args.megabytes)
        print(f"generated {args.transitions} transitions, log {size / 1048576:.1f} MB in "
              f"{time.perf_counter() - start:.1f} s")
        cache = Path(tmp) / "cache"
        env = dict(os.environ, CRM_CLUSTER_DIR=str(directory), CRM_SYSLOG_SOCKET=str(directory / "none"),
                   XDG_CACHE_HOME=str(cache))
        tool = [sys.executable, "-m", "crmsh_py.lowlevel.crm_history"]
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times suffer from load; "
              "CPU times much less)")
        for label, argv in (("crm_history -- events", [*tool, "--", "events"]),
                            ("crm_history -- commands", [*tool, "--", "commands"]),
                            ("crm_history -- info", [*tool, "--", "info"])):
            shutil.rmtree(cache, ignore_errors=True)
            cold = timed(argv, env)  # scans the whole log, keeps its index
            warm = [timed(argv, env) for _ in range(3)]  # reads the index (the log did not grow)
            best = min(warm, key=lambda r: r[0])
            print(f"{label:26s} cold: {cold[0]:.2f} s wall, {cold[1]:.2f} s CPU;  warm (best of 3): "
                  f"{best[0]:.2f} s wall, {best[1]:.2f} s CPU  (exit {cold[2]}, {cold[3]} lines)")
        crm = Path(sys.executable).parent / "crm"
        if crm.exists():
            elapsed, cpu, rc, lines = timed([str(crm), "history", "events"], env)
            print(f"{'crm history events':26s} warm: {elapsed:.2f} s wall, {cpu:.2f} s CPU (exit {rc}, {lines} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
