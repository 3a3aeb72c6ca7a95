"""Golden transcripts of crm one-shot and batch sessions with -R, on a fresh bundled cluster.

Each golden file is a transcript: ``$ crm ARGS`` lines followed by what crm printed on stdout.
Times in crm_mon output are masked.  Regenerate with ``CRM_GOLDEN_UPDATE=1``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
_TIMES = re.compile(r"^(  \* Last (?:updated|change): ).*$", re.MULTILINE)


def _transcript(tmp_path: Path, sessions: list[tuple[list[str], str]]) -> str:
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "cluster"),
           "CRM_SYSLOG_SOCKET": str(tmp_path / "no-syslog"), "NO_COLOR": "1"}
    env.pop("CIB_file", None)
    out = []
    for args, stdin in sessions:
        done = subprocess.run([sys.executable, "-m", "crmsh_py.cli", *args], input=stdin, text=True,
                              capture_output=True, env=env, cwd=ROOT, timeout=60)
        out.append(f"$ crm {' '.join(args)}" + (" < batch" if stdin else ""))
        out.append(_TIMES.sub(r"\1<time>", done.stdout).rstrip("\n"))
        out.append(f"[exit {done.returncode}]")
    return "\n".join(line for line in out if line) + "\n"


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CRM_GOLDEN_UPDATE"):
        path.write_text(text)
    assert text == path.read_text()


def test_demo_one_shots(tmp_path: Path) -> None:
    text = _transcript(tmp_path, [
        (["configure", "load", "update", "examples/demo.crm"], ""),
        (["status"], ""),
        (["-R", "resource", "move", "dummy", "srv02", "force"], ""),
        (["status"], ""),
        (["-R", "resource", "unmove", "dummy"], ""),
        (["-R", "configure", "show"], ""),
    ])
    _check("demo_oneshot.txt", text)
    assert "$ crm -R resource move dummy srv02 force\n.EXT crm_resource -M -r 'dummy' --node='srv02' --force\n[exit 0]" in text
    assert "$ crm -R resource unmove dummy\n.EXT crm_resource -U -r 'dummy'\n[exit 0]" in text
    assert text.count("Started srv01") == 1 and "Started srv02" in text


def test_demo_syslog_lines(tmp_path: Path) -> None:
    """The crm command line and the crm_resource line it became both reach the log."""
    import socket

    sock_path = tmp_path / "log.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(sock_path))
    receiver.settimeout(5)
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "CRM_SYSLOG_SOCKET": str(sock_path)}
    try:
        for args in (["configure", "load", "update", "examples/demo.crm"], ["-R", "resource", "move", "dummy", "srv02", "force"]):
            subprocess.run([sys.executable, "-m", "crmsh_py.cli", *args], env=env, cwd=ROOT, capture_output=True,
                           timeout=60, check=True)
        lines = []
        receiver.settimeout(0.5)
        while True:
            try:
                lines.append(receiver.recv(65536).decode())
            except (TimeoutError, socket.timeout):
                break
    finally:
        receiver.close()
    assert any(re.search(r"crm\[\d+\]: Invoked: crm -R resource move dummy srv02 force$", l) for l in lines), lines
    assert any(re.search(r"crm_resource\[\d+\]: Invoked: crm_resource -M -r dummy --node=srv02 --force$", l)
               for l in lines), lines


BATCH = """\
# demo batch: levels persist from line to line
configure
load update examples/demo.crm
primitive extra ocf:heartbeat:Dummy \\
    op monitor interval=10s
commit
end
resource
stop extra
start extra
ban extra srv01
clear extra
up
"""


def test_batch_transcript(tmp_path: Path) -> None:
    _check("batch.txt", _transcript(tmp_path, [(["-R"], BATCH), (["configure", "show", "extra"], "")]))


@pytest.mark.parametrize("stop", [False, True])
def test_batch_error_reports_the_line(tmp_path: Path, stop: bool) -> None:
    # crmsh's batch semantics by default: report, carry on, commit the rest at the end, exit 1;
    # --stop-on-error stops at the first error and applies nothing
    batch = tmp_path / "bad.crm"
    batch.write_text("configure\nprimitive a ocf:heartbeat:Dummy\nprimitive b ocf:heartbeat:Dummy op\n"
                     "property stonith-enabled=false\ncommit\n")
    env = {**os.environ, "CRM_CLUSTER_DIR": str(tmp_path / "cluster"), "CRM_SYSLOG_SOCKET": str(tmp_path / "x")}
    flags = ["--stop-on-error"] if stop else []
    done = subprocess.run([sys.executable, "-m", "crmsh_py.cli", *flags, "-f", str(batch)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert re.match(rf"ERROR: {re.escape(str(batch))}:3: .*syntax error", done.stderr), done.stderr
    show = subprocess.run([sys.executable, "-m", "crmsh_py.cli", "configure", "show"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert ("primitive a" in show.stdout) is not stop
    assert "primitive b" not in show.stdout
