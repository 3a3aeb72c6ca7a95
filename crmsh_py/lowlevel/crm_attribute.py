"""``crm_attribute``: query and change cluster options and node attributes (Pacemaker 2.1 syntax).

Scope: ``-t crm_config|rsc_defaults|op_defaults|nodes|status``; without ``-t``, ``-N``/``-l``
select a node attribute (``-l reboot`` → transient, in the status section; ``forever`` or no
lifetime → permanent, in the configuration), otherwise a cluster option.  ``-p RSC`` is the
promotion score ``master-RSC`` (transient by default), ``-z`` a node utilization attribute.
Output text as Pacemaker prints it: ``scope=nodes  name=standby value=on``.
"""

from __future__ import annotations

import socket
from crmsh_py import xmltree as ET

from crmsh_py.invocation import log_invocation
from crmsh_py.engine.facade import Cluster, open_cluster
from crmsh_py.lowlevel import attrs, exitcodes
from crmsh_py.lowlevel.options import Opt, UsageError, help_or_version, parse_options
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TOOL = "crm_attribute"
SPEC = [
    Opt("n", "name", arg=True), Opt("i", "id", arg=True), Opt("P", "pattern", arg=True),
    Opt("p", "promotion", arg=True, optional_arg=True), Opt("s", "set-name", arg=True),
    Opt("D", "delete"), Opt(None, "delete-attr", dest="delete"),
    Opt("G", "query"), Opt(None, "get-value", dest="query"),
    Opt("v", "update", arg=True), Opt(None, "attr-value", arg=True, dest="update"),
    Opt("d", "default", arg=True), Opt("l", "lifetime", arg=True), Opt("N", "node", arg=True),
    Opt("U", "uname", arg=True, dest="node"), Opt("t", "type", arg=True), Opt(None, "section", arg=True, dest="type"),
    Opt("z", "utilization"), Opt("$", "version"), Opt("V", "verbose"), Opt("q", "quiet"),
    Opt("Q", None, dest="quiet"), Opt("h", "help"), Opt(None, "help-all", dest="help"),
    Opt(None, "output-as", arg=True), Opt(None, "output-to", arg=True),
]
USAGE = """Usage:
  crm_attribute [OPTION?]

crm_attribute - query and update Pacemaker cluster options and node attributes

Commands:
  -D, --delete                 Delete the attribute/option
  -G, --query                  Query the current value of the attribute/option.
  -v, --update=VALUE           Update the value of the attribute/option

Selecting attributes:
  -n, --name=NAME              Operate on attribute or option with this name
  -p, --promotion=RESOURCE     Operate on node attribute used as promotion score for specified resource
  -s, --set-name=NAME          (Advanced) Operate on instance of specified attribute that is
                               within set with this XML ID
  -i, --id=XML_ID              (Advanced) Operate on instance of specified attribute with this XML ID

Additional options:
  -d, --default=VALUE          (Advanced) Default value to display if none is found in configuration
  -l, --lifetime=LIFETIME      Lifetime of the node attribute. Valid values: reboot, forever
  -N, --node=NODE              Set a node attribute for named node (instead of a cluster option).
  -t, --type=SECTION           Which part of the configuration to update/delete/query the option in.
                               Valid values: crm_config, rsc_defaults, op_defaults, nodes, status
  -z, --utilization            Set an utilization attribute for the node.
  -q, --quiet                  Print only the value on stdout
"""
_DELETED_WORD = {"crm_config": "option", "rsc_defaults": "option", "op_defaults": "option",
                 "nodes": "attribute", "status": "attribute", "utilization": "attribute"}
_LIFETIMES = {"reboot": "status", "forever": "nodes", "permanent": "nodes"}


def _shown(scope: str) -> str:
    """The scope as Pacemaker 2.1.5 prints it: utilization attributes say ``nodes``."""
    return "nodes" if scope == "utilization" else scope


class _Failure(Exception):
    """A Pacemaker-style failure: message (without the tool prefix) and exit code."""

    def __init__(self, text: str, code: int) -> None:
        super().__init__(text)
        self.text, self.code = text, code


def run(args: list[str], io: ToolIO) -> int:
    """Run ``crm_attribute`` with ``args`` (without the program name)."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    return execute(args, io)


def execute(args: list[str], io: ToolIO) -> int:
    """``crm_attribute`` without logging the invocation (for crm_standby/crm_failcount, which log
    their own command line)."""
    try:
        opts = parse_options(TOOL, args, SPEC)
    except UsageError as err:
        return err.report(io)
    answered = help_or_version(opts, io, USAGE)
    if answered is not None:
        return answered
    try:
        return _act(opts, io)
    except _Failure as failure:
        io.err(f"{TOOL}: {failure.text}")
        return failure.code


def _act(opts, io: ToolIO) -> int:  # type: ignore[no-untyped-def]
    cluster = open_cluster(io.env, notice=io.stderr)
    name = opts.get("name")
    lifetime = opts.get("lifetime")
    if opts.has("promotion"):
        rsc = opts.get("promotion") or io.env.get("OCF_RESOURCE_INSTANCE", "")
        if not rsc:
            raise _Failure("Error performing operation: Invalid argument", exitcodes.CRM_EX_USAGE)
        name = f"master-{rsc.split(':', 1)[0]}"
        lifetime = lifetime or "reboot"
    target = _target(cluster, opts.get("type"), opts.get("node"), lifetime, opts.has("utilization"),
                     opts.get("set-name"))
    command = opts.first_of(["query", "update", "delete"]) or "query"
    if command == "query":
        return _query(cluster, target, name, opts, io)
    if not name:
        raise _Failure("Error performing operation: Invalid argument", exitcodes.CRM_EX_USAGE)
    if command == "update":
        value = opts.get("update", "") or ""
        with cluster.mutate(TOOL) as snap:
            attrs.update(snap.root, snap.definition, target, name, value, opts.get("id"))
        return exitcodes.CRM_EX_OK
    with cluster.mutate(TOOL) as snap:
        removed = attrs.delete(snap.root, target, name)
    for nv_id in removed:
        io.out(f"Deleted {_shown(target.scope)} {_DELETED_WORD[target.scope]}: id={nv_id} name={name}")
    return exitcodes.CRM_EX_OK


def _target(cluster: Cluster, scope: str | None, node: str | None, lifetime: str | None,
            utilization: bool, set_id: str | None) -> attrs.Target:
    if lifetime is not None and lifetime not in _LIFETIMES:
        raise _Failure("Error performing operation: No message of desired type", exitcodes.CRM_EX_PROTOCOL)
    if utilization:
        scope = "utilization"
    elif scope is None:
        if node is not None or lifetime is not None:
            scope = _LIFETIMES[lifetime or "forever"]
        else:
            scope = "crm_config"
    elif scope == "nodes" and lifetime == "reboot":
        scope = "status"
    if scope == "tickets":
        raise _Failure("Error performing operation: Operation not supported", exitcodes.CRM_EX_UNIMPLEMENT_FEATURE)
    if scope not in attrs.SCOPES:
        raise _Failure(f"Error performing operation: invalid type {scope!r} "
                       "(use crm_config, rsc_defaults, op_defaults, nodes or status)", exitcodes.CRM_EX_USAGE)
    if scope in ("nodes", "status", "utilization"):
        node_name = node or cluster.local_node() or socket.gethostname().split(".")[0]
        snap = cluster.read()
        node_def = snap.definition.node(node_name)
        uuid = node_def.uuid if node_def else _status_uuid(snap.root, node_name)
        if uuid is None:
            raise _Failure(f"Could not map name={node_name} to a UUID", exitcodes.CRM_EX_NOSUCH)
        return attrs.Target(scope, node_name, uuid, set_id)
    return attrs.Target(scope, None, None, set_id)


def _status_uuid(root: ET.Element, name: str) -> str | None:
    for state in root.iter("node_state"):
        if state.get("uname") == name:
            return state.get("id")
    return None


def _query(cluster: Cluster, target: attrs.Target, name: str | None, opts, io: ToolIO) -> int:  # type: ignore[no-untyped-def]
    snap = cluster.read()
    found = attrs.query(snap.root, target, name)
    if opts.get("id"):
        found = [f for f in found if f[0] == opts.get("id")]
    if not found:
        default = opts.get("default")
        if default is None or name is None:
            raise _Failure("Error performing operation: No such device or address", exitcodes.CRM_EX_NOSUCH)
        found = [("", name, default)]
    for _nv_id, attr_name, value in found:
        io.out(value if opts.has("quiet") else f"scope={_shown(target.scope)}  name={attr_name} value={value}")
    return exitcodes.CRM_EX_OK


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)
