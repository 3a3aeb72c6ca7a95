"""Helpers of the history tests: a bundled cluster driven by in-process ``crm`` one-shots."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

DEMO = """property no-quorum-policy=ignore stonith-enabled=false startup-fencing=false
rsc_defaults resource-stickiness=INFINITY migration-threshold=1
primitive dummy ocf:heartbeat:Dummy \\
    op start interval=0s timeout=120s on-fail=restart \\
    op monitor interval=10s timeout=120s on-fail=restart \\
    op stop interval=0s timeout=120s on-fail=stop
"""
STONITH = DEMO.replace("stonith-enabled=false", "stonith-enabled=true") + \
    'primitive st stonith:external/ssh params hostlist="srv01 srv02" passwd=secret123\n'


@dataclass(frozen=True)
class Outcome:
    """Exit code and captured output of one command."""

    rc: int
    out: str
    err: str


def cluster_env(directory: Path, config: str = DEMO) -> dict[str, str]:
    """A fresh 2-node bundled cluster in ``directory`` loaded with ``config``; its environment."""
    from crmsh_py.engine.controller import init_cluster

    env = {k: v for k, v in os.environ.items() if k not in ("CIB_file", "CRM_SYSLOG_SOCKET")}
    env.update({"CRM_CLUSTER_DIR": str(directory), "NO_COLOR": "1", "CRM_SYSLOG_SOCKET": str(directory / "none"),
                "XDG_CACHE_HOME": str(directory.parent / "xdg-cache"),
                "XDG_CONFIG_HOME": str(directory.parent / "xdg-config")})
    init_cluster(directory)
    source = directory / "setup.crm"
    source.write_text(config, encoding="utf-8")
    result = crm(["configure", "load", "update", str(source)], env)
    assert result.rc == 0, result.err
    return env


def crm(words: list[str], env: dict[str, str]) -> Outcome:
    """``crm WORDS`` in-process on the bundled backend, logged like the real one-shot."""
    from crmsh_py.cli import parse_args
    from crmsh_py.session import build_session
    from crmsh_py.shell.failure import log_line
    from crmsh_py.shell.runner import join_words, run_oneshot

    out, err = io.StringIO(), io.StringIO()
    opts = parse_args(["--backend", "bundled", *words])
    session = build_session(opts, out, err, dict(env))
    log_line(session, words)
    rc = run_oneshot(session, join_words(opts.words))
    return Outcome(rc, out.getvalue(), err.getvalue())


def tool(argv: list[str], env: dict[str, str]) -> Outcome:
    """A low-level tool in-process."""
    from crmsh_py.lowlevel.registry import run_tool
    from crmsh_py.lowlevel.toolio import ToolIO

    tool_io = ToolIO(io.StringIO(""), io.StringIO(), io.StringIO(), dict(env))
    rc = run_tool(argv, tool_io)
    return Outcome(rc, tool_io.stdout.getvalue(), tool_io.stderr.getvalue())


def log_messages(directory: Path, pattern: str = "") -> list[str]:
    """The ha-log's messages (``ident: message``, without time, node and pid), filtered by regex."""
    out = []
    for line in (directory / "ha-log").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\w{3} [ \d]\d [\d:]{8} \S+ ([\w-]+)\[\d+\] \w+: (.*)$", line)
        if match and re.search(pattern, match.group(2)):
            out.append(f"{match.group(1)}: {match.group(2)}")
    return out


BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def sh(argv: list[str], env: dict[str, str], timeout: float = 60) -> Outcome:
    """Run one of our console scripts (``crm``, ``crm_engine``...) as its own process, as a user would:
    each gets its own PID in the log, which is how history tells commands apart."""
    import shutil
    import subprocess
    import sys

    exe = BIN / argv[0]
    if not exe.exists():
        found = shutil.which(argv[0], path=str(Path(sys.executable).parent))
        exe = Path(found) if found else exe
    done = subprocess.run([str(exe), *argv[1:]], capture_output=True, text=True, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    return Outcome(done.returncode, done.stdout, done.stderr)


def normalized(text: str, directory: Path) -> list[str]:
    """Output lines with what changes from run to run replaced: times, PIDs, the cluster path, user."""
    import pwd

    user = pwd.getpwuid(os.geteuid()).pw_name
    out = []
    for line in text.splitlines():
        line = line.replace(str(directory), "D")
        line = re.sub(r"^\w{3} [ \d]\d \d\d:\d\d:\d\d ", "", line)
        line = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "TIME", line)
        line = re.sub(r"\(\d\d:\d\d:\d\d - \d\d:\d\d:\d\d\)", "(T - T)", line)
        line = re.sub(r"\[\d+\]", "[PID]", line)
        line = re.sub(r", \d+\.\d s after", ", N s after", line)
        line = re.sub(rf"(?<![\w-]){re.escape(user)} on", "USER on", line)
        out.append(line)
    return out


def crm_batch(text: str, env: dict[str, str]) -> Outcome:
    """``crm`` reading commands from stdin (levels and history settings persist line to line)."""
    from crmsh_py.cli import parse_args
    from crmsh_py.session import build_session
    from crmsh_py.shell.runner import run_batch

    out, err = io.StringIO(), io.StringIO()
    session = build_session(parse_args(["--backend", "bundled"]), out, err, dict(env))
    rc = run_batch(session, io.StringIO(text), "<stdin>")
    return Outcome(rc, out.getvalue(), err.getvalue())
