"""The backend protocol: the one door through which the shell reaches a cluster.

Every shell command builds low-level argv (``["crm_resource", "-M", "-r", "dummy"]``) and hands it
to ``Backend.run``.  The bundled backend runs our own tools in-process; the Pacemaker backend runs
the real binaries.  Handlers never know which one they talk to.
"""

from __future__ import annotations

from crmsh_py.records import record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Protocol
else:  # at run time a protocol is only documentation: a plain base class, and no typing import
    Protocol = object


@record(frozen=True)
class RunResult:
    """What a low-level command returned: exit code and captured output."""

    rc: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """True when the command exited 0."""
        return self.rc == 0


@record(frozen=True)
class NodeRun:
    """What one node returned: exit code and output, or an ``error`` if it could not be reached."""

    node: str
    rc: int
    stdout: str = ""
    stderr: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        """True when the command ran and exited 0."""
        return not self.error and self.rc == 0


class Backend(Protocol):
    """Runs one low-level command line and captures its output."""

    name: str

    def run(self, argv: list[str], stdin: str | None = None) -> RunResult:
        """Run ``argv`` (``argv[0]`` is the tool name) with ``stdin`` as its input."""
        ...

    def run_on_nodes(self, nodes: list[str], command: str, options: Mapping[str, str]) -> list[NodeRun]:
        """Run the shell ``command`` on every node of ``nodes`` in parallel (``crm cluster run``);
        ``options`` are the user's (``ssh-user``, ``ssh-port``... for a real cluster)."""
        ...
