"""``crm_engine``: start and stop the bundled cluster's engine, inject events (our own tool).

It is to the bundled cluster what ``systemctl start pacemaker`` and ``crm_simulate``'s injections
are to a real one::

    crm_engine start [NODE...]        start the daemon (once) and bring NODEs (default: all) online
    crm_engine stop [NODE...]         take NODEs (default: all) offline cleanly; the daemon stops
                                      when no node is left online
    crm_engine status                 daemon pid, online/offline nodes, DC (exit 0 running, 7 not)
    crm_engine inject node-up NODE...        a node joins
    crm_engine inject node-down NODE...      a node shuts down cleanly (resources move first)
    crm_engine inject node-fail NODE...      a node is lost (unclean: fenced when possible)
    crm_engine inject op RSC_TASK_INTERVALMS@NODE=RC...   record an operation result
    crm_engine init [--name N] [--stack S] [--version V] NODE...   create the cluster
    crm_engine add-node NODE                 a new node joins the cluster
    crm_engine repair                        restore a broken cib.xml/cluster.yaml
    crm_engine run-daemon --cluster DIR      the daemon itself (internal)

``init``, ``add-node`` and ``repair`` are what ``crm cluster init/add/repair`` run: Pacemaker has no
low-level tool that creates a cluster's definition files, so the bundled cluster's own tool does.

The cluster is the one the other tools use (``CRM_CLUSTER_DIR`` or the XDG state dir); with
``CIB_file`` set there is nothing to run, as with Pacemaker (exit 102), except ``init`` and
``repair``, which work on the cluster directory whatever ``CIB_file`` says.
"""

from __future__ import annotations

from pathlib import Path

from crmsh_py import paths
from crmsh_py.engine import facade
from crmsh_py.invocation import log_invocation
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

TOOL = "crm_engine"
USAGE = """Usage:
  crm_engine start [NODE...]
  crm_engine stop [NODE...]
  crm_engine status
  crm_engine inject node-up|node-down|node-fail NODE...
  crm_engine inject op RSC_TASK_INTERVALMS@NODE=RC...
  crm_engine init [--name NAME] [--stack STACK] [--version V] NODE...
  crm_engine add-node NODE
  crm_engine repair

crm_engine - start, stop and inspect the bundled cluster's engine daemon, inject cluster events

Commands:
  start [NODE...]      Start the engine daemon and bring the nodes (default: all) online
  stop [NODE...]       Take the nodes (default: all) offline cleanly; stop the daemon when none is left
  status               Show whether the daemon runs, the nodes online and the DC
  inject EVENT ARG...  node-up, node-down, node-fail NODE; op RSC_TASK_INTERVALMS@NODE=RC
  init NODE...         Create the cluster with these nodes, all online (default: srv01 srv02)
  add-node NODE        A new node joins the cluster (online)
  repair               Restore a broken cib.xml or cluster.yaml, one line per step
"""


def run(args: list[str], io: ToolIO) -> int:
    """Run ``crm_engine`` with ``args`` (without the program name)."""
    if args[:1] == ["run-daemon"]:
        return _run_daemon(args[1:], io)
    if args[:1] == ["init"]:
        # logged once the directory holds a cluster: a log written first would be the only file of
        # a new directory, and init keeps an empty directory private (0700)
        try:
            return _init(Path(paths.cluster_dir(io.env)), args[1:], io)
        finally:
            log_invocation(TOOL, [TOOL, *args], io.env)
    log_invocation(TOOL, [TOOL, *args], io.env)
    directory_handler = DIRECTORY_COMMANDS.get(args[0]) if args else None
    if directory_handler is not None:
        return directory_handler(Path(paths.cluster_dir(io.env)), args[1:], io)
    if not args:
        # An error: say so on stderr, with the usage (like Pacemaker's tools without a command).
        io.err(f"{TOOL}: a command is required (start, stop, status, inject, init, add-node or repair)")
        io.stderr.write(USAGE)
        return exitcodes.CRM_EX_USAGE
    if args[0] in ("-h", "--help", "help"):
        io.stdout.write(USAGE)
        return exitcodes.CRM_EX_OK
    handler = COMMANDS.get(args[0])
    if handler is None:
        io.err(f"{TOOL}: unknown command '{args[0]}' (use start, stop, status, inject, init, add-node or repair)")
        return exitcodes.CRM_EX_USAGE
    cluster = _bundled(io)
    if cluster is None:
        return exitcodes.CRM_EX_DISCONNECT
    return handler(cluster, args[1:], io)


def _bundled(io: ToolIO) -> facade.BundledCluster | None:
    cluster = facade.open_cluster(io.env, notice=io.stderr)
    if not isinstance(cluster, facade.BundledCluster):
        io.err(f"{TOOL}: CIB_file is set: there is no cluster engine to control (unset CIB_file)")
        return None
    return cluster


def _all_nodes(cluster: facade.BundledCluster, nodes: list[str]) -> list[str]:
    return nodes or list(cluster.definition.node_names)


def _start(cluster: facade.BundledCluster, args: list[str], io: ToolIO) -> int:
    stale = facade.clean_stale_daemon(cluster.directory)
    if stale is not None:
        io.out(f"Removed a stale pid file (process {stale} is not running)")
        cluster.log("pacemakerd", f"Removed stale engine pid file of process {stale}", "warning")
    before = facade.daemon_pid(cluster.directory)
    if before is not None:
        io.out(f"Engine daemon already running (pid {before})")
    else:
        pid = facade.start_daemon(cluster.directory, cluster.env, cluster.directory / facade.HA_LOG)
        io.out(f"Engine daemon started (pid {pid})")
    joined = facade.nodes_up(cluster, _all_nodes(cluster, args), TOOL)
    for node in joined:
        io.out(f"Node {node} is online")
    return exitcodes.CRM_EX_OK


def _stop(cluster: facade.BundledCluster, args: list[str], io: ToolIO) -> int:
    left = facade.nodes_leave(cluster, _all_nodes(cluster, args), TOOL)
    for node in left:
        io.out(f"Node {node} is offline")
    if not _online(cluster):
        pid = facade.stop_daemon(cluster.directory)
        if pid is not None:
            io.out(f"Engine daemon stopped (pid {pid})")
    return exitcodes.CRM_EX_OK


def _online(cluster: facade.BundledCluster) -> list[str]:
    snap = cluster.read()
    return [n for n, s in snap.status.nodes.items() if s.online]


def _status(cluster: facade.BundledCluster, args: list[str], io: ToolIO) -> int:
    if args:
        io.err(f"{TOOL}: status takes no arguments")
        return exitcodes.CRM_EX_USAGE
    facade.clean_stale_daemon(cluster.directory)
    pid = facade.daemon_pid(cluster.directory)
    io.out(f"Engine daemon: running (pid {pid})" if pid is not None else "Engine daemon: stopped")
    snap = cluster.read()
    status = snap.status
    groups = {"Online": [n for n, s in status.nodes.items() if s.online],
              "OFFLINE": [n for n, s in status.nodes.items() if not s.online and not s.unclean],
              "UNCLEAN": [n for n, s in status.nodes.items() if s.unclean]}
    for label, names in groups.items():
        if names or label == "Online":
            io.out(f"{label}: [ {' '.join(names)} ]" if names else f"{label}: [ ]")
    io.out(f"Current DC: {facade.dc_name(snap.root, snap.definition) or 'NONE'}")
    return exitcodes.CRM_EX_OK if pid is not None else exitcodes.CRM_EX_NOT_RUNNING


def _inject(cluster: facade.BundledCluster, args: list[str], io: ToolIO) -> int:
    if len(args) < 2 or args[0] not in ("node-up", "node-down", "node-fail", "op"):
        io.err(f"{TOOL}: usage: crm_engine inject node-up|node-down|node-fail NODE... | op RSC_TASK_INTERVALMS@NODE=RC...")
        return exitcodes.CRM_EX_USAGE
    event, targets = args[0], args[1:]
    if event == "op":
        specs = [facade.parse_op_injection(t) for t in targets]  # all checked before any is applied
        for spec, text in zip(specs, targets):
            facade.inject_op(cluster, text, TOOL)
            io.out(f"Injected {spec.rsc_id}_{spec.task}_{spec.interval_ms} on {spec.node}: rc={spec.rc}")
        return exitcodes.CRM_EX_OK
    if event == "node-up":
        for node in facade.nodes_up(cluster, targets, TOOL):
            io.out(f"Node {node} is online")
    elif event == "node-down":
        for node in facade.nodes_leave(cluster, targets, TOOL):
            io.out(f"Node {node} is offline")
    else:
        for node in targets:
            blocked = facade.node_fail(cluster, node, TOOL)
            io.out(f"Node {node} failed")
            for reason in blocked:
                io.err(f"{TOOL}: warning: recovery blocked: {reason}")
    return exitcodes.CRM_EX_OK


_INIT_OPTIONS = {"--name": "name", "--stack": "stack", "--version": "version"}


def _init(directory: Path, args: list[str], io: ToolIO) -> int:
    """``init [--name N] [--stack S] [--version V] NODE...``: create the cluster in ``directory``."""
    options: dict[str, str] = {}
    nodes: list[str] = []
    words = iter(args)
    for word in words:
        if word in _INIT_OPTIONS:
            value = next(words, None)
            if value is None:
                io.err(f"{TOOL}: init: {word} needs a value")
                return exitcodes.CRM_EX_USAGE
            options[_INIT_OPTIONS[word]] = value
        elif word.startswith("-"):
            io.err(f"{TOOL}: init: unknown option {word} (options: {' '.join(_INIT_OPTIONS)})")
            return exitcodes.CRM_EX_USAGE
        else:
            nodes.append(word)
    facade.init_cluster(directory, name=options.get("name", "crmsh_py"), nodes=nodes or ["srv01", "srv02"],
                       stack=options.get("stack", "corosync"), version=options.get("version"))
    io.out(f"Cluster created in {directory} with nodes {' '.join(nodes or ['srv01', 'srv02'])}")
    return exitcodes.CRM_EX_OK


def _add_node(directory: Path, args: list[str], io: ToolIO) -> int:
    """``add-node NODE``: a new node joins the existing cluster (online at once)."""
    if len(args) != 1:
        io.err(f"{TOOL}: usage: crm_engine add-node NODE")
        return exitcodes.CRM_EX_USAGE
    cluster = facade.open_cluster({k: v for k, v in io.env.items() if k != "CIB_file"}, directory,
                                      create=False)
    if not isinstance(cluster, facade.BundledCluster):
        io.err(f"{TOOL}: add-node needs the bundled cluster")
        return exitcodes.CRM_EX_DISCONNECT
    node = facade.add_node(cluster, args[0])
    io.out(f"Node {node.name} (id {node.id}) added")
    return exitcodes.CRM_EX_OK


def _repair(directory: Path, args: list[str], io: ToolIO) -> int:
    """``repair``: restore a broken ``cib.xml``/``cluster.yaml`` (:mod:`crmsh_py.engine.repair`)."""
    if args:
        io.err(f"{TOOL}: repair takes no arguments")
        return exitcodes.CRM_EX_USAGE
    for line in facade.repair(directory):
        io.out(line)
    return exitcodes.CRM_EX_OK


def _run_daemon(args: list[str], io: ToolIO) -> int:
    if len(args) != 2 or args[0] != "--cluster":
        io.err(f"{TOOL}: usage: crm_engine run-daemon --cluster DIR")
        return exitcodes.CRM_EX_USAGE
    return facade.run_daemon(Path(args[1]), io.env)


COMMANDS: dict[str, Callable[[facade.BundledCluster, list[str], ToolIO], int]] = {
    "start": _start, "stop": _stop, "status": _status, "inject": _inject,
}


#: commands that work on the cluster directory itself (it may not hold a readable cluster yet)
DIRECTORY_COMMANDS: dict[str, Callable[[Path, list[str], ToolIO], int]] = {
    "add-node": _add_node, "repair": _repair,
}


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
