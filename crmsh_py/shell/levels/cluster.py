"""The cluster level: the bundled cluster's life cycle and running commands on its nodes.

Every command changes the cluster through a low-level tool run by the backend: ``status``,
``remove`` and the node list through ``crmadmin``/``crm_node``; ``init``, ``add`` and ``repair``,
which create or mend the cluster's definition files (Pacemaker has no low-level tool for that),
through the bundled cluster's own ``crm_engine init``/``add-node``/``repair``.  ``run`` is not a cluster command: on the bundled cluster every
node is simulated on this machine, so it runs once per node as a local process with
``CRM_NODE=<node>`` in its environment and the node's state directory as working directory; on a
real cluster it runs on each node over SSH.  Either way the backend runs it: this level starts no
process and opens no connection of its own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

def _bundled_only(session: "Session", what: str) -> None:
    if session.backend_kind != "bundled":
        raise CommandError(f"cluster {what} works on the bundled cluster only (this session uses "
                           f"the {session.backend_kind} backend)")


def node_names(session: "Session") -> list[str]:
    """Node names: ``crm_node -l`` (``ID NAME STATE`` lines) on the bundled cluster; the CIB's
    ``<nodes>`` section on Pacemaker, whose ``crm_node -l`` needs a running controller."""
    if session.backend_kind == "pacemaker":
        from crmsh_py import xmltree as ET

        out = session.check(Cmd("cibadmin").flag("-Q", "-o", "nodes")).stdout
        try:
            return [n.get("uname") or n.get("id") or "" for n in ET.fromstring(out).iter("node")]
        except ET.ParseError:
            raise CommandError("cibadmin returned a nodes section that is not XML") from None
    out = session.check(Cmd("crm_node").flag("-l")).stdout
    return [line.split()[1] for line in out.splitlines() if len(line.split()) > 1]


_INIT_OPTIONS = ("--name", "--nodes", "--stack", "--version", "--remote-nodes")


def parse_init_args(args: list[str]) -> dict[str, object]:
    """``[--name N] [--nodes a,b] [--stack S] [--version V] [--remote-nodes r1,r2] [NODE ...]`` →
    init_cluster keywords (plus ``remote_nodes``, which ``do_init`` adds as connections).

    Options take ``--opt VALUE`` or ``--opt=VALUE``; bare words are node names (added to --nodes).
    """
    found: dict[str, str] = {}
    nodes: list[str] = []
    words = list(args)
    while words:
        word = words.pop(0)
        name, eq, value = word.partition("=")
        if name in _INIT_OPTIONS:
            if not eq:
                if not words:
                    raise CommandError(f"init: {name} needs a value")
                value = words.pop(0)
            found[name] = value
        elif word.startswith("-"):
            raise CommandError(f"init: unknown option {word} (options: {' '.join(_INIT_OPTIONS)})")
        else:
            nodes.append(word)
    if "--nodes" in found:
        nodes = [n for n in found["--nodes"].split(",") if n] + nodes
    kwargs: dict[str, object] = {"nodes": nodes or ["srv01", "srv02"]}
    for option, key in (("--name", "name"), ("--stack", "stack"), ("--version", "version")):
        if option in found:
            kwargs[key] = found[option]
    remote = [n for n in found.get("--remote-nodes", "").split(",") if n]
    if remote:
        check_remote_names(remote, kwargs["nodes"])  # type: ignore[arg-type]
        kwargs["remote_nodes"] = remote
    return kwargs


_NODE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def check_remote_names(remote: list[str], cluster: list[str]) -> None:
    """Remote node names must be usable as resource ids and differ from the cluster nodes."""
    for name in remote:
        if not _NODE_NAME.match(name):
            raise CommandError(f"init: remote node name {name!r} is not a valid id "
                               "(letters, digits, '.', '-', '_'; not starting with a digit)")
        if name in cluster:
            raise CommandError(f"init: remote node {name!r} is already a cluster node")
    duplicates = sorted({n for n in remote if remote.count(n) > 1})
    if duplicates:
        raise CommandError(f"init: remote node {duplicates[0]!r} is given twice")


def remote_connection_xml(name: str) -> str:
    """The ``ocf:pacemaker:remote`` connection that makes ``name`` a Pacemaker Remote node."""
    return (f'<primitive id="{name}" class="ocf" provider="pacemaker" type="remote">'
            f'<instance_attributes id="{name}-instance_attributes">'
            f'<nvpair id="{name}-instance_attributes-server" name="server" value="{name}"/>'
            f'</instance_attributes><operations>'
            f'<op id="{name}-monitor-30s" name="monitor" interval="30s" timeout="30s"/>'
            f'</operations></primitive>')


def do_init(session: "Session", call: Call) -> None:
    """``init [--name N] [--nodes a,b] [--stack S] [--version V] [NODE ...]``: create the bundled
    cluster (default nodes srv01 srv02; ``--stack Heartbeat --version 1.0.11`` gives crm_mon's 1.0
    layout of the reference demo)."""
    _bundled_only(session, "init")
    kwargs = parse_init_args(list(call.args))
    remote: list[str] = kwargs.pop("remote_nodes", [])  # type: ignore[assignment]
    cmd = Cmd("crm_engine").flag("init")
    for key in ("name", "stack", "version"):
        if key in kwargs:
            cmd.opt(f"--{key}", str(kwargs[key]))
    names: list[str] = kwargs["nodes"]  # type: ignore[assignment]
    _engine(session, _with_words(cmd, names))
    nodes = " ".join(names)
    session.info(f"cluster created in {session.cluster_dir} with nodes {nodes}")
    for name in remote:  # each remote node is a connection resource, added like any resource
        session.check(Cmd("cibadmin").flag("-C", "-o", "resources", "-X", remote_connection_xml(name)))
    if remote:
        session.info(f"remote nodes {' '.join(remote)} connected through ocf:pacemaker:remote resources")


def _engine(session: "Session", cmd: Cmd) -> RunResult:
    """Run one of the bundled cluster's own ``crm_engine`` commands; its complaint becomes our
    ``ERROR:`` line as it is (the shell and the tool are one program here: no ``crm_engine:``)."""
    result = session.run(cmd)
    if result.rc != 0:
        lines = result.stderr.strip().splitlines()
        raise CommandError("\n".join(line.removeprefix(f"{cmd.tool}: ") for line in lines)
                           or f"{cmd.tool} failed with exit code {result.rc}")
    return result


def do_status(session: "Session", call: Call) -> None:
    """Bundled: the engine daemon, the nodes and the DC (``crm_engine status``, which exits 7 when
    the daemon is stopped: that is information, not an error).  Pacemaker: ``crmadmin -D``."""
    if session.backend_kind == "pacemaker":
        session.passthrough(Cmd("crmadmin").flag("-D"))
        return
    result = session.run(Cmd("crm_engine").flag("status"))
    session.out.write(result.stdout)
    if result.rc not in (0, 7):
        raise CommandError(result.stderr.strip() or f"crm_engine status failed ({result.rc})")


def do_add(session: "Session", call: Call) -> None:
    """``add NODE``: a new simulated node joins the bundled cluster."""
    _bundled_only(session, "add")
    if len(call.args) != 1:
        raise CommandError("usage: add NODE")
    _engine(session, Cmd("crm_engine").flag("add-node").arg(call.args[0]))
    session.info(f"node {call.args[0]} added")


def do_remove(session: "Session", call: Call) -> None:
    """``remove NODE``: forget a node (``crm_node --force -R NODE``)."""
    if len(call.args) != 1:
        raise CommandError("usage: remove NODE")
    if not session.confirm(f"Remove node {call.args[0]} from the cluster?"):
        return
    session.passthrough(Cmd("crm_node").flag("--force").opt("-R", call.args[0]))


def do_start(session: "Session", call: Call) -> None:
    """``start [NODE ...]``: start the engine daemon and bring the nodes online (``crm_engine start``)."""
    _bundled_only(session, "start")
    session.passthrough(_with_words(Cmd("crm_engine").flag("start"), call.args))


def do_stop(session: "Session", call: Call) -> None:
    """``stop [NODE ...]``: take nodes offline; the daemon stops with the last (``crm_engine stop``)."""
    _bundled_only(session, "stop")
    session.passthrough(_with_words(Cmd("crm_engine").flag("stop"), call.args))


_INJECT_KINDS = ("node-up", "node-down", "node-fail", "op")


def do_inject(session: "Session", call: Call) -> None:
    """``inject node-up|node-down|node-fail NODE ...`` or ``inject op RSC_TASK_INTERVALMS@NODE=RC``."""
    _bundled_only(session, "inject")
    if len(call.args) < 2 or call.args[0] not in _INJECT_KINDS:
        raise CommandError("usage: inject node-up|node-down|node-fail NODE ... | inject op RSC_TASK_INTERVALMS@NODE=RC")
    session.passthrough(_with_words(Cmd("crm_engine").flag("inject", call.args[0]), call.args[1:]))


def _with_words(cmd: Cmd, words: list[str]) -> Cmd:
    """``cmd`` with each user word added as a (quoted under -R) positional argument."""
    for word in words:
        cmd.arg(word)
    return cmd


def do_repair(session: "Session", call: Call) -> None:
    """Restore a broken ``cib.xml``/``cluster.yaml`` of the bundled cluster (see crmsh_py.engine.repair)."""
    _bundled_only(session, "repair")
    if call.args:
        raise CommandError("usage: repair")
    for line in _engine(session, Cmd("crm_engine").flag("repair")).stdout.splitlines():
        session.info(line)


def do_run(session: "Session", call: Call) -> None:
    """``run CMD [NODE ...]``: run a shell command on every node (or the named ones) in parallel.

    Bundled cluster: one local process per simulated node (``CRM_NODE`` set, the node's state dir as
    working directory).  Real cluster (pacemaker backend): over SSH to each node, with the user, port
    and key of ``-H``/the ``ssh-*`` options.  Each node's output is printed under its name with its
    exit status; the command fails when any node failed.
    """
    from crmsh_py.backends.remote_run import format_runs

    if not call.args:
        raise CommandError("usage: run COMMAND [NODE ...]")
    command, wanted = call.args[0], list(call.args[1:])
    known = node_names(session)
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise CommandError(f"run: unknown node {' '.join(unknown)} (nodes: {' '.join(known)})")
    runs = session.backend.run_on_nodes(wanted or known, command, dict(session.options))
    session.out.write(format_runs(runs))
    failed = [run.node for run in runs if not run.ok]
    if failed:
        raise CommandError(f"the command failed on {' '.join(failed)}")


LEVEL = Level(
    name="cluster",
    help="The cluster itself.  On the bundled cluster: create it, add and remove simulated nodes, "
         "start the engine daemon, and run a command on every node.",
    commands=[
        CommandSpec("init", "Create the bundled cluster\n\nMakes a cluster directory (cluster.yaml, cib.xml, "
                    "node state dirs, ha-log) with every node online. --stack Heartbeat with a 1.0 --version "
                    "selects crm_mon's Pacemaker 1.0 layout.",
                    usage="init [--name NAME] [--nodes N1,N2,...] [--stack STACK] [--version V] "
                          "[--remote-nodes R1,R2,...] [NODE ...]",
                    handler=do_init,
                    examples=("init", "init --nodes alpha,beta,gamma", "init --remote-nodes r1,r2",
                              "init --name demo --stack Heartbeat --version 1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87")),
        CommandSpec("start", "Start the engine daemon and bring nodes online\n\nThe daemon runs the "
                    "recurring operations (op monitor interval=...) at their intervals, notices failures and "
                    "recovers, expires failure-timeout and brings fenced nodes back. Starting twice is "
                    "harmless.", usage="start [NODE ...]", handler=do_start,
                    args=(Arg("node", "node", optional=True, repeat=True),), examples=("start", "start srv01")),
        CommandSpec("stop", "Take nodes offline; the daemon stops with the last one\n\nResources on a "
                    "stopping node move away first. Without nodes: all of them.", usage="stop [NODE ...]",
                    handler=do_stop, args=(Arg("node", "node", optional=True, repeat=True),),
                    examples=("stop", "stop srv02")),
        CommandSpec("status", "Show the engine daemon, the nodes and the DC", usage="status",
                    handler=do_status, examples=("status",)),
        CommandSpec("inject", "Inject a failure (crm_simulate's vocabulary)\n\nnode-up, node-down (clean "
                    "leave) and node-fail (lost: unclean, fenced when stonith-enabled) take node names; op "
                    "records an operation result RSC_TASK_INTERVALMS@NODE=RC as if the agent had returned "
                    "it, then the cluster reacts.",
                    usage="inject node-up|node-down|node-fail NODE ... | inject op RSC_TASK_INTERVALMS@NODE=RC",
                    handler=do_inject,
                    args=(Arg("kind", "choice", choices=_INJECT_KINDS), Arg("node", "node", repeat=True)),
                    examples=("inject node-fail srv02", "inject op dummy_monitor_10000@srv01=7")),
        CommandSpec("add", "Add a simulated node", usage="add NODE", handler=do_add, args=(Arg("node"),),
                    examples=("add srv03",)),
        CommandSpec("remove", "Remove a node from the cluster", usage="remove NODE", handler=do_remove,
                    args=(Arg("node", "node"),), examples=("remove srv03",)),
        CommandSpec("repair", "Repair a broken cluster directory\n\nWhen cib.xml or cluster.yaml cannot be "
                    "read: cib.xml is restored from cib.xml.last-good (the previous version, kept at every "
                    "write) or, without one, recreated with the nodes and an empty configuration; "
                    "cluster.yaml is rebuilt from the CIB's nodes.  Broken files are kept as NAME.broken.  "
                    "Each step is reported.", usage="repair", handler=do_repair, examples=("repair",)),
        CommandSpec("run", "Run a shell command on every node, in parallel\n\nEach node's output is "
                    "printed under its name with its exit status. On the bundled cluster the command runs "
                    "locally once per simulated node, with CRM_NODE=<node> and the node's state directory "
                    "as working directory; on a real cluster (--backend pacemaker) it runs on each node "
                    "over SSH.", usage="run \"COMMAND\" [NODE ...]", handler=do_run,
                    args=(Arg("command"), Arg("node", "node", optional=True, repeat=True)),
                    examples=("run hostname", "run 'ls $HA_RSCTMP' srv01")),
    ],
)
