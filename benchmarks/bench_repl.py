"""The interactive shell: start to first prompt, and Tab completion on a 1,000-resource CIB.

Run: python benchmarks/bench_repl.py [--runs 10] [--resources 1000]

- REPL start: ``crm`` (the console script, by absolute path) in a pseudo-terminal (pexpect), from
  the spawn until the prompt ``crm(live/srv01)#`` has been drawn; crmsh 4.4.1 the same way on a
  ``CIB_file`` (its prompt ``crm(live/...)#``), when installed.
- Tab completion: what one Tab costs in the REPL on a bundled cluster of ``--resources`` Dummy
  primitives (in groups, with constraints), in process (what the REPL does between the key and
  the menu), for ``resource stop p12``, ``configure show p99`` and ``resource move p1 sr``: the
  first Tab after a command that changed the CIB (the CIB is parsed), the first Tab on a new line
  when nothing changed (the REPL's cache of the parsed CIB, checked against the file), and
  another Tab on the same line.  ``crm --compgen`` (bash completion) runs as a process per Tab.
Targets (issue 16): REPL start <= 0.3 s, a Tab <= 50 ms.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generate import config_text  # noqa: E402
from measure import bin_path, python_env, run_timed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo.crm"
CRMSH = Path("/usr/sbin/crm")
CIBADMIN = Path("/usr/sbin/cibadmin")
LINES = [("resource", "resource stop p12"), ("configure", "configure show p99"), ("resource", "resource move p1 sr")]
REPL_TARGET_S = 0.3
TAB_TARGET_S = 0.05


def _prompt_time(argv: list[str], env: dict[str, str], prompt: str) -> float | None:
    """Seconds from spawning ``argv`` in a terminal until ``prompt`` shows (None: it never did)."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
    try:
        child.expect(prompt)
        return time.perf_counter() - start
    except (pexpect.TIMEOUT, pexpect.EOF):
        return None
    finally:
        child.close(force=True)


def repl_start(work: Path, runs: int) -> list[str]:
    """Median time to the first prompt, ours and crmsh's."""
    env = dict(python_env(str(work)), CRM_CLUSTER_DIR=str(work / "demo"), XDG_CONFIG_HOME=str(work / "config"),
               CRM_SYSLOG_SOCKET=str(work / "no-syslog"), TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", NO_COLOR="1")
    subprocess.run([bin_path("crm"), "configure", "load", "update", str(DEMO)], env=env, check=True,
                   capture_output=True)
    sides = {"crmsh_py": ([bin_path("crm")], env, r"crm\(live[^)]*\)#")}
    if CRMSH.exists() and CIBADMIN.exists():
        cib = work / "crmsh-cib.xml"
        cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout)
        sides["crmsh 4.4.1"] = ([str(CRMSH)], dict(env, CIB_file=str(cib), CIB_shadow_dir=str(work),
                                                     PATH="/usr/sbin:/usr/bin:/bin"),
                                r"crm\(live[^)]*\)#")
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _round in range(runs + 1):  # round-robin after one warm-up round
        for name, (argv, side_env, prompt) in sides.items():
            took = _prompt_time(argv, side_env, prompt)
            if took is not None and _round > 0:
                times[name].append(took)
    lines = [f"REPL start to first prompt (pseudo-terminal), median of {runs}:"]
    for name, values in times.items():
        shown = f"{statistics.median(values):.3f} s" if values else "no prompt"
        lines.append(f"  {name:12s} {shown}")
    lines.append(f"  target: <= {REPL_TARGET_S} s")
    return lines


def tab_completion(work: Path, resources: int, runs: int) -> list[str]:
    """Cold and warm ``suggest`` times on a big bundled cluster, and ``crm --compgen``."""
    cluster = work / "big"
    conf = work / "big.crm"
    conf.write_text(config_text(resources).replace("meta target-role=Started", "meta target-role=Stopped"))
    env = dict(python_env(str(work)), CRM_CLUSTER_DIR=str(cluster), XDG_CONFIG_HOME=str(work / "config"),
               CRM_SYSLOG_SOCKET=str(work / "no-syslog"), NO_COLOR="1")
    subprocess.run([bin_path("crm"), "configure", "load", "update", str(conf)], env=env, check=True,
                   capture_output=True)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from crmsh_py.cli import parse_args
        from crmsh_py.session import build_session
        from crmsh_py.shell.completion import suggest
        from crmsh_py.shell.completion_source import CibCache, SessionSource

        session = build_session(parse_args([]), io.StringIO(), io.StringIO(), dict(env))
        lines = [(f"Tab completion on {resources:,} primitives (in process, median of {runs}): after a change "
                  "/ new line, no change / same line again")]
        for level, line in LINES:
            changed: list[float] = []
            new_line: list[float] = []
            same_line: list[float] = []
            found: list[str] = []
            for _run in range(runs):
                cache = CibCache()  # as after a command that changed the CIB: nothing to reuse
                start = time.perf_counter()
                found = suggest(SessionSource(session, cache), [], line)
                changed.append(time.perf_counter() - start)
                source = SessionSource(session, cache)  # the REPL's next line
                start = time.perf_counter()
                suggest(source, [], line)
                new_line.append(time.perf_counter() - start)
                start = time.perf_counter()
                suggest(source, [], line)
                same_line.append(time.perf_counter() - start)
            lines.append(f"  {line!r:24s} {statistics.median(changed) * 1000:6.1f} / "
                         f"{statistics.median(new_line) * 1000:5.1f} / {statistics.median(same_line) * 1000:5.1f} ms"
                         f"  ({len(found)} candidates; {level} level)")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    compgen = run_timed([bin_path("crm"), "--compgen", "16", "resource stop p1"], env=env, runs=runs, warmup=1)
    lines.append(f"  crm --compgen (bash, a process per Tab): {compgen.median_s * 1000:.0f} ms")
    lines.append(f"  target: <= {TAB_TARGET_S * 1000:.0f} ms")
    return lines


def report(runs: int = 10, resources: int = 1000) -> list[str]:
    """Both measurements as lines."""
    work = Path(tempfile.mkdtemp(prefix="bench-repl-"))
    try:
        return repl_start(work, runs) + tab_completion(work, resources, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    """Print the report."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--resources", type=int, default=1000)
    args = parser.parse_args()
    print("\n".join(report(args.runs, args.resources)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
