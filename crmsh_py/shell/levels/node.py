"""The node level: standby/online, maintenance, fencing and node attributes via ``crm_attribute``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.shell.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

NODE_OPT = Arg("node", "node", optional=True)
_LIFETIMES = ("forever", "reboot")


def local_node(session: "Session") -> str:
    """The node this shell runs on (``crm_node -n``)."""
    name = session.check(Cmd("crm_node").flag("-n")).stdout.strip()
    if not name:
        raise CommandError("cannot tell the local node's name; give a node name")
    return name


def _node_and_lifetime(session: "Session", args: list[str], usage: str) -> tuple[str, str]:
    """``[NODE] [forever|reboot]`` in either order of presence."""
    node = lifetime = None
    for word in args:
        if word in _LIFETIMES and lifetime is None:
            lifetime = word
        elif node is None:
            node = word
        else:
            raise CommandError(f"usage: {usage}")
    return node or local_node(session), lifetime or "forever"


def _node_attr(node: str, name: str, lifetime: str = "forever") -> Cmd:
    """``crm_attribute`` addressed at a node attribute (permanent, or until reboot)."""
    cmd = Cmd("crm_attribute")
    if lifetime == "reboot":
        cmd.opt("-N", node).flag("-n", name).flag("-l", "reboot")
    else:
        cmd.flag("-t", "nodes").opt("-N", node).flag("-n", name)
    return cmd


def _standby_like(name: str, value: str, with_lifetime: bool) -> Callable[["Session", Call], None]:
    usage = f"{{cmd}} [NODE]{' [forever|reboot]' if with_lifetime else ''}"

    def handler(session: "Session", call: Call) -> None:
        if with_lifetime:
            node, lifetime = _node_and_lifetime(session, call.args, usage.format(cmd=call.name))
        else:
            if len(call.args) > 1:
                raise CommandError(f"usage: {usage.format(cmd=call.name)}")
            node, lifetime = (call.args[0] if call.args else local_node(session)), "forever"
        session.quiet(_node_attr(node, name, lifetime).flag("-v", value))

    return handler


def do_online(session: "Session", call: Call) -> None:
    """Clear standby, both the permanent and the until-reboot kind (``-v off``)."""
    if len(call.args) > 1:
        raise CommandError("usage: online [NODE]")
    node = call.args[0] if call.args else local_node(session)
    session.quiet(_node_attr(node, "standby").flag("-v", "off"))


def do_show(session: "Session", call: Call) -> None:
    """The nodes the cluster knows, optionally only some: cluster members (``crm_node -l``), then
    the Pacemaker Remote and guest nodes the resources define (``crmadmin -N remote,guest``:
    ``remote node: r1 (r1)``), which ``crm_node -l`` does not list."""
    result = session.check(Cmd("crm_node").flag("-l"))
    wanted = set(call.args)
    for line in result.stdout.splitlines():
        words = line.split()
        if not wanted or (len(words) > 1 and words[1] in wanted):
            session.write(line)
    extra = session.run(Cmd("crmadmin").flag("-N", "remote,guest"))
    for line in extra.stdout.splitlines() if extra.rc == 0 else []:
        words = line.split()
        if len(words) > 2 and (not wanted or words[2] in wanted):
            session.write(line)


def do_fence(session: "Session", call: Call) -> None:
    """Fence (power-cycle) a node with ``stonith_admin --reboot``; asks first unless -F."""
    if len(call.args) != 1:
        raise CommandError("usage: fence NODE")
    node = call.args[0]
    if not session.confirm(f"Fencing {node} will shut down the node and migrate any resources that are "
                           "running on it! Do you want to fence it?"):
        return
    session.passthrough(Cmd("stonith_admin").long("--reboot", node))


def do_clearstate(session: "Session", call: Call) -> None:
    """Forget a node's resource history so it is re-probed (``crm_resource -C -N NODE``)."""
    if len(call.args) != 1:
        raise CommandError("usage: clearstate NODE")
    if not session.confirm(f"Do you really want to drop state for node {call.args[0]}?"):
        return
    session.passthrough(Cmd("crm_resource").flag("-C").opt("-N", call.args[0]))


# attribute kind → crm_attribute flags that select where it lives
_ATTR_KIND: dict[str, tuple[str, ...]] = {
    "attribute": ("-t", "nodes"),
    "utilization": ("-t", "nodes", "-z"),
    "status-attr": ("-l", "reboot"),
}


def _attribute(kind: str) -> Callable[["Session", Call], None]:
    """``attribute|utilization|status-attr NODE set|delete|show NAME [VALUE]``."""
    usage = f"{kind} NODE set|delete|show NAME [VALUE]"

    def handler(session: "Session", call: Call) -> None:
        if len(call.args) < 3:
            raise CommandError(f"usage: {usage}")
        node, action, name = call.args[:3]
        cmd = Cmd("crm_attribute").flag(*_ATTR_KIND[kind]).opt("-N", node).opt("-n", name)
        if action == "set" and len(call.args) == 4:
            cmd.opt("-v", call.args[3])
        elif action == "delete" and len(call.args) == 3:
            cmd.flag("-D")
        elif action == "show" and len(call.args) == 3:
            cmd.flag("-G")
        else:
            raise CommandError(f"usage: {usage}")
        session.passthrough(cmd)

    return handler


SET_DEL_SHOW = Arg("action", "choice", choices=("set", "delete", "show"))
_ATTR_ARGS = (Arg("node", "node"), SET_DEL_SHOW, Arg("name"), Arg("value", optional=True))

LEVEL = Level(
    name="node",
    help="Node management: standby and online, maintenance, fencing, node attributes.",
    commands=[
        CommandSpec("show", "Show the cluster's nodes (`crm_node -l`, then remote and guest nodes)",
                    usage="show [NODE ...]",
                    handler=do_show, aliases=("list",), args=(Arg("node", "node", optional=True, repeat=True),),
                    examples=("show", "show srv01")),
        CommandSpec("standby", "Put a node in standby (it runs no resources)\n\nWithout a node: the "
                    "local node.  `reboot` lasts until the node restarts; `forever` (default) until "
                    "`online`.", usage="standby [NODE] [forever|reboot]",
                    handler=_standby_like("standby", "on", with_lifetime=True),
                    args=(NODE_OPT, Arg("lifetime", "choice", optional=True, choices=_LIFETIMES)),
                    examples=("standby srv01", "standby srv01 reboot")),
        CommandSpec("online", "Bring a node out of standby", usage="online [NODE]", handler=do_online,
                    args=(NODE_OPT,), examples=("online srv01",)),
        CommandSpec("maintenance", "Put a node in maintenance mode (resources unmanaged there)",
                    usage="maintenance [NODE]", handler=_standby_like("maintenance", "on", with_lifetime=False),
                    args=(NODE_OPT,), examples=("maintenance srv02",)),
        CommandSpec("ready", "Take a node out of maintenance mode", usage="ready [NODE]",
                    handler=_standby_like("maintenance", "off", with_lifetime=False), args=(NODE_OPT,),
                    examples=("ready srv02",)),
        CommandSpec("fence", "Fence a node (`stonith_admin --reboot`)", usage="fence NODE", handler=do_fence,
                    args=(Arg("node", "node"),), examples=("fence srv02",)),
        CommandSpec("clearstate", "Forget a node's resource state so it is re-probed", usage="clearstate NODE",
                    handler=do_clearstate, args=(Arg("node", "node"),), examples=("clearstate srv02",)),
        CommandSpec("attribute", "Manage a node's permanent attributes", handler=_attribute("attribute"),
                    usage="attribute NODE set|delete|show NAME [VALUE]", args=_ATTR_ARGS,
                    examples=("attribute srv01 set rack 1", "attribute srv01 show rack")),
        CommandSpec("utilization", "Manage a node's utilization attributes", handler=_attribute("utilization"),
                    usage="utilization NODE set|delete|show NAME [VALUE]", args=_ATTR_ARGS,
                    examples=("utilization srv01 set cpu 4",)),
        CommandSpec("status-attr", "Manage a node's transient (status section) attributes",
                    handler=_attribute("status-attr"), usage="status-attr NODE set|delete|show NAME [VALUE]",
                    args=_ATTR_ARGS, examples=("status-attr srv01 set ping 1",)),
    ],
)
