"""The cluster level: the bundled cluster's life cycle and running commands on its nodes.

``status``, ``remove`` and the node list go through low-level tools (``crmadmin``, ``crm_node``).
``init`` and ``add`` create cluster definition files, for which Pacemaker has no low-level tool, so
they call the engine store directly.  ``run`` is local by design: on the bundled cluster every
node is simulated on this machine, so the command runs once per node as a local process with
``CRM_NODE=<node>`` in its environment and the node's state directory as working directory.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.shell.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

RUN_TIMEOUT_S = 300


def _bundled_only(session: "Session", what: str) -> None:
    if session.backend_kind != "bundled":
        raise CommandError(f"cluster {what} works on the bundled cluster only (this session uses "
                           f"the {session.backend_kind} backend)")


def node_names(session: "Session") -> list[str]:
    """Node names from ``crm_node -l`` (``ID NAME STATE`` lines)."""
    out = session.check(Cmd("crm_node").flag("-l")).stdout
    return [line.split()[1] for line in out.splitlines() if len(line.split()) > 1]


def do_init(session: "Session", call: Call) -> None:
    """``init [NODE ...]``: create the bundled cluster (default nodes srv01 srv02)."""
    _bundled_only(session, "init")
    from crmsh_py.engine.store import init_cluster

    nodes = call.args or ["srv01", "srv02"]
    init_cluster(session.cluster_dir, nodes=list(nodes))
    session.info(f"cluster created in {session.cluster_dir} with nodes {' '.join(nodes)}")


def do_status(session: "Session", call: Call) -> None:
    """The DC (``crmadmin -D``) and the member nodes (``crm_node -l``)."""
    session.passthrough(Cmd("crmadmin").flag("-D"))
    session.passthrough(Cmd("crm_node").flag("-l"))


def do_add(session: "Session", call: Call) -> None:
    """``add NODE``: a new simulated node joins the bundled cluster."""
    _bundled_only(session, "add")
    if len(call.args) != 1:
        raise CommandError("usage: add NODE")
    from crmsh_py.engine.store import BundledCluster, add_node, open_cluster

    cluster = open_cluster(session.env, session.cluster_dir, create=False)
    if not isinstance(cluster, BundledCluster):
        raise CommandError("cluster add needs the bundled cluster")
    add_node(cluster, call.args[0])
    session.info(f"node {call.args[0]} added")


def do_remove(session: "Session", call: Call) -> None:
    """``remove NODE``: forget a node (``crm_node --force -R NODE``)."""
    if len(call.args) != 1:
        raise CommandError("usage: remove NODE")
    if not session.confirm(f"Remove node {call.args[0]} from the cluster?"):
        return
    session.passthrough(Cmd("crm_node").flag("--force").opt("-R", call.args[0]))


def _daemon(session: "Session", action: str) -> None:
    _bundled_only(session, action)
    try:
        from crmsh_py.engine import daemon
    except ImportError:
        raise CommandError(f"cluster {action}: the engine daemon is not available in this build") from None
    getattr(daemon, action)(session.cluster_dir, session.env)


def do_start(session: "Session", call: Call) -> None:
    """Start the engine daemon (recurring monitors, failure detection)."""
    _daemon(session, "start")


def do_stop(session: "Session", call: Call) -> None:
    """Stop the engine daemon."""
    _daemon(session, "stop")


def do_run(session: "Session", call: Call) -> None:
    """``run CMD``: run a shell command once per simulated node (``CRM_NODE`` set, cwd the node's dir)."""
    _bundled_only(session, "run")
    if not call.args:
        raise CommandError("usage: run COMMAND")
    command = " ".join(call.args)
    failed = []
    for node in node_names(session):
        cwd = os.path.join(session.cluster_dir, "nodes", node)
        os.makedirs(cwd, exist_ok=True)
        env = {**session.env, "CRM_NODE": node}
        try:
            done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                                  timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            failed.append(node)
            session.write(f"[{node}] timed out after {RUN_TIMEOUT_S}s")
            continue
        session.write(f"[{node}]" + (f" (exit {done.returncode})" if done.returncode else ""))
        session.write(done.stdout)
        if done.stderr:
            session.err.write(done.stderr)
        if done.returncode:
            failed.append(node)
    if failed:
        raise CommandError(f"the command failed on {' '.join(failed)}")


LEVEL = Level(
    name="cluster",
    help="The cluster itself.  On the bundled cluster: create it, add and remove simulated nodes, "
         "start the engine daemon, and run a command on every node.",
    commands=[
        CommandSpec("init", "Create the bundled cluster", usage="init [NODE ...]", handler=do_init,
                    examples=("init", "init alpha beta gamma")),
        CommandSpec("start", "Start the engine daemon (recurring monitors)", usage="start", handler=do_start,
                    examples=("start",)),
        CommandSpec("stop", "Stop the engine daemon", usage="stop", handler=do_stop, examples=("stop",)),
        CommandSpec("status", "Show the DC and the member nodes", usage="status", handler=do_status,
                    examples=("status",)),
        CommandSpec("add", "Add a simulated node", usage="add NODE", handler=do_add, args=(Arg("node"),),
                    examples=("add srv03",)),
        CommandSpec("remove", "Remove a node from the cluster", usage="remove NODE", handler=do_remove,
                    args=(Arg("node", "node"),), examples=("remove srv03",)),
        CommandSpec("run", "Run a shell command on every node\n\nOn the bundled cluster the command runs "
                    "locally once per simulated node, with CRM_NODE=<node> and the node's state directory "
                    "as working directory.", usage="run COMMAND ...", handler=do_run,
                    examples=("run hostname", "run 'ls $HA_RSCTMP'")),
    ],
)
