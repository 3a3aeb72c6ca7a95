"""``crm_standby``: query or set a node's standby mode (Pacemaker's wrapper around crm_attribute).

Without ``-l``: a query looks at the permanent attribute first, then the transient one (default
``off``); an update is permanent; a delete removes both.  The node defaults to the local node.
"""

from __future__ import annotations

import socket

from crmsh_py.invocation import log_invocation
from crmsh_py.engine.facade import open_cluster
from crmsh_py.lowlevel import crm_attribute, exitcodes
from crmsh_py.lowlevel.options import VERSION_LINE, Opt, UsageError, parse_options
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "crm_standby"
SPEC = [
    Opt("V", "verbose"), Opt("q", "quiet"), Opt("Q", None, dest="quiet"), Opt("G", "query"),
    Opt(None, "get-value", dest="query"), Opt("v", "update", arg=True), Opt(None, "attr-value", arg=True, dest="update"),
    Opt("D", "delete"), Opt(None, "delete-attr", dest="delete"), Opt("N", "node", arg=True),
    Opt("U", "uname", arg=True, dest="node"), Opt("l", "lifetime", arg=True), Opt("i", "id", arg=True),
    Opt(None, "attr-id", arg=True, dest="id"), Opt(None, "help"), Opt(None, "version"),
]
USAGE = """Usage: crm_standby <command> [options]

Common options:
 --help                 Display this text, then exit
 --version              Display version information, then exit
 -V, --verbose          Specify multiple times to increase debug output
 -q, --quiet            Print only the standby status (if querying)

Commands:
 -G, --query            Query the current value of standby mode (on/off)
 -v, --update=VALUE     Update the value of standby mode (on/off)
 -D, --delete           Let standby mode use default value

Additional Options:
 -N, --node=NODE        Operate on the named node instead of the current one
 -l, --lifetime=VALUE   Until when should the setting take effect
                        (valid values: reboot, forever)
 -i, --id=VALUE         (Advanced) XML ID used to identify standby attribute"""


def run(args: list[str], io: ToolIO) -> int:
    """Run ``crm_standby`` with ``args`` (without the program name)."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        opts = parse_options(TOOL, args, SPEC)
    except UsageError as err:
        io.err(f"error: {err.text}")
        io.out()
        io.out(USAGE)
        return exitcodes.CRM_EX_ERROR  # the Pacemaker script exits 1 on bad usage
    if opts.has("help"):
        io.out("crm_standby - Query, enable, or disable standby mode for a node\n\n"
               "Nodes in standby mode may not host cluster resources.\n\n" + USAGE + "\n")
        return exitcodes.CRM_EX_OK
    if opts.has("version"):
        io.out(VERSION_LINE)
        return exitcodes.CRM_EX_OK
    target = opts.get("node") or open_cluster(io.env, notice=io.stderr).local_node() \
        or socket.gethostname().split(".")[0]
    base = ["-N", target, "-n", "standby"]
    if opts.has("quiet"):
        base.append("-q")
    if opts.get("id"):
        base += ["--id", opts.get("id") or ""]
    command = opts.first_of(["query", "update", "delete"]) or "query"
    lifetime = opts.get("lifetime")
    if command == "update":
        base += ["--update", opts.get("update") or ""]
    else:
        base.append("--query" if command == "query" else "--delete")
    if lifetime is not None:
        return crm_attribute.execute(base + ["--lifetime", lifetime], io)
    if command == "update":
        return crm_attribute.execute(base + ["-l", "forever"], io)
    if command == "delete":
        crm_attribute.execute(base + ["-l", "forever"], io)
        crm_attribute.execute(base + ["-l", "reboot"], io)
        return exitcodes.CRM_EX_OK
    silent = ToolIO.captured(io.env)
    if crm_attribute.execute(base + ["-l", "forever"], silent) == exitcodes.CRM_EX_OK:
        return crm_attribute.execute(base + ["-l", "forever"], io)
    return crm_attribute.execute(base + ["-l", "reboot", "-d", "off"], io)


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)
