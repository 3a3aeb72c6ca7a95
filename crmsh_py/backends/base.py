"""The backend protocol: the one door through which the shell reaches a cluster.

Every shell command builds low-level argv (``["crm_resource", "-M", "-r", "dummy"]``) and hands it
to ``Backend.run``.  The bundled backend runs our own tools in-process; the Pacemaker backend runs
the real binaries.  Handlers never know which one they talk to.
"""

from __future__ import annotations

from typing import Protocol

from crmsh_py.records import record


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


class Backend(Protocol):
    """Runs one low-level command line and captures its output."""

    name: str

    def run(self, argv: list[str], stdin: str | None = None) -> RunResult:
        """Run ``argv`` (``argv[0]`` is the tool name) with ``stdin`` as its input."""
        ...
