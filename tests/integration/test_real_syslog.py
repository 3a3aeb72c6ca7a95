"""Invocation lines reach a real syslog daemon (rsyslogd on a private socket), as on a cluster node.

The shell logs what the operator typed, each low-level tool what it was asked to do; both arrive as
facility daemon, severity info.  Skips with a reason where rsyslog is not installed (CI installs it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

RSYSLOGD = Path("/usr/sbin/rsyslogd")
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo.crm"
WAIT_S = 10.0


@pytest.fixture
def syslog(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A private rsyslogd: (socket to log to, file it writes ``facility.severity tag msg`` lines to)."""
    if not RSYSLOGD.exists():
        pytest.skip("rsyslog is not installed (apt-get install rsyslog)")
    sock, messages = tmp_path / "log.sock", tmp_path / "messages"
    conf = tmp_path / "rsyslog.conf"
    conf.write_text(
        'global(workDirectory="%s")\n' % tmp_path
        + 'module(load="imuxsock" SysSock.Use="off")\n'
        + f'input(type="imuxsock" Socket="{sock}" CreatePath="on")\n'
        + 'template(name="line" type="string" string="%syslogfacility-text%.%syslogseverity-text% '
          '%syslogtag%%msg%\\n")\n'
        + f'*.* action(type="omfile" file="{messages}" template="line")\n'
    )
    proc = subprocess.Popen([str(RSYSLOGD), "-n", "-f", str(conf), "-i", str(tmp_path / "rsyslogd.pid")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + WAIT_S
    while not sock.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.skip(f"rsyslogd could not start here: {proc.stderr.read().decode()[:300] if proc.stderr else ''}")
        time.sleep(0.05)
    try:
        yield sock, messages
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_for(path: Path, pattern: str) -> list[str]:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if any(re.search(pattern, line) for line in lines):
            return lines
        time.sleep(0.1)
    raise AssertionError(f"no line matching {pattern!r} in {path}:\n" + (path.read_text() if path.exists() else ""))


def test_shell_and_tool_invocations_reach_syslog(syslog: tuple[Path, Path], tmp_path: Path) -> None:
    sock, messages = syslog
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"), CRM_SYSLOG_SOCKET=str(sock))
    for words in (["configure", "load", "update", str(DEMO)], ["-R", "resource", "move", "dummy", "srv02", "force"]):
        done = subprocess.run([sys.executable, "-m", "crmsh_py.cli", *words], env=env, capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
    lines = _wait_for(messages, r"crm_resource\[\d+\]: Invoked: crm_resource -M")
    assert any(re.fullmatch(r"daemon\.info crm\[\d+\]: Invoked: crm -R resource move dummy srv02 force", line)
               for line in lines), lines
    assert any(re.fullmatch(r"daemon\.info crm_resource\[\d+\]: Invoked: crm_resource -M -r dummy "
                            r"--node=srv02 --force", line) for line in lines), lines


def test_secrets_never_reach_syslog(syslog: tuple[Path, Path], tmp_path: Path) -> None:
    sock, messages = syslog
    env = dict(os.environ, CRM_CLUSTER_DIR=str(tmp_path / "cluster"), CRM_SYSLOG_SOCKET=str(sock))
    done = subprocess.run([sys.executable, "-m", "crmsh_py.cli", "configure", "primitive", "fence1",
                           "stonith:external/ipmi", "params", "hostname=srv01", "ipaddr=10.0.0.1", "userid=admin",
                           "passwd=s3cr3t-Value", "meta", "target-role=Stopped"],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = _wait_for(messages, r"crm\[\d+\]: Invoked: crm configure primitive fence1")
    assert not any("s3cr3t-Value" in line for line in lines)
    assert any("passwd=*****" in line for line in lines), lines
