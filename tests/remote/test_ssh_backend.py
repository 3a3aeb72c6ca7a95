"""The Pacemaker backend over SSH, against a real sshd on 127.0.0.1 and Pacemaker's real tools."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from crmsh_py.backends.pacemaker import make_pacemaker_backend
from crmsh_py.backends.ssh import SshConnection, SshTarget
from crmsh_py.errors import CommandError

CIBADMIN = Path("/usr/sbin/cibadmin")

needs_pacemaker = pytest.mark.skipif(not CIBADMIN.exists(),
                                     reason="pacemaker-cli-utils not installed (apt-get install pacemaker-cli-utils)")


def _options(server, tmp_path: Path, **extra: str) -> dict[str, str]:
    opts = {
        "ssh-port": str(server.port),
        "ssh-key": str(server.client_key),
        "ssh-known-hosts": str(server.known_hosts(tmp_path / "known_hosts")),
        "ssh-connect-timeout": "5",
    }
    opts.update(extra)
    return opts


@pytest.fixture
def remote_cib(tmp_path: Path) -> Path:
    """An empty CIB file made by the real cibadmin, reachable by the far side (same machine)."""
    if not CIBADMIN.exists():
        pytest.skip("pacemaker-cli-utils not installed")
    cib = tmp_path / "cib.xml"
    cib.write_text(subprocess.run([str(CIBADMIN), "--empty"], capture_output=True, text=True, check=True).stdout)
    return cib


@needs_pacemaker
def test_remote_tools_act_on_the_far_sides_cib_file(ssh_server, tmp_path: Path, remote_cib: Path) -> None:
    backend = make_pacemaker_backend({"CIB_file": str(remote_cib)}, f"{ssh_server.user}@127.0.0.1",
                                     _options(ssh_server, tmp_path))
    created = backend.run(["cibadmin", "-C", "-o", "resources", "-X",
                           '<primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy"/>'])
    assert created.rc == 0, created.stderr
    query = backend.run(["cibadmin", "-Q", "-o", "resources"])
    assert query.rc == 0
    assert '<primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy"/>' in query.stdout
    # The change really landed in the file on the far side.
    assert 'id="dummy"' in remote_cib.read_text()
    assert backend.where == f"{ssh_server.user}@127.0.0.1:{ssh_server.port}"


@needs_pacemaker
def test_stdin_reaches_the_remote_tool(ssh_server, tmp_path: Path, remote_cib: Path) -> None:
    backend = make_pacemaker_backend({"CIB_file": str(remote_cib)}, "127.0.0.1", _options(ssh_server, tmp_path))
    result = backend.run(["cibadmin", "-C", "-o", "resources", "-p"],
                         stdin='<primitive id="d2" class="ocf" provider="pacemaker" type="Dummy"/>')
    assert result.rc == 0, result.stderr
    assert 'id="d2"' in remote_cib.read_text()


def test_unknown_host_key_is_refused_and_nothing_runs(ssh_server, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    empty_known = tmp_path / "empty_known_hosts"
    empty_known.write_text("")
    target = SshTarget.parse("127.0.0.1", port=ssh_server.port, key_file=str(ssh_server.client_key),
                             known_hosts=str(empty_known), connect_timeout=5)
    with pytest.raises(CommandError, match="unknown host key: refusing to connect") as err:
        SshConnection(target).run_shell(f"touch {marker}")
    assert f"ssh-keyscan -p {ssh_server.port} 127.0.0.1" in str(err.value)
    assert not marker.exists()
    assert empty_known.read_text() == ""


def test_accepting_a_new_host_key_records_it(ssh_server, tmp_path: Path) -> None:
    known = tmp_path / "sub" / "known_hosts"
    target = SshTarget.parse("127.0.0.1", port=ssh_server.port, key_file=str(ssh_server.client_key),
                             known_hosts=str(known), accept_new_host_key=True, connect_timeout=5)
    result = SshConnection(target).run_shell("echo hello")
    assert (result.rc, result.stdout) == (0, "hello\n")
    key_data = ssh_server.host_key_line.split()[2]
    assert key_data in known.read_text()
    # Second time: strict checking passes with the recorded key.
    strict = SshTarget.parse("127.0.0.1", port=ssh_server.port, key_file=str(ssh_server.client_key),
                             known_hosts=str(known), connect_timeout=5)
    assert SshConnection(strict).run_shell("true").rc == 0


def test_changed_host_key_is_refused(ssh_server, tmp_path: Path) -> None:
    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    key_type, key_data = Path(str(other) + ".pub").read_text().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{ssh_server.port} {key_type} {key_data}\n")
    target = SshTarget.parse("127.0.0.1", port=ssh_server.port, key_file=str(ssh_server.client_key),
                             known_hosts=str(known), connect_timeout=5)
    with pytest.raises(CommandError, match="host key differs"):
        SshConnection(target).run_shell("true")


def test_authentication_failure_is_named(ssh_server, tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    target = SshTarget.parse("127.0.0.1", port=ssh_server.port, key_file=str(stranger),
                             known_hosts=str(ssh_server.known_hosts(tmp_path / "kh")), connect_timeout=5)
    with pytest.raises(CommandError, match="authentication failed for user"):
        SshConnection(target).run_shell("true")


def test_unreachable_host_is_named(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on: bind, then close
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = SshTarget.parse(f"127.0.0.1:{port}", connect_timeout=2, known_hosts=str(tmp_path / "kh"))
    with pytest.raises(CommandError, match=rf"127.0.0.1:{port}: cannot connect"):
        SshConnection(target).run_shell("true")


def test_missing_tool_on_the_far_side(ssh_server, tmp_path: Path) -> None:
    backend = make_pacemaker_backend({}, "127.0.0.1", _options(ssh_server, tmp_path))
    result = backend.run(["crm_no_such_tool", "-Q"])
    assert result.rc == 127
    assert "crm_no_such_tool not found on the remote node" in result.stderr


@pytest.mark.parametrize(
    ("spec", "host", "port", "user"),
    [("srv01", "srv01", 22, None), ("root@srv01", "srv01", 22, "root"), ("srv01:2222", "srv01", 2222, None),
     ("admin@[::1]:2200", "::1", 2200, "admin")],
)
def test_host_specs(spec: str, host: str, port: int, user: str | None) -> None:
    target = SshTarget.parse(spec)
    assert (target.host, target.port, target.user) == (host, port, user)


@pytest.mark.parametrize("spec", ["root@", "srv01:http"])
def test_bad_host_specs(spec: str) -> None:
    with pytest.raises(CommandError, match="bad host"):
        SshTarget.parse(spec)


def test_cluster_run_over_ssh_reports_every_node(ssh_server, tmp_path: Path) -> None:
    from crmsh_py.backends.remote_run import format_runs, run_everywhere, ssh_run_one

    opts = _options(ssh_server, tmp_path)
    run_one = ssh_run_one(f"{ssh_server.user}@127.0.0.1", opts, "echo on $(hostname >/dev/null; echo ok); exit 3")
    # 127.0.0.1 answers; nothing listens on 127.0.0.3: that node reports an error, the other still runs.
    runs = run_everywhere(["127.0.0.1", "127.0.0.3"], run_one)
    assert [r.node for r in runs] == ["127.0.0.1", "127.0.0.3"]
    assert (runs[0].rc, runs[0].stdout, runs[0].error) == (3, "on ok\n", "")
    assert "cannot connect" in runs[1].error
    text = format_runs(runs)
    assert text.startswith("[127.0.0.1] exit 3\non ok\n[127.0.0.3] error: ")
