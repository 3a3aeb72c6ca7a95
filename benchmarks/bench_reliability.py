"""Reliability proofs with full counts, printed as a report (issue 7, first part).

    python benchmarks/bench_reliability.py            # full counts (several minutes)
    python benchmarks/bench_reliability.py --quick    # CI-sized counts

- crash safety: SIGKILL of CIB writers at random moments (a looping store writer on a large
  CIB_file, crm_attribute one-shots, crm_resource while agents run): the CIB always parses and
  is the old or the new version; no temp file survives the next command;
- concurrency: 8 processes × 200 mutations (crm_attribute, crm_resource --meta -p, cibadmin -C,
  crm configure primitive) on one bundled cluster: nothing lost, epochs strictly increasing, no
  deadlock;
- bad input: ≥ 100,000 random inputs to the language, every low-level tool and the crm shell;
- invalid configuration (issue 13, item 9): bad ids, score overflow, unknown agents, path traversal
  in agent names, parenthesised rules and a 10 MB line, each refused by `load update` with a
  message, exit 1 and the CIB unchanged;
- commit races, broken files + repair, agent faults, secrets: their pytest files, run here too.

The proofs are the code of tests/reliability/rel_*.py (the tests run them with small counts).
Exit status 0 when every proof held.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "reliability"))
sys.path.insert(0, str(ROOT / "tests"))  # tests/support, which the proofs import

import rel_common  # noqa: E402
import rel_concurrency  # noqa: E402
import rel_crash  # noqa: E402
import rel_fuzz  # noqa: E402
import rel_invalid  # noqa: E402
import rel_probes  # noqa: E402

FULL = {"names": 60, "names_failures": 10, "flap_failures": 10, "replace_commits": 19, "missing_cib": 10, "membership": 60, "stop_rounds": 5, "run_rounds": 5, "secrets": 3, "links": 20, "errors": 5,
        "crash_loop": 200, "crash_oneshot": 100, "crash_settle": 100, "workers": 8, "per_worker": 200,
        "lang": 50_000, "tools": 35_000, "shell": 15_000, "engine": 1_000,
        "long_line": 10_000_000}
QUICK = {"names": 6, "names_failures": 2, "flap_failures": 2, "replace_commits": 3, "missing_cib": 1, "membership": 6, "stop_rounds": 1, "run_rounds": 1, "secrets": 1, "links": 1, "errors": 1,
         "crash_loop": 10, "crash_oneshot": 6, "crash_settle": 6, "workers": 4, "per_worker": 20,
         "lang": 1_000, "tools": 600, "shell": 300, "engine": 60, "long_line": 2_000_000}
PYTEST_FILES = ("test_commit_race.py", "test_repair.py", "test_agent_faults.py", "test_secrets.py")


def _line(label: str, ok: bool, detail: str) -> bool:
    print(f"  {'PASS' if ok else 'FAIL'}  {label:<38} {detail}")
    return ok


def _findings(items: list[str]) -> None:
    for item in items[:8]:
        print(f"          - {item[:300]}")
    if len(items) > 8:
        print(f"          ... and {len(items) - 8} more")


def crash(work: Path, counts: dict[str, int]) -> bool:
    print("Crash safety (SIGKILL at random moments)")
    ok = True
    runs = (("store writer loop, 600-primitive CIB", lambda: rel_crash.crash_loop(work / "loop", counts["crash_loop"])),
            ("crm_attribute one-shot", lambda: rel_crash.crash_bundled(work / "one", counts["crash_oneshot"],
                                                                        "oneshot")),
            ("crm_resource while agents run", lambda: rel_crash.crash_bundled(work / "settle",
                                                                               counts["crash_settle"], "settle")))
    for label, run in runs:
        f = run()
        ok &= _line(label, f.ok, f"{f.trials} kills: {f.old} old, {f.new} new, {f.mid_write} mid-write, "
                    f"{len(f.corrupt)} corrupt, {len(f.mixed)} mixed, {len(f.leftovers)} with temp files "
                    f"left ({f.seconds:.0f}s)")
        _findings(f.corrupt + f.mixed + f.leftovers)
    return ok


def concurrency(work: Path, counts: dict[str, int]) -> bool:
    print("Concurrency (crm one-shots and low-level tools mixed, one bundled cluster)")
    workers, per = counts["workers"], counts["per_worker"]
    f = rel_concurrency.run_concurrency(work / "conc", workers, per, timeout_s=3600)
    ok = _line(f"{workers} processes x {per} mutations", f.ok,
               f"{f.mutations} applied, epoch +{f.epoch_growth}, {f.conflicts_retried} crm commits retried "
               f"after a concurrent change, {f.seconds:.0f}s ({f.mutations / max(f.seconds, 1e-9):.0f}/s), "
               f"slowest worker {f.slowest_worker_s:.0f}s")
    _findings(f.problems)
    return ok


def fuzz(work: Path, counts: dict[str, int]) -> bool:
    print("Bad input (seeded random fuzz, in-process)")
    total = rel_fuzz.FuzzFigures()
    ok = True
    runs = (("configuration language (lang.parse)", lambda: rel_fuzz.fuzz_language(counts["lang"])),
            ("low-level tools' argv (run_tool)", lambda: rel_fuzz.fuzz_tools(work / "tools", counts["tools"])),
            ("crm command lines (one-shots)", lambda: rel_fuzz.fuzz_shell(work / "shell", counts["shell"])),
            ("crm_engine argv", lambda: rel_fuzz.fuzz_crm_engine(work / "engine", counts["engine"])))
    for label, run in runs:
        f = run()
        total.add(f)
        ok &= _line(label, f.ok, f"{f.inputs} inputs, {f.errors} rejected with a message, "
                    f"{len(f.findings)} findings ({f.inputs / max(f.seconds, 1e-9):.0f}/s)")
        _findings(sorted(set(f.findings)))
    print(f"        total: {total.inputs} inputs, {len(total.findings)} findings "
          f"(tracebacks, silent errors, CIB changed on error, hangs)")
    return ok


def _fresh(work: Path, name: str) -> Path:
    return rel_common.new_cluster(work / "issue13" / name)


# issue 13: item number → (what the probe does, the probe on a fresh cluster directory)
ISSUE13: dict[int, tuple[str, Callable[[Path, dict[str, int]], list[str]]]] = {
    1: ("bad parameter names: refused at entry; a stored one wedges nothing",
        lambda work, c: rel_probes.probe_bad_names_entry(_fresh(work, "names"), c["names"])
        + rel_probes.probe_bad_name_engine(_fresh(work, "names-engine"), c["names_failures"])),
    2: ("one flapping resource (monitor always fails, interval 3s) vs a healthy one's failures",
        lambda work, c: rel_probes.probe_flapping(_fresh(work, "flap"), c["flap_failures"], interval_s=3)),
    3: ("commit replace racing crm_attribute: acknowledged changes reverted",
        lambda work, c: rel_probes.probe_commit_replace_race(_fresh(work, "replace"), c["replace_commits"])),
    4: ("cib.xml missing / no cluster: re-initialised, created by reads, not repaired",
        lambda work, c: rel_probes.probe_missing_cib(work / "issue13" / "missing", c["missing_cib"])),
    5: ("crm cluster add killed / full disk, then repair or add: half-added nodes",
        lambda work, c: rel_probes.probe_membership(_fresh(work, "members"), c["membership"])),
    6: ("agents (and children) left running by crm cluster stop / cluster run timeouts",
        lambda work, c: rel_probes.probe_stop_ends_agents(_fresh(work, "stop"), c["stop_rounds"])
        + rel_probes.probe_run_timeout(_fresh(work, "run"), c["run_rounds"])),
    7: ("state dir/files readable by others; secret forms leaking to logs or -R",
        lambda work, c: rel_probes.probe_secrets(work / "issue13" / "secrets", c["secrets"])),
    8: ("masking 32,000/64,000/1,000,000-char arguments; every tool with a 100 KB argument",
        lambda work, c: rel_probes.probe_masking_speed((32_000, 64_000, 1_000_000), 100_000)),
    10: ("CIB_file symlink replaced instead of written through",
         lambda work, c: rel_probes.probe_cib_file_symlink(work / "issue13" / "symlink", c["links"])),
    11: ("tracebacks / internal errors (non-UTF-8 argv and files, full disk, unreadable lock)",
         lambda work, c: [f for f in rel_probes.probe_errors(_fresh(work, "errors"), c["errors"])
                          if "permission" not in f.lower() and "repair" not in f]),
    12: ("permission problems reported as damage / repaired",
         lambda work, c: [f for f in rel_probes.probe_errors(_fresh(work, "perm"), c["errors"])
                          if "permission" in f.lower() or "repair" in f]),
    13: ("planted ha-log/lock links followed; state dir writable by others used",
         lambda work, c: rel_probes.probe_planted_links(work / "issue13" / "links", c["links"])),
}


def issue13(work: Path, counts: dict[str, int]) -> bool:
    print("Issue 13 probes (defects found; 0 each when fixed)")
    ok = True
    for item, (label, probe) in ISSUE13.items():
        start = time.monotonic()
        findings = probe(work, counts)
        ok &= _line(f"item {item}: {len(findings)}", not findings, f"{label} ({time.monotonic() - start:.0f}s)")
        _findings(findings)
    return ok


def invalid(work: Path, counts: dict[str, int]) -> bool:
    print("Invalid configuration refused by load update (issue 13, item 9)")
    figures = rel_invalid.run_all(work / "invalid", counts["long_line"], bound_s=30)
    for name, seconds in figures.seconds.items():
        bad = [f for f in figures.findings if f.startswith(name + ":")]
        _line(name, not bad, f"{seconds:.1f}s" + (f" {bad[0]}" if bad else ""))
    print(f"        total: {figures.probes} probes, {len(figures.findings)} accepted or not refused cleanly")
    return not figures.findings


def pytest_proofs() -> bool:
    print("Commit races, broken files + repair, agent faults, secrets (pytest)")
    ok = True
    for name in PYTEST_FILES:
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               str(ROOT / "tests" / "reliability" / name)], capture_output=True, text=True,
                              cwd=ROOT, timeout=600)
        summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
        ok &= _line(name, done.returncode == 0, f"{summary} ({time.monotonic() - start:.0f}s)")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Run every proof and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized counts")
    parser.add_argument("--only", choices=("crash", "concurrency", "fuzz", "proofs", "issue13", "invalid"), action="append",
                        help="run only this stage (repeatable); default: all")
    args = parser.parse_args(argv)
    counts = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="bench-reliability-") as tmp:
        work = Path(tmp)
        # keep the user's state, config and syslog out of it
        os.environ.update({"XDG_STATE_HOME": str(work / "state"), "XDG_CONFIG_HOME": str(work / "config"),
                           "CRM_SYSLOG_SOCKET": str(work / "no-syslog"), "NO_COLOR": "1"})
        os.environ.pop("CIB_file", None)
        os.environ.pop("CRM_CLUSTER_DIR", None)
        started = time.monotonic()
        print(f"crmsh_py reliability report ({'quick' if args.quick else 'full'} counts), "
              f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
        stages = {"crash": lambda: crash(work, counts), "concurrency": lambda: concurrency(work, counts),
                  "fuzz": lambda: fuzz(work, counts), "invalid": lambda: invalid(work, counts),
                  "proofs": pytest_proofs,
                  "issue13": lambda: issue13(work, counts)}
        results = [run() for name, run in stages.items() if not args.only or name in args.only]
        print(f"{'ALL PROOFS HELD' if all(results) else 'SOME PROOFS FAILED'} "
              f"in {time.monotonic() - started:.0f}s")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
