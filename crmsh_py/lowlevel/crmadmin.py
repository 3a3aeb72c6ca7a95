"""``crmadmin``: ask the (bundled) controller who is DC, which nodes exist, a node's state.

``-D`` → ``Designated Controller is: srv02``; ``-N`` → ``cluster node: srv01 (UUID)`` per node
(``-B``: ``export srv01=UUID``); ``-S NODE`` → ``Controller on srv01 in state S_NOT_DC: ok``
(the DC is in ``S_IDLE``); ``-q`` prints only the essential value.  With ``CIB_file`` only
``-N`` works (it reads the CIB), as with Pacemaker.
"""

from __future__ import annotations

from crmsh_py.cib import remote_xml
from crmsh_py.engine import facade
from crmsh_py.invocation import log_invocation
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, UsageError, help_or_version, parse_options
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "crmadmin"
SPEC = [
    Opt("S", "status", arg=True), Opt("P", "pacemakerd"), Opt("D", "dc_lookup"),
    Opt("N", "nodes", arg=True, optional_arg=True), Opt("t", "timeout", arg=True), Opt("B", "bash-export"),
    Opt("i", "ipc-name", arg=True), Opt("$", "version"), Opt("V", "verbose"), Opt("q", "quiet"),
    Opt("h", "help"), Opt(None, "help-all", dest="help"), Opt(None, "output-as", arg=True),
]
COMMANDS = ["status", "pacemakerd", "dc_lookup", "nodes"]
USAGE = """Usage:
  crmadmin [OPTION?]

query and manage the Pacemaker controller

Commands:
  -S, --status=NODE          Display the status of the specified node.
  -P, --pacemakerd           Display the status of local pacemakerd.
  -D, --dc_lookup            Display the uname of the node co-ordinating the cluster.
  -N, --nodes=TYPE           Display the uname of all member nodes

Additional Options:
  -t, --timeout=TIMESPEC     Time to wait before declaring the operation failed
  -B, --bash-export          Display nodes as shell commands of the form 'export uname=uuid'
  -q, --quiet                Display only the essential query information
"""


def run(args: list[str], io: ToolIO) -> int:
    """Run ``crmadmin`` with ``args`` (without the program name)."""
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
        io.err(f"{TOOL}: Command option is required")
        return exitcodes.CRM_EX_USAGE
    quiet = opts.has("quiet")
    cluster = facade.open_cluster(io.env, notice=io.stderr)
    snap = cluster.read()
    if command == "nodes":
        # -N [TYPE]: cluster, guest, remote (comma-separated) or all; remote and guest nodes come
        # from the resources that define them, each with its name as id
        wanted = (opts.get("nodes") or "").replace("all", "")
        listed = [("cluster", node.name, node.uuid) for node in snap.definition.nodes]
        listed += [(kind, name, name) for kind, name in remote_xml.configured_remote_nodes(snap.root)]
        for kind, name, ident in listed:
            if wanted and kind not in wanted:
                continue
            if opts.has("bash-export"):
                io.out(f"export {name}={ident}")
            else:
                io.out(name if quiet else f"{kind} node: {name} ({ident})")
        return exitcodes.CRM_EX_OK
    if cluster.offline:
        io.err("error: Could not connect to controller: Connection refused")
        io.err("error: Command failed: Connection refused")
        return exitcodes.CRM_EX_DISCONNECT
    status = snap.status
    if command == "dc_lookup":
        if status.dc is None:
            io.err("error: Command failed: No DC elected")
            return exitcodes.CRM_EX_UNAVAILABLE
        io.out(status.dc if quiet else f"Designated Controller is: {status.dc}")
    elif command == "pacemakerd":
        io.out("running" if quiet else "Status of pacemakerd: Pacemaker is running")
    else:
        name = opts.get("status") or ""
        node = status.nodes.get(name)
        if node is None or not node.online:
            io.err(f"error: Command failed: {'No such node' if node is None else 'Node is not running'}")
            return exitcodes.CRM_EX_NOSUCH if node is None else exitcodes.CRM_EX_UNAVAILABLE
        state = "S_IDLE" if name == status.dc else "S_NOT_DC"
        io.out(state if quiet else f"Controller on {name} in state {state}: ok")
    return exitcodes.CRM_EX_OK


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)
