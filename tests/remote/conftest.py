"""A real OpenSSH server on 127.0.0.1 for the remote-backend tests.

It runs as the current user on a free port with a throw-away host key and one authorised test
key; it is stopped after the module.  Skips with a reason where sshd is not installed or cannot
start (CI installs openssh-server).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
START_TIMEOUT_S = 10.0


@dataclass
class SshServer:
    """What a test needs to reach the server."""

    host: str
    port: int
    user: str
    client_key: Path
    host_key_line: str  # a known_hosts line for this server (as 127.0.0.1 and as 127.0.0.2)
    workdir: Path

    def known_hosts(self, path: Path) -> Path:
        """Write a known_hosts file that trusts this server and return its path."""
        key = self.host_key_line.split(" ", 1)[1]
        path.write_text(f"{self.host_key_line}\n[127.0.0.2]:{self.port} {key}\n")
        return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


@pytest.fixture(scope="module")
def ssh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """Start sshd on 127.0.0.1:<free port>; yield how to reach it; stop it."""
    if not Path(SSHD).exists() or shutil.which("ssh-keygen") is None:
        pytest.skip("openssh-server is not installed (apt-get install openssh-server)")
    work = tmp_path_factory.mktemp("sshd")
    os.chmod(work, 0o700)
    host_key, client_key = work / "host_key", work / "client_key"
    _keygen(host_key)
    _keygen(client_key)
    authorized = work / "authorized_keys"
    authorized.write_text(Path(str(client_key) + ".pub").read_text())
    authorized.chmod(0o600)
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
    port = _free_port()
    config = work / "sshd_config"
    config.write_text(
        "\n".join([
            f"Port {port}",
            "ListenAddress 127.0.0.1",
            "ListenAddress 127.0.0.2",
            f"HostKey {host_key}",
            f"AuthorizedKeysFile {authorized}",
            f"PidFile {work / 'sshd.pid'}",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "StrictModes no",
            "UsePAM no",
            "PermitUserEnvironment no",
            "LogLevel ERROR",
            "",
        ])
    )
    log = work / "sshd.log"
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=log.open("w"))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.skip(f"sshd could not start here: {log.read_text().strip()[:300]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.skip("sshd did not accept connections within 10 s")
    key_type, key_data = Path(str(host_key) + ".pub").read_text().split()[:2]
    import getpass

    server = SshServer("127.0.0.1", port, getpass.getuser(), client_key,
                       f"[127.0.0.1]:{port} {key_type} {key_data}", work)
    try:
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
