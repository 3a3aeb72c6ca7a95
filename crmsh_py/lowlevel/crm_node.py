"""``crm_node``: low-level node information of the bundled cluster (Pacemaker 2.1 options).

``-l`` lists ``ID NAME STATE`` (state ``member`` or ``lost``), ``-p`` the members of the partition
on one line, ``-q`` 1/0 for quorum, ``-n`` the local node's name, ``-i`` its id, ``-N ID`` the name
of node ID, ``-R NAME`` removes a node.  The "local node" of the bundled cluster is the first node
of ``cluster.yaml`` (the tools run "on" it).  With ``CIB_file`` there is no controller, as with
Pacemaker: ``error: Could not connect to controller: Connection refused`` and exit 102.
"""

from __future__ import annotations

from crmsh_py.engine import facade
from crmsh_py.invocation import log_invocation
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, UsageError, help_or_version, parse_options
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "crm_node"
SPEC = [
    Opt("i", "cluster-id"), Opt("l", "list"), Opt("n", "name"), Opt("p", "partition"), Opt("q", "quorum"),
    Opt("N", "name-for-id", arg=True), Opt("R", "remove", arg=True), Opt("f", "force"),
    Opt("$", "version"), Opt("V", "verbose"), Opt("Q", "quiet"), Opt("h", "help"),
    Opt(None, "help-all", dest="help"),
]
COMMANDS = ["cluster-id", "list", "name", "partition", "quorum", "name-for-id", "remove"]
USAGE = """Usage:
  crm_node [OPTION?]

crm_node - Tool for displaying low-level node information

Commands:
  -i, --cluster-id         Display this node's cluster id
  -l, --list               Display all known members (past and present) of this cluster
  -n, --name               Display the name used by the cluster for this node
  -p, --partition          Display the members of this partition
  -q, --quorum             Display a 1 if our partition has quorum, 0 if not
  -N, --name-for-id=ID     Display the name used by the cluster for the node with the specified ID
  -R, --remove=NAME        (Advanced) Remove the (stopped) node with the specified name
"""


def run(args: list[str], io: ToolIO) -> int:
    """Run ``crm_node`` with ``args`` (without the program name)."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        opts = parse_options(TOOL, args, SPEC)
    except UsageError as err:
        return err.report(io)
    answered = help_or_version(opts, io, USAGE)
    if answered is not None:
        return answered
    command = opts.first_of(COMMANDS)
    if command is None:
        io.err(f"{TOOL}: No command specified")
        return exitcodes.CRM_EX_USAGE
    cluster = facade.open_cluster(io.env, notice=io.stderr)
    if cluster.offline:
        io.err("error: Could not connect to controller: Connection refused")
        return exitcodes.CRM_EX_DISCONNECT
    if command == "remove":
        return _remove(cluster, opts.get("remove") or "", io)
    snap = cluster.read()
    status = snap.status
    definition = snap.definition
    local = definition.node(cluster.local_node() or "")
    if command == "cluster-id":
        io.out(str(local.id) if local else "0")
    elif command == "name":
        io.out(local.name if local else "")
    elif command == "name-for-id":
        wanted = opts.get("name-for-id") or ""
        node = next((n for n in definition.nodes if str(n.id) == wanted or n.uuid == wanted), None)
        if node is None:
            io.err(f"{TOOL}: Node id {wanted} not found")
            return exitcodes.CRM_EX_NOSUCH
        io.out(node.name)
    elif command == "quorum":
        io.out("1" if status.have_quorum else "0")
    elif command == "partition":
        io.out(" ".join(n for n, s in status.nodes.items() if s.online))
    else:  # list
        for node in definition.nodes:
            state = status.nodes.get(node.name)
            io.out(f"{node.id} {node.name} {'member' if state is not None and state.online else 'lost'}")
    return exitcodes.CRM_EX_OK


def _remove(cluster: facade.Cluster, name: str, io: ToolIO) -> int:
    if not isinstance(cluster, facade.BundledCluster):
        io.err("error: Could not connect to controller: Connection refused")
        return exitcodes.CRM_EX_DISCONNECT
    state = cluster.read().status.nodes.get(name)
    if state is None:
        io.err(f"{TOOL}: Node {name} not found")
        return exitcodes.CRM_EX_NOSUCH
    if state.online:
        io.err(f"{TOOL}: Node {name} is still active: stop it before removing it")
        return exitcodes.CRM_EX_UNSAFE
    facade.remove_node(cluster, name)
    return exitcodes.CRM_EX_OK


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)
