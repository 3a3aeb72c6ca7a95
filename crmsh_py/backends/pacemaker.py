"""The Pacemaker backend: the same argv the handlers build, run by Pacemaker's own binaries.

Locally the tools are looked up in Pacemaker's install directories (``/usr/sbin`` first), never
through ``PATH``: our own console scripts share their names and would otherwise shadow them.
Remotely (``crm --host NODE``) the argv goes over SSH (``crmsh_py.backends.ssh``).
"""

from __future__ import annotations

from crmsh_py.backends.base import RunResult
from crmsh_py.lowlevel.detect import bindirs, find_tool
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping
    from typing import Protocol

    from crmsh_py.backends.base import NodeRun
    from crmsh_py.backends.ssh import SshTarget
else:  # at run time a protocol is only documentation: a plain base class, and no typing import
    Protocol = object

LOCAL_TIMEOUT_S = 300.0


@record
class LocalPacemaker:
    """Runs Pacemaker's binaries on this machine as subprocesses."""

    env: Mapping[str, str] = field(default_factory=dict)
    name: str = "pacemaker"
    timeout_s: float = LOCAL_TIMEOUT_S

    @property
    def where(self) -> str:
        """Where the tools run: shown in the status header."""
        return "local"

    def run(self, argv: list[str], stdin: str | None = None) -> RunResult:
        """Run ``argv`` with the real tool named by ``argv[0]``."""
        import subprocess  # here, not at the top: every one-shot imports this module, few run tools

        path = find_tool(argv[0], self.env)
        if path is None:
            dirs = ":".join(bindirs(self.env))
            return RunResult(127, "", f"crm: {argv[0]}: Pacemaker tool not found in {dirs} "
                                      "(install pacemaker-cli-utils, or use --backend bundled)\n")
        try:
            done = subprocess.run(
                [path, *argv[1:]],
                input=stdin or "",
                capture_output=True,
                text=True,
                env=dict(self.env),
                timeout=self.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return RunResult(124, "", f"crm: {argv[0]} timed out after {self.timeout_s:g}s\n")
        except OSError as exc:
            return RunResult(126, "", f"crm: {argv[0]}: cannot run: {exc.strerror}\n")
        return RunResult(done.returncode, done.stdout, done.stderr)

    def run_on_nodes(self, nodes: list[str], command: str, options: Mapping[str, str]) -> list[NodeRun]:
        """``command`` on every node over SSH (``remote_run.run_on_nodes_over_ssh``)."""
        from crmsh_py.backends.remote_run import run_on_nodes_over_ssh

        return run_on_nodes_over_ssh(self.env, nodes, command, options)


@record
class RemotePacemaker:
    """Runs Pacemaker's binaries on a cluster node over SSH.

    ``CIB_file``/``CIB_shadow`` set in the local environment are passed to the far side's tools,
    which is how one points them at an offline CIB there.
    """

    connection: SshConnectionLike
    env: Mapping[str, str] = field(default_factory=dict)
    name: str = "pacemaker"

    @property
    def where(self) -> str:
        """Where the tools run: shown in the status header."""
        return self.connection.target.label

    def run(self, argv: list[str], stdin: str | None = None) -> RunResult:
        """Run ``argv`` on the node; connection problems surface as CommandError."""
        from crmsh_py.backends.ssh import forwarded_env

        return self.connection.run(argv, stdin, forwarded_env(dict(self.env)))

    def run_on_nodes(self, nodes: list[str], command: str, options: Mapping[str, str]) -> list[NodeRun]:
        """``command`` on every node over SSH (``remote_run.run_on_nodes_over_ssh``)."""
        from crmsh_py.backends.remote_run import run_on_nodes_over_ssh

        return run_on_nodes_over_ssh(self.env, nodes, command, options)


class SshConnectionLike(Protocol):
    """What RemotePacemaker needs of a connection (``crmsh_py.backends.ssh.SshConnection``)."""

    target: SshTarget

    def run(self, argv: list[str], stdin: str | None, env: dict[str, str]) -> RunResult:
        """Run ``argv`` on the far side."""

def make_pacemaker_backend(env: Mapping[str, str], host: str | None = None,
                           options: Mapping[str, str] | None = None) -> LocalPacemaker | RemotePacemaker:
    """The Pacemaker backend: local, or on ``host`` (``[user@]host[:port]``) over SSH."""
    if not host:
        return LocalPacemaker(env=dict(env))
    from crmsh_py.backends.ssh import SshConnection, SshTarget, ssh_target_options

    target = SshTarget.parse(host, **ssh_target_options(options or {}))
    return RemotePacemaker(connection=SshConnection(target), env=dict(env))
