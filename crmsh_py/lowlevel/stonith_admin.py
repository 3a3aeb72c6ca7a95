"""``stonith_admin``: fencing devices and fencing of the bundled cluster's (simulated) nodes."""

from __future__ import annotations

import os
import time

from crmsh_py.invocation import log_invocation
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.options import Opt, Parsed, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

TOOL = "stonith_admin"
SPEC = [Opt("L", "list-registered"), Opt("I", "list-installed"), Opt("M", "metadata"),
        Opt("a", "agent", arg=True), Opt("F", "fence", arg=True), Opt("B", "reboot", arg=True),
        Opt("U", "unfence", arg=True), Opt("C", "confirm", arg=True), Opt("H", "history", arg=True),
        Opt("l", "list", arg=True), Opt("Q", "query", arg=True), Opt("V", "verbose"), Opt("q", "quiet"),
        Opt(None, "cleanup"), Opt(None, "broadcast"), Opt("t", "timeout", arg=True), Opt("T", "tag", arg=True)]
COMMANDS = ["list-registered", "list-installed", "metadata", "fence", "reboot", "unfence", "confirm",
            "history", "list", "query"]


def _count(n: int) -> str:
    return f"{n} fence device{'s' if n != 1 else ''} found"


def _cluster(io: ToolIO):  # type: ignore[no-untyped-def]
    from crmsh_py.engine import facade

    return facade.open_cluster(io.env, notice=io.stderr)


def _devices(io: ToolIO) -> list[tuple[str, str, dict[str, str]]]:
    """(id, plugin, params) of every configured stonith primitive."""
    from crmsh_py.engine import facade

    cfg = _cluster(io).read().configuration
    out = []
    for dev in facade.stonith_devices(cfg):
        spec = facade.resource_spec(cfg, dev)
        if spec is not None:
            out.append((dev, spec.agent.ra_type, dict(spec.params)))
    return out


def list_registered(p: Parsed, io: ToolIO) -> int:
    """``-L``: the configured fence devices."""
    devices = _devices(io)
    for dev, _plugin, _params in devices:
        io.out(f" {dev}")
    io.out(_count(len(devices)))
    return exitcodes.CRM_EX_OK


def list_installed(p: Parsed, io: ToolIO) -> int:
    """``-I``: the fence agents/plugins installed."""
    from crmsh_py.agents import catalog

    agents = catalog.list_agents("stonith", None, io.env)
    for name in agents:
        io.out(f" {name}")
    io.out(_count(len(agents)))
    return exitcodes.CRM_EX_OK


def metadata(p: Parsed, io: ToolIO) -> int:
    """``-M -a AGENT``: the agent's meta-data XML."""
    from crmsh_py.agents import stonith

    agent = p.get("agent")
    if not agent:
        raise UsageError(TOOL, "Please specify an agent to query using -a,--agent [value]")
    text = stonith.plugin_metadata(agent)
    if text is None:
        io.err(f"{TOOL}: Can't get fence agent meta-data: No such device")
        return exitcodes.CRM_EX_NOSUCH
    io.out(text.rstrip("\n"))
    return exitcodes.CRM_EX_OK


def list_targets(p: Parsed, io: ToolIO) -> int:
    """``-l NODE``: devices able to fence the node."""
    from crmsh_py.agents import stonith

    node = p.get("list") or ""
    able = [dev for dev, plugin, params in _devices(io) if stonith.can_fence(plugin, params, node)]
    for dev in able:
        io.out(f" {dev}")
    io.out(_count(len(able)))
    return exitcodes.CRM_EX_OK


def _known_node(io: ToolIO, node: str) -> bool:
    root = _cluster(io).read().root
    return any((n.get("uname") or n.get("id")) == node for n in root.findall("configuration/nodes/node"))


def _fence(action: str, key: str) -> Callable[[Parsed, ToolIO], int]:
    def handler(p: Parsed, io: ToolIO) -> int:
        from crmsh_py.engine import facade

        node = p.get(key) or ""
        cluster = _cluster(io)
        if not _known_node(io, node) or cluster.offline:
            io.err("Command failed: No such device")
            return exitcodes.CRM_EX_NOSUCH
        if facade.fence(cluster, node, action, TOOL):
            return exitcodes.CRM_EX_OK
        io.err("Command failed: No such device")
        return exitcodes.CRM_EX_ERROR
    return handler


def confirm(p: Parsed, io: ToolIO) -> int:
    """``-C NODE``: the admin says the node is down: forget what it ran, mark it offline."""
    from crmsh_py.engine import facade

    node = p.get("confirm") or ""
    cluster = _cluster(io)
    if not _known_node(io, node):
        io.err("Command failed: No such device")
        return exitcodes.CRM_EX_NOSUCH
    with cluster.mutate(TOOL) as snap:
        facade.clear_node_history(snap.root, snap.definition, node)
        facade.set_state(snap.root, snap.definition, node, "offline", origin=TOOL)
        facade.record_fencing(cluster, {
            "target": node, "action": "off", "device": "manual", "delegate": cluster.local_node() or "",
            "origin": f"{TOOL}.{os.getpid()}", "status": "success", "completed": int(time.time()),
            "reason": "manual confirmation"})
    return exitcodes.CRM_EX_OK


def history(p: Parsed, io: ToolIO) -> int:
    """``-H NODE|*``: the fencing history, newest first."""
    from crmsh_py.engine import facade

    target = p.get("history") or "*"
    entries = [e for e in facade.fencing_history(_cluster(io)) if target == "*" or e.get("target") == target]
    for e in reversed(entries):
        when = time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(int(e.get("completed", 0))))
        when = when[:-2] + ":" + when[-2:]
        if e.get("status") == "success":
            io.out(f"{e.get('action')} of {e.get('target')} successful: delegate={e.get('delegate')}, "
                   f"client={e.get('origin')}, origin={e.get('delegate')}, completed='{when}'")
        else:
            io.out(f"{e.get('action')} of {e.get('target')} failed: delegate={e.get('delegate')}, "
                   f"client={e.get('origin')}, origin={e.get('delegate')}, last-failed='{when}'")
    return exitcodes.CRM_EX_OK


HANDLERS: dict[str, Callable[[Parsed, ToolIO], int]] = {
    "list-registered": list_registered, "list-installed": list_installed, "metadata": metadata,
    "list": list_targets, "query": list_targets, "fence": _fence("off", "fence"),
    "reboot": _fence("reboot", "reboot"), "unfence": _fence("on", "unfence"), "confirm": confirm,
    "history": history,
}


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    log_invocation(TOOL, [TOOL, *args], io.env)
    try:
        p = parse_options(TOOL, args, SPEC)
        answered = help_or_version(p, io, lambda: usage_from_spec(TOOL, SPEC, "access the Pacemaker fencing API"))
        if answered is not None:
            return answered
        command = p.first_of(COMMANDS)
        if command is None or p.positional:
            raise UsageError(TOOL, "Please specify a command (use --help for the list)")
        if command == "query":
            p.order.append(("list", p.get("query")))
        return HANDLERS[command](p, io)
    except UsageError as error:
        return error.report(io)


def main() -> int:
    """Console script."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
