"""The bundled backend: our own low-level tools, called in-process (no fork, so one-shots are fast)."""

from __future__ import annotations

import io

from crmsh_py.backends.base import RunResult
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from crmsh_py import xmltree as ET
    from pathlib import Path
    from typing import TextIO

    from crmsh_py.backends.base import NodeRun
    from crmsh_py.cluster_yaml import KnownFiles


@record
class BundledBackend:
    """Runs ``crmsh_py.lowlevel.registry.run_tool`` with captured streams.

    ``env`` is what the tool sees as its environment (``CRM_CLUSTER_DIR``, ``CIB_file`` for a
    shadow CIB, ``CRM_SYSLOG_SOCKET``, ...); the shell passes a copy, never ``os.environ`` itself.
    """

    env: Mapping[str, str] = field(default_factory=dict)
    name: str = "bundled"
    known: KnownFiles | None = None  # the session's reading of cluster.yaml, handed to each tool

    def run(self, argv: list[str], stdin: str | None = None) -> RunResult:
        """Run one tool to completion and return its exit code, stdout and stderr."""
        return self._run(argv, io.StringIO(stdin or ""))

    def run_tree(self, argv: list[str], tree: ET.Element) -> RunResult:
        """Like :meth:`run` with ``tree`` as the tool's XML input, handed over as a tree (the tool
        may change it; see ``crmsh_py.cib.xml_handoff``) instead of written out and parsed back."""
        from crmsh_py.cib.xml_handoff import stdin_for

        return self._run(argv, stdin_for(tree))

    def _run(self, argv: list[str], stdin: TextIO) -> RunResult:
        # Imported here: the registry pulls in nothing heavy, but keeping the backend import-free
        # lets `crm --version` and `--help` skip it entirely.
        from crmsh_py.collector import paused
        from crmsh_py.lowlevel.registry import run_tool
        from crmsh_py.lowlevel.toolio import ToolIO

        tool_io = ToolIO(stdin, io.StringIO(), io.StringIO(), dict(self.env), known=self.known)
        with paused():  # the tools parse and write whole CIBs: acyclic objects only (see crmsh_py.collector)
            rc = run_tool(list(argv), tool_io)
        return RunResult(rc, tool_io.stdout.getvalue(), tool_io.stderr.getvalue())  # type: ignore[attr-defined]

    def run_on_nodes(self, nodes: list[str], command: str, options: Mapping[str, str]) -> list[NodeRun]:
        """``command`` once per simulated node, locally (``crmsh_py.lowlevel.node_run``)."""
        from crmsh_py import paths
        from crmsh_py.backends.remote_run import run_everywhere
        from crmsh_py.lowlevel.node_run import run_on_node

        directory = paths.cluster_dir(self.env)
        return run_everywhere(nodes, lambda node: RunResult(*run_on_node(directory, self.env, node, command)))

    def cib_file(self) -> Path | None:
        """The file holding the CIB the tools read (None: no cluster), for readers that only look
        and would rather parse it once than have ``cibadmin -Q`` copy and re-serialise it."""
        from crmsh_py.lowlevel.cib_source import cib_file

        return cib_file(self.env)

    def ensure_cluster(self, err: TextIO) -> None:
        """Create the default bundled cluster when there is none at all (the interactive shell's
        start on a fresh machine); an existing cluster, even a damaged one, is left alone."""
        from crmsh_py.lowlevel.default_cluster import ensure_default_cluster

        ensure_default_cluster(self.env, err)
