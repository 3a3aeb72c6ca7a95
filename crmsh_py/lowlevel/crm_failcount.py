"""``crm_failcount``: query or clear a resource's fail count on a node (Pacemaker 2.1's script).

``-G`` prints ``scope=status  name=fail-count-dummy value=1`` (the sum of the per-operation
counts ``fail-count-dummy#monitor_10000``..., ``INFINITY`` from 1000000 up; with ``-n OP -I
INTERVAL`` only that operation's count); ``-D`` clears the failures (like ``crm_resource
--cleanup``: fail counts, last-failure times and failed operation history) and lets the cluster
recover, printing ``Cleaned up dummy on srv01``.
"""

from __future__ import annotations

import socket

from crmsh_py.cib.durations import parse_ms
from crmsh_py.cib.scores import INFINITY
from crmsh_py.engine import facade
from crmsh_py.invocation import log_invocation
from crmsh_py.engine.facade import Cluster, open_cluster
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import VERSION_LINE, Opt, UsageError, parse_options
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "crm_failcount"
SPEC = [
    Opt(None, "help"), Opt(None, "version"), Opt("V", "verbose"), Opt("q", "quiet"), Opt("Q", None, dest="quiet"),
    Opt("G", "query"), Opt(None, "get-value", dest="query"), Opt("D", "delete"), Opt(None, "delete-attr", dest="delete"),
    Opt("r", "resource", arg=True), Opt(None, "resource-id", arg=True, dest="resource"),
    Opt("n", "operation", arg=True), Opt("I", "interval", arg=True), Opt("N", "node", arg=True),
    Opt("U", "uname", arg=True, dest="node"), Opt("v", "attr-value", arg=True), Opt("i", "attr-id", arg=True),
    Opt("l", "lifetime", arg=True),
]
USAGE = """Usage: crm_failcount <command> [<options>]
Common options:
 --help                 Display this text, then exit
 --version              Display version information, then exit
 -V, --verbose          Specify multiple times to increase debug output
 -q, --quiet            Print only the value (if querying)

Commands:
 -G, --query            Query the current value of the resource's fail count
 -D, --delete           Delete resource's recorded failures

Additional Options:
 -r, --resource=value   Name of the resource to use (required)
 -n, --operation=value  Name of operation to use (instead of all operations)
 -I, --interval=value   If operation is specified, its interval
 -N, --node=value       Use failcount on named node (instead of local node)"""


def interval_ms(text: str) -> int:
    """The script's interval parsing: ``10``/``10s`` → 10000, ``500ms``, ``2m``, ``1h``, ``10us``,
    ISO 8601 (``PT10S``); else 0 (:func:`crmsh_py.cib.durations.parse_ms`)."""
    return parse_ms(text, micro=True, exact_case=True) or 0


def _usage_error(io: ToolIO, text: str) -> int:
    io.err(f"error: {text}")
    io.out()
    io.out(USAGE)
    return exitcodes.CRM_EX_USAGE


def run(args: list[str], io: ToolIO) -> int:
    """Run ``crm_failcount`` with ``args`` (without the program name)."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        opts = parse_options(TOOL, args, SPEC)
    except UsageError as err:
        return _usage_error(io, err.text)
    if opts.has("help"):
        io.out("crm_failcount - Query or delete resource fail counts\n\n" + USAGE)
        return exitcodes.CRM_EX_OK
    if opts.has("version"):
        io.out(VERSION_LINE)
        return exitcodes.CRM_EX_OK
    command = opts.first_of(["query", "delete"])
    if opts.get("attr-value") == "0":
        command = "delete"
    if command is None:
        return _usage_error(io, "must specify a command")
    rsc = opts.get("resource")
    if not rsc:
        return _usage_error(io, "resource name required")
    cluster = open_cluster(io.env, notice=io.stderr)
    node = opts.get("node") or cluster.local_node() or socket.gethostname().split(".")[0]
    operation = opts.get("operation")
    interval = interval_ms(opts.get("interval") or "0")
    if command == "query":
        return _query(cluster, node, rsc, operation, interval, opts.has("quiet"), io)
    return _clear(cluster, node, rsc, operation, interval, opts.has("quiet"), io)


def _query(cluster: Cluster, node: str, rsc: str, operation: str | None, interval: int, quiet: bool,
           io: ToolIO) -> int:
    snap = cluster.read()
    state = snap.status.nodes.get(node)
    attrs = state.transient_attributes if state is not None else {}
    name = f"fail-count-{rsc}"
    if operation:
        name = f"{name}#{operation}_{interval}"
        count = attrs.get(name, "0")
    else:
        total = 0
        for attr, value in attrs.items():
            if attr.startswith(f"fail-count-{rsc}#"):
                total += INFINITY if value.upper() == "INFINITY" else _int(value)
        count = "INFINITY" if total >= INFINITY else str(total)
    if count == "0" and attrs.get(f"fail-count-{rsc}", "0") != "0":
        name, count = f"fail-count-{rsc}", attrs[f"fail-count-{rsc}"]
    io.out(count if quiet else f"scope=status  name={name} value={count}")
    return exitcodes.CRM_EX_OK


def _clear(cluster: Cluster, node: str, rsc: str, operation: str | None, interval: int, quiet: bool,
           io: ToolIO) -> int:
    snap = cluster.read()
    if snap.status.nodes.get(node) is None:
        io.err(f"Error performing operation: Node {node} not found")
        return exitcodes.CRM_EX_NOSUCH
    with cluster.mutate(TOOL) as snap:
        if operation is None:
            # the whole failure record and history go: the cluster re-probes the resource
            facade.clear_resource_history(snap.root, snap.definition, rsc, node)
        else:
            wanted = f"#{operation}_{interval}"
            for state in snap.root.iter("node_state"):
                if state.get("uname") != node:
                    continue
                for attr in facade.transient_attributes(state):
                    if attr in (f"fail-count-{rsc}{wanted}", f"last-failure-{rsc}{wanted}"):
                        facade.set_transient_attribute(snap.root, snap.definition, node, attr, None)
            facade.clear_resource_history(snap.root, snap.definition, rsc, node, keep_attributes=True)
    if not quiet:
        io.out(f"Cleaned up {rsc} on {node}")
    return exitcodes.CRM_EX_OK


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)
