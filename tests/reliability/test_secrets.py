"""Secrets: `passwd`/`password` values never reach `-R` output or the logs (syslog, ha-log);
`configure show` hides them like crmsh 4.4 (`obscure:passw*` by default), `save` keeps them."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import rel_common as rc

SECRET = "s3cr3t-Value"


@pytest.fixture
def syslog(tmp_path: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    path = tmp_path / "syslog.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    env["CRM_SYSLOG_SOCKET"] = str(path)
    yield sock
    sock.close()


def _received(sock: socket.socket) -> str:
    lines = []
    for _ in range(1000):
        try:
            lines.append(sock.recv(65536).decode("utf-8", "replace"))
        except BlockingIOError:
            break
    return "\n".join(lines)


def test_secrets_stay_out_of_r_output_and_logs(cluster_dir: Path, env: dict[str, str], syslog) -> None:  # type: ignore[no-untyped-def]
    steps = [
        ["-R", "configure", "primitive", "st", "stonith:external/ipmi", "params", "hostname=srv01",
         "ipaddr=10.0.0.1", "userid=admin", f"passwd={SECRET}"],
        ["-R", "resource", "param", "st", "set", "passwd", SECRET + "2"],
        ["-R", "resource", "param", "st", "set", "password", SECRET + "3"],
    ]
    shown = ""
    for words in steps:
        result = rc.run_crm(words, env)
        assert result.rc == 0, result.err
        # the -R lines (crm_resource's own answer echoes the value it set, as Pacemaker's does)
        shown += "".join(line + "\n" for line in (result.out + result.err).splitlines()
                         if line.startswith(".EXT"))
    tool = rc.run_tool(["crm_resource", "-r", "st", "-p", "passwd", "-v", SECRET + "4"], env)
    assert tool.rc == 0, tool.err
    assert ".EXT crm_resource --resource 'st' --set-parameter 'passwd' --parameter-value *****" in shown
    logs = _received(syslog) + (cluster_dir / "ha-log").read_text()
    assert "resource param st set passwd *****" in logs
    for text in (shown, logs):
        assert SECRET not in text


def test_configure_show_obscures_passwords_like_crmsh(cluster_dir: Path, env: dict[str, str], tmp_path: Path) -> None:
    assert rc.run_crm(["configure", "primitive", "st", "stonith:external/ipmi", "params", "hostname=srv01",
                       "ipaddr=10.0.0.1", "userid=admin", f"passwd={SECRET}"], env).rc == 0
    show = rc.run_crm(["configure", "show", "st"], env).out
    assert 'passwd="******"' in show and SECRET not in show and "hostname=srv01" in show
    xml = rc.run_crm(["configure", "show", "xml", "st"], env).out
    assert 'value="******"' in xml and SECRET not in xml
    # obscure:GLOB replaces the default pattern, as in crmsh
    other = rc.run_crm(["configure", "show", "obscure:host*", "st"], env).out
    assert 'hostname="******"' in other and f"passwd={SECRET}" in other
    saved = tmp_path / "saved.crm"
    assert rc.run_crm(["configure", "save", str(saved)], env).rc == 0
    assert f"passwd={SECRET}" in saved.read_text()  # round trips keep the real value
