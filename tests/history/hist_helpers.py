"""Helpers of the history tests: a bundled cluster driven by in-process ``crm`` one-shots."""

from __future__ import annotations

import os
import re
from pathlib import Path

from support.bundled import DEMO, STONITH, cluster_env
from support.ours import Outcome, crm

__all__ = ["DEMO", "STONITH", "cluster_env", "crm", "crm_batch", "log_messages", "normalized", "sh"]

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
    return crm([], env, stdin=text, log_words=False)
