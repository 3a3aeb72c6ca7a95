"""``crm cluster run CMD [NODE...]`` on a real cluster: the command on every node over SSH, in parallel.

Each node gets its own connection; one node failing (unreachable, auth) does not stop the others:
its result carries the error text instead of output.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from crmsh_py.backends.base import NodeRun as NodeRun
from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

MAX_PARALLEL = 16


def run_everywhere(nodes: Iterable[str], run_one: Callable[[str], RunResult]) -> list[NodeRun]:
    """Call ``run_one(node)`` for every node in parallel; results in the order of ``nodes``."""
    names = list(nodes)

    def attempt(node: str) -> NodeRun:
        try:
            result = run_one(node)
        except CommandError as exc:
            return NodeRun(node, 255, error=str(exc))
        return NodeRun(node, result.rc, result.stdout, result.stderr)

    if not names:
        return []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(names))) as pool:
        return list(pool.map(attempt, names))


def format_runs(runs: list[NodeRun]) -> str:
    """Each node's output under its name with its exit status, the way ``cluster run`` prints it."""
    blocks = []
    for run in runs:
        status = f"error: {run.error}" if run.error else f"exit {run.rc}"
        body = run.stdout + (run.stderr if run.stderr else "")
        block = f"[{run.node}] {status}\n{body}"
        blocks.append(block if block.endswith("\n") else block + "\n")
    return "".join(blocks)


def ssh_run_one(template_host: str, options: dict[str, str], command: str) -> Callable[[str], RunResult]:
    """A ``run_one`` for real clusters: runs ``command`` on a node with the user, port, key and
    known-hosts options of ``template_host`` (``[user@]host[:port]``), one connection per node."""
    from crmsh_py.backends.ssh import SshConnection, SshTarget, ssh_target_options
    from crmsh_py.records import replace

    base = SshTarget.parse(template_host, **ssh_target_options(options))

    def run_one(node: str) -> RunResult:
        connection = SshConnection(replace(base, host=node))
        try:
            return connection.run_shell(command)
        finally:
            connection.close()

    return run_one


def run_on_nodes_over_ssh(env: Mapping[str, str], nodes: list[str], command: str,
                          options: Mapping[str, str]) -> list[NodeRun]:
    """One SSH connection per node, with the user, port and key of ``-H`` (``CRM_HOST``, else the
    first node) and the ``ssh-*`` options."""
    template = env.get("CRM_HOST") or nodes[0]
    return run_everywhere(nodes, ssh_run_one(template, dict(options), command))
