"""SSH transport to a cluster node (paramiko): the only module that imports paramiko.

Host keys are checked against known_hosts by default: an unknown host is refused with a message
that says how to accept it, never silently trusted.  Every failure (unreachable host, refused key,
authentication, timeout, missing tool on the far side) becomes a ``CommandError`` whose text names
the host and the cause; nothing is run half-way because a command is only sent once the session
is authenticated.
"""

from __future__ import annotations

import os
import shlex
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError
from crmsh_py.records import field, record

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping
    import paramiko

# Non-login shells on many distributions leave sbin out of PATH; Pacemaker's tools live there.
REMOTE_PATH_PREFIX = "PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
# Environment variables that select what the far side's tools operate on; forwarded when set here.
FORWARDED_ENV = ("CIB_file", "CIB_shadow", "CIB_shadow_dir")
EXIT_COMMAND_NOT_FOUND = 127


@record(frozen=True)
class SshTarget:
    """Where and as whom to connect: parsed from ``[user@]host[:port]`` plus options."""

    host: str
    port: int = 22
    user: str | None = None
    key_file: str | None = None
    known_hosts: str | None = None  # None: ~/.ssh/known_hosts
    accept_new_host_key: bool = False
    connect_timeout: float = 10.0
    command_timeout: float = 120.0

    @classmethod
    def parse(cls, spec: str, **options: Any) -> "SshTarget":
        """Parse ``user@host``, ``host:port`` or ``user@[::1]:port`` forms.

        Raises CommandError for an empty host or a port that is not a number.
        """
        user: str | None = None
        rest = spec.strip()
        if "@" in rest:
            user, rest = rest.rsplit("@", 1)
        port = options.pop("port", None) or 22
        if rest.startswith("["):
            host, _, tail = rest[1:].partition("]")
            if tail.startswith(":"):
                port = tail[1:]
        elif rest.count(":") == 1:
            host, port = rest.split(":")
        else:
            host = rest
        if not host:
            raise CommandError(f"bad host '{spec}': no host name")
        try:
            port_number = int(port)
        except ValueError:
            raise CommandError(f"bad host '{spec}': port '{port}' is not a number") from None
        return cls(host=host, port=port_number, user=user or options.pop("user", None), **options)

    @property
    def label(self) -> str:
        """``user@host:port`` for messages."""
        who = f"{self.user}@" if self.user else ""
        where = self.host if self.port == 22 else f"{self.host}:{self.port}"
        return who + where

    def known_hosts_path(self) -> Path:
        """The known_hosts file used for host key checking."""
        return Path(self.known_hosts or Path.home() / ".ssh" / "known_hosts").expanduser()


def remote_command(argv: list[str], env: dict[str, str]) -> str:
    """The shell command line sent to the far side: forwarded env, a PATH with sbin, the argv."""
    assignments = [f"{k}={shlex.quote(v)}" for k, v in env.items()]
    return " ".join([REMOTE_PATH_PREFIX, *assignments, shlex.join(argv)])


@record
class SshConnection:
    """A lazily opened, reused paramiko connection to one node."""

    target: SshTarget
    _client: "paramiko.SSHClient | None" = field(default=None, repr=False)

    def _connect(self) -> "paramiko.SSHClient":
        import paramiko  # heavy: imported only when a remote command actually runs

        t = self.target
        client = paramiko.SSHClient()
        known = t.known_hosts_path()
        if known.exists():
            try:
                client.load_host_keys(str(known))
            except (OSError, paramiko.SSHException) as exc:
                raise CommandError(f"{known}: cannot read known hosts: {exc}") from None
        if t.accept_new_host_key:
            known.parent.mkdir(parents=True, exist_ok=True)
            # AutoAddPolicy writes the key to the file load_host_keys was given, on success.
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            if not known.exists():
                known.touch(mode=0o600)
                client.load_host_keys(str(known))
        else:
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            client.connect(
                t.host,
                port=t.port,
                username=t.user or _local_user(),
                key_filename=t.key_file,
                timeout=t.connect_timeout,
                banner_timeout=t.connect_timeout,
                auth_timeout=t.connect_timeout,
                allow_agent=True,
                look_for_keys=t.key_file is None,
            )
        except paramiko.BadHostKeyException:
            raise CommandError(
                f"{t.label}: host key differs from the one in {known}: refusing to connect "
                "(possible man-in-the-middle; check the host and fix known_hosts)"
            ) from None
        except paramiko.SSHException as exc:
            text = str(exc)
            if "not found in known_hosts" in text:
                keyscan = f"ssh-keyscan -p {t.port} {t.host} >> {known}"
                raise CommandError(
                    f"{t.label}: unknown host key: refusing to connect. Check the key and add it "
                    f"({keyscan}), or accept it once with -o ssh-accept-new-host-key=yes"
                ) from None
            if isinstance(exc, paramiko.AuthenticationException):
                raise CommandError(
                    f"{t.label}: authentication failed for user {t.user or _local_user()} "
                    "(tried the key file, ssh-agent and default keys)"
                ) from None
            raise CommandError(f"{t.label}: SSH error: {text}") from None
        except (socket.timeout, TimeoutError):
            raise CommandError(f"{t.label}: connection timed out after {t.connect_timeout:g}s") from None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CommandError(f"{t.label}: cannot connect: {reason}") from None
        return client

    def run(self, argv: list[str], stdin: str | None = None, env: dict[str, str] | None = None) -> RunResult:
        """Run ``argv`` on the node; returns its exit code and output.

        A tool missing on the far side (exit 127) is reported as such in ``stderr``.
        """
        if self._client is None:
            self._client = self._connect()
        command = remote_command(argv, env or {})
        t = self.target
        try:
            chan_in, chan_out, chan_err = self._client.exec_command(command, timeout=t.command_timeout)
            if stdin:
                chan_in.write(stdin)
            chan_in.channel.shutdown_write()
            out = chan_out.read().decode("utf-8", "replace")
            err = chan_err.read().decode("utf-8", "replace")
            rc = chan_out.channel.recv_exit_status()
        except (socket.timeout, TimeoutError):
            raise CommandError(f"{t.label}: '{argv[0]}' timed out after {t.command_timeout:g}s") from None
        if rc == EXIT_COMMAND_NOT_FOUND and argv and f"{argv[0]}" in err:
            err = f"{t.label}: {argv[0]} not found on the remote node (is pacemaker-cli-utils installed?)\n"
        return RunResult(rc, out, err)

    def run_shell(self, command: str) -> RunResult:
        """Run a free-form shell command line (``crm cluster run``)."""
        if self._client is None:
            self._client = self._connect()
        t = self.target
        try:
            _in, chan_out, chan_err = self._client.exec_command(command, timeout=t.command_timeout)
            _in.channel.shutdown_write()
            out = chan_out.read().decode("utf-8", "replace")
            err = chan_err.read().decode("utf-8", "replace")
            rc = chan_out.channel.recv_exit_status()
        except (socket.timeout, TimeoutError):
            raise CommandError(f"{t.label}: command timed out after {t.command_timeout:g}s") from None
        return RunResult(rc, out, err)

    def close(self) -> None:
        """Close the connection if open."""
        if self._client is not None:
            self._client.close()
            self._client = None


def forwarded_env(env: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The subset of ``env`` forwarded to remote tools (``CIB_file`` and friends)."""
    return {k: env[k] for k in FORWARDED_ENV if env.get(k)}


def _local_user() -> str:
    import getpass

    return getpass.getuser()


# ``-o`` option names (crm's options level) that configure the SSH connection.
SSH_OPTION_KEYS = {
    "ssh-port": ("port", int),
    "ssh-user": ("user", str),
    "ssh-key": ("key_file", str),
    "ssh-known-hosts": ("known_hosts", str),
    "ssh-accept-new-host-key": ("accept_new_host_key", lambda v: v.lower() in ("yes", "true", "1", "on")),
    "ssh-connect-timeout": ("connect_timeout", float),
    "ssh-command-timeout": ("command_timeout", float),
}


def ssh_target_options(options: Mapping[str, str]) -> dict[str, object]:
    """Translate ``ssh-*`` user options into ``SshTarget`` keyword arguments.

    Raises CommandError for a value of the wrong type (``ssh-port=abc``).
    """
    from crmsh_py.errors import CommandError

    out: dict[str, object] = {}
    for key, (field_name, convert) in SSH_OPTION_KEYS.items():
        if key in options and options[key] != "":
            try:
                out[field_name] = convert(options[key])  # type: ignore[operator]
            except ValueError:
                raise CommandError(f"option {key}: bad value '{options[key]}'") from None
    return out
