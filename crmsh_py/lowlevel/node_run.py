"""Running a command "on" a simulated node of the bundled cluster (``crm cluster run``).

Every node of the bundled cluster lives on this machine, so a command runs once per node as a
local process, with ``CRM_NODE=<node>`` in its environment and the node's state directory as its
working directory.  The bundled backend runs it (``BundledBackend.run_on_nodes``); the shell never
starts processes of its own.
"""

from __future__ import annotations

import os
import subprocess

from crmsh_py.errors import CommandError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

RUN_TIMEOUT_S = 300


def run_on_node(cluster_dir: str, env: Mapping[str, str], node: str, command: str,
                timeout_s: float | None = None) -> tuple[int, str, str]:
    """``command`` on simulated ``node``: its exit code, stdout and stderr; CommandError when it
    runs longer than ``timeout_s`` (default RUN_TIMEOUT_S; it is killed, with all it started)."""
    from crmsh_py.agents.process import kill_session

    timeout_s = RUN_TIMEOUT_S if timeout_s is None else timeout_s
    cwd = os.path.join(cluster_dir, "nodes", node)
    os.makedirs(cwd, exist_ok=True)
    # its own session, so that at the timeout the command and everything it started can be ended
    proc = subprocess.Popen(["/bin/sh", "-c", command], cwd=cwd, env={**env, "CRM_NODE": node},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _end(proc, kill_session)
        raise CommandError(f"timed out after {timeout_s:g}s") from None
    except BaseException:
        _end(proc, kill_session)
        raise
    return proc.returncode, out, err


def _end(proc: "subprocess.Popen[str]", kill_session: Callable[[int], None]) -> None:
    """Kill the command's session and reap it; a process that left the session and still holds
    the pipes is not waited for."""
    kill_session(proc.pid)
    try:
        proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.wait()
