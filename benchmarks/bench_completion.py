"""Tab-completion latency on a 1,000-resource CIB, and REPL start to prompt beside crmsh 4.4.1.

Run: python benchmarks/bench_completion.py [--resources 1000] [--runs 20]

Completion: the shell's own ``suggest`` over the data source the REPL uses (``SessionSource``,
which reads the CIB through the backend), for lines a user completes.  "cold" is a completion on
a fresh source that must read everything itself (cibadmin, XML parse, status view); "first Tab"
is the first completion after a command as the REPL runs it: the source was warmed in the
background right after the previous command (``SessionSource.warm``, not timed: the user is
typing meanwhile) and the session's agent cache holds what earlier lines looked up (agent
lists and meta-data are read once per session: the first look-up costs what "cold" shows);
"next Tab" the following ones on the same line.  The CIB is a file
(``CIB_file``) read by Pacemaker's cibadmin, as on a real cluster node.  Target (issue 17): median
under 50 ms.

Start to prompt: ``crm`` in a pseudo-terminal until its prompt appears, median of ``--runs``,
beside crmsh 4.4.1 (``/usr/sbin/crm`` on a copy of the same CIB file) when it is installed.
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
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import config_text  # noqa: E402
from measure import python_env  # noqa: E402

CIBADMIN = Path("/usr/sbin/cibadmin")
CRMSH = Path("/usr/sbin/crm")
PACEMAKER_PATH = "/usr/sbin:/usr/bin:/bin"
LINES = [
    ([], "resource start p99"),
    ([], "resource move p1"),
    (["resource"], "stop "),
    (["configure"], "delete p12"),
    (["configure"], "location l9 p"),
    (["configure"], "primitive x ocf:heartbeat:"),
    (["configure"], "primitive x ocf:heartbeat:Dummy params "),
    (["configure"], "primitive x ocf:heartbeat:Dummy op monitor "),
    (["configure"], "primitive x Dummy meta target-role="),
    ([], "node standby "),
]


def make_cib(work: Path, resources: int) -> Path:
    """A CIB file with nodes srv01/srv02 and ``resources`` Dummy primitives (groups, constraints)."""
    from crmsh_py.cib.model import Configuration
    from crmsh_py.cib.xmlio import configuration_to_xml
    from crmsh_py.lang import parse

    empty = subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(empty)
    configuration = configuration_to_xml(Configuration(parse(config_text(resources))))
    old = root.find("configuration")
    assert old is not None
    root.remove(old)
    nodes = configuration.find("nodes")
    if nodes is None:
        nodes = ET.SubElement(configuration, "nodes")
    for number, name in ((1, "srv01"), (2, "srv02")):
        ET.SubElement(nodes, "node", {"id": str(number), "uname": name})
    root.insert(0, configuration)
    path = work / "cib.xml"
    path.write_text(ET.tostring(root, encoding="unicode"))
    return path


def completion_times(cib: Path, runs: int) -> list[tuple[str, float, float, float, int]]:
    """(line, median cold ms, first-Tab ms, next-Tab ms, candidates) for each of ``LINES``."""
    from crmsh_py.session import Session
    from crmsh_py.shell.completion import suggest
    from crmsh_py.shell.completion_source import AgentCache, SessionSource

    env = dict(os.environ, CIB_file=str(cib), PATH=PACEMAKER_PATH + ":" + os.environ.get("PATH", ""))
    session = Session(env=env, out=io.StringIO(), err=io.StringIO(), backend_kind="pacemaker")
    rows = []
    agents = AgentCache()  # the REPL's, kept for the whole session
    for level, line in LINES:
        cold: list[float] = []
        first: list[float] = []
        later: list[float] = []
        found = 0
        for _ in range(runs):
            source = SessionSource(session)
            start = time.perf_counter()
            suggest(source, level, line)
            cold.append((time.perf_counter() - start) * 1000)
            source = SessionSource(session, agents=agents)
            source.warm()  # the REPL's background read after the previous command
            start = time.perf_counter()
            found = len(suggest(source, level, line))
            first.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            suggest(source, level, line)
            later.append((time.perf_counter() - start) * 1000)
        rows.append(("/".join(level) + "# " + line, statistics.median(cold), statistics.median(first),
                     statistics.median(later), found))
    return rows


def start_to_prompt(argv: list[str], env: dict[str, str], prompt: str, runs: int) -> float | None:
    """Median seconds from spawning ``argv`` in a pty until ``prompt`` shows (None: never did)."""
    import pexpect

    times = []
    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        start = time.perf_counter()
        child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
        try:
            child.expect_exact(prompt)
            times.append(time.perf_counter() - start)
            child.send("quit\r")
            child.expect(pexpect.EOF)
        except pexpect.ExceptionPexpect:
            return None
        finally:
            child.close(force=True)
    return statistics.median(times[1:])


def report(resources: int = 1000, runs: int = 20) -> list[str]:
    """Both tables as lines (``run_all`` calls this in a fresh interpreter)."""
    if not CIBADMIN.exists():
        return ["Pacemaker's cibadmin is not installed: nothing to measure"]
    out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cib = make_cib(work, resources)
        out.append(f"Tab completion on a {resources}-resource CIB (ms, median of {runs})")
        out.append(f"{'line':<52}{'cold':>8}{'first Tab':>10}{'next Tab':>10}{'found':>7}")
        rows = completion_times(cib, runs)
        for line, cold, first, later, found in rows:
            out.append(f"{line:<52}{cold:>8.1f}{first:>10.1f}{later:>10.1f}{found:>7}")
        tabs = sorted(t for row in rows for t in row[2:4])
        out.append(f"median over every Tab (first and next): {statistics.median(tabs):.1f} ms; "
                   f"slowest first Tab: {max(r[2] for r in rows):.1f} ms (target: median < 50 ms)")
        out.append("")
        prompt_runs = max(3, runs // 4)
        ours_env = python_env(tmp)
        ours_env.update(CIB_file=str(cib), TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", NO_COLOR="1",
                        XDG_STATE_HOME=str(work / "state"), XDG_CONFIG_HOME=str(work / "cfg"),
                        PATH=os.path.dirname(sys.executable) + ":" + PACEMAKER_PATH)
        crm = shutil.which("crm", path=os.path.dirname(sys.executable)) or "crm"
        ours = start_to_prompt([crm], ours_env, "crm(live", prompt_runs)
        out.append(f"REPL start to prompt (s, median of {prompt_runs}, {resources}-resource CIB file)")
        out.append(f"  crmsh_py      {ours:.3f}" if ours is not None else "  crmsh_py      no prompt")
        if CRMSH.exists():
            theirs_cib = work / "crmsh-cib.xml"
            shutil.copy(cib, theirs_cib)
            theirs_env = dict(os.environ, CIB_file=str(theirs_cib), CIB_shadow_dir=str(work), TERM="xterm",
                              PATH=PACEMAKER_PATH,
                              HOME=str(work / "home"))
            theirs = start_to_prompt([str(CRMSH)], theirs_env, "crm(live", prompt_runs)
            out.append(f"  crmsh 4.4.1   {theirs:.3f}" if theirs is not None else "  crmsh 4.4.1   no prompt")
    return out


def main(argv: list[str] | None = None) -> int:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    print("\n".join(report(args.resources, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
