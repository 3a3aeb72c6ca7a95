"""The node level: standby/online, maintenance, fencing and node attributes via ``crm_attribute``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.cibedit import edit_configuration, read_cib
from crmsh_py.shell.levels.node_show import do_server, do_show
from crmsh_py.shell.levels.resource_meta import set_node_attr
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.session import Session

NODE_OPT = Arg("node", "node", optional=True)
_LIFETIMES = ("forever", "reboot")
CRM_EX_NOSUCH = 105  # cibadmin -D of something already gone


def local_node(session: "Session") -> str:
    """The node this shell runs on (``crm_node -n``)."""
    name = session.check(Cmd("crm_node").flag("-n")).stdout.strip()
    if not name:
        raise CommandError("cannot tell the local node's name; give a node name")
    return name


def _node(session: "Session", call: Call) -> str:
    """The node the command names, else the local one."""
    return call.value("node") or local_node(session)


def _node_attr(node: str, name: str, lifetime: str = "forever") -> Cmd:
    """``crm_attribute`` addressed at a node attribute (permanent, or until reboot)."""
    cmd = Cmd("crm_attribute")
    if lifetime == "reboot":
        cmd.opt("-N", node).flag("-n", name).flag("-l", "reboot")
    else:
        cmd.flag("-t", "nodes").opt("-N", node).flag("-n", name)
    return cmd


def do_standby(session: "Session", call: Call) -> None:
    """``standby [NODE] [forever|reboot]`` (either order): ``standby=on`` on the node."""
    node = _node(session, call)
    session.quiet(_node_attr(node, "standby", call.value("lifetime") or "forever").flag("-v", "on"))


def do_online(session: "Session", call: Call) -> None:
    """Clear standby, both the permanent and the until-reboot kind (``-v off``)."""
    node = _node(session, call)
    session.quiet(_node_attr(node, "standby").flag("-v", "off"))


def do_maintenance(session: "Session", call: Call) -> None:
    """``maintenance [NODE]``: ``maintenance=true`` on the node as crmsh stores it, after removing
    the same (and the conflicting ``is-managed``) meta attribute from resources that could run
    there, as ``manage-children`` says."""
    node = _node(session, call)
    edit_configuration(session, lambda root: set_node_attr(session, root, node, "maintenance", "true"))


def do_ready(session: "Session", call: Call) -> None:
    """``ready [NODE]``: maintenance off (``crm_attribute ... -v 'off'``, as crmsh)."""
    node = _node(session, call)
    session.quiet(Cmd("crm_attribute").flag("-t", "nodes").opt("-N", node).flag("-n", "maintenance")
                  .opt("-v", "off"))


def do_fence(session: "Session", call: Call) -> None:
    """Fence (power-cycle) a node with ``stonith_admin --reboot``; asks first unless -F."""
    node = _node(session, call)
    if not session.confirm(f"Fencing {node} will shut down the node and migrate any resources that are "
                           f"running on it! Do you want to fence {node}?"):
        return
    session.passthrough(Cmd("stonith_admin").long("--reboot", node))


def do_clearstate(session: "Session", call: Call) -> None:
    """Forget a node's state, as crmsh: an online node has its resources cleaned up
    (``crm_resource --cleanup --node``); a node down for good is confirmed fenced
    (``stonith_admin --confirm``); a node corosync still sees must be shut down first."""
    node = _node(session, call)
    if not session.confirm(f"Do you really want to drop state for node {node}?"):
        return
    state = next((s for s in read_cib(session).findall("status/node_state") if s.get("uname") == node), None)
    if state is not None and state.get("crmd") == "online":
        session.passthrough(Cmd("crm_resource").flag("--cleanup", "--node").arg(node))
    elif state is not None and state.get("in_ccm") == "true":
        raise CommandError(f"Node is offline according to Pacemaker, but online according to corosync. "
                           f"First shut down node '{node}'")
    else:
        session.passthrough(Cmd("stonith_admin").flag("--confirm").arg_shown(node, node))


def do_delete(session: "Session", call: Call) -> None:
    """``delete NODE``: remove a node that has left the cluster, as crmsh does: refuse while
    ``crm_node -p`` lists it (or cannot tell) unless -F; ``crm_node --force -R``; then the
    node's entries in ``<nodes>`` and ``<status>`` (``cibadmin -D``)."""
    node = _node(session, call)
    root = read_cib(session)
    if not any(n.get("uname") == node for n in root.findall("configuration/nodes/node")):
        raise CommandError(f"node {node} not found in the CIB")
    partition = session.run(Cmd("crm_node").flag("-p"))
    session.err.write(partition.stderr)  # as crmsh: the tool's own complaint first
    problem = None
    if not partition.stdout.strip():
        problem = f"crm_node -p could not list any nodes (rc={partition.rc})"
    elif node in partition.stdout.split():
        problem = f"according to crm_node, node {node} is still active"
    if problem is not None:
        if not session.force:
            raise CommandError(problem)
        session.err.write(f"ERROR: {problem}\n")
        session.info(f"proceeding with node {node} removal")
    removed = session.run(Cmd("crm_node").flag("--force", "-R").arg_shown(node, node))
    session.err.write(removed.stderr)
    if removed.rc != 0:
        xpath = f"//nodes/node[@uname='{node}']"
        session.check(Cmd("cibadmin").flag("--delete-all", "--force", "--xpath").arg_shown(xpath, f'"{xpath}"'))
    for cmd in (Cmd("cibadmin").flag("-D", "-o", "nodes", "-X").arg(f'<node uname="{node}"/>'),
                Cmd("cibadmin").flag("-D", "-o", "status", "-X").arg(f'<node_state uname="{node}"/>')):
        if session.run(cmd).rc not in (0, CRM_EX_NOSUCH):
            raise CommandError(f"{node} removed from membership, but not from CIB!")
    session.info(f"node {node} deleted")


# attribute kind → (crm_attribute flags before the action flag, flags after it)
_ATTR_KIND: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "attribute": ((), ("-t", "nodes")),
    "utilization": (("-z",), ("-t", "nodes")),
    "status-attr": ((), ("-t", "status")),
}
_ATTR_ACTION: dict[str, tuple[str, ...]] = {"set": (), "delete": ("-D",), "show": ("-G",)}


def _attribute(kind: str) -> Callable[["Session", Call], None]:
    """``attribute|utilization|status-attr NODE set|delete|show NAME [VALUE]`` → crmsh's
    ``crm_attribute`` lines (``-G``/``-D`` and ``-z`` where crmsh puts them)."""

    def handler(session: "Session", call: Call) -> None:
        node, action, name, value = (call.value(n) for n in ("node", "action", "name", "value"))
        assert node is not None and action is not None and name is not None
        if (action == "set") != (value is not None):  # a value to set, and only then
            raise call.bad_usage()
        before, after = _ATTR_KIND[kind]
        cmd = Cmd("crm_attribute").flag(*before, *_ATTR_ACTION[action], *after).opt("-N", node).opt("-n", name)
        if value is not None:
            cmd.opt("-v", value)
        session.passthrough(cmd, raw_errors=True)  # crmsh shows crm_attribute's complaint as it is

    return handler


SET_DEL_SHOW = Arg("action", "choice", choices=("set", "delete", "show"))
_ATTR_ARGS = (Arg("node", "node"), SET_DEL_SHOW, Arg("name"), Arg("value", optional=True))

LEVEL = Level(
    name="node",
    help="Node management: standby and online, maintenance, fencing, node attributes.",
    commands=[
        CommandSpec("show", "Show nodes as the CIB records them\n\nEach node as `NAME(ID): TYPE` (`NAME: TYPE` "
                    "when the id is the name), `(offline)` when the controller says so, then its other "
                    "attributes and its instance attributes (standby, maintenance, ...).  A node the CIB "
                    "does not know is an error.", usage="show [NODE ...]",
                    handler=do_show, aliases=("list",), args=(Arg("node", "node", optional=True, repeat=True),),
                    parse_args=True,
                    examples=("show", "show srv01")),
        CommandSpec("standby", "Put a node in standby (it runs no resources)\n\nWithout a node: the "
                    "local node.  `reboot` lasts until the node restarts; `forever` (default) until "
                    "`online`.", usage="standby [NODE] [forever|reboot]",
                    handler=do_standby, parse_args=True,
                    args=(NODE_OPT, Arg("lifetime", "choice", optional=True, choices=_LIFETIMES)),
                    examples=("standby srv01", "standby srv01 reboot")),
        CommandSpec("online", "Bring a node out of standby", usage="online [NODE]", handler=do_online,
                    args=(NODE_OPT,), parse_args=True, examples=("online srv01",)),
        CommandSpec("maintenance", "Put a node in maintenance mode (resources unmanaged there)\n\n"
                    "Stores `maintenance=true` in the node's attributes, as crmsh does.  The same meta "
                    "attribute (and a conflicting `is-managed`) on resources is removed first where "
                    "`manage-children` allows (`ask`: only with -F or when answered yes).",
                    usage="maintenance [NODE]", handler=do_maintenance, parse_args=True,
                    args=(NODE_OPT,), examples=("maintenance srv02", "-F node maintenance srv02")),
        CommandSpec("ready", "Take a node out of maintenance mode", usage="ready [NODE]",
                    handler=do_ready, args=(NODE_OPT,), parse_args=True, examples=("ready srv02",)),
        CommandSpec("fence", "Fence a node (`stonith_admin --reboot`)", usage="fence NODE", handler=do_fence,
                    args=(Arg("node", "node"),), parse_args=True, examples=("fence srv02",)),
        CommandSpec("clearstate", "Forget a node's state\n\nAn online node: its resources are cleaned "
                    "up (`crm_resource --cleanup --node`).  A node that is down: it is confirmed fenced "
                    "(`stonith_admin --confirm`), so the cluster stops waiting for it.",
                    usage="clearstate [NODE]", handler=do_clearstate, args=(NODE_OPT,), parse_args=True,
                    examples=("clearstate srv02",)),
        CommandSpec("delete", "Remove a node that has left the cluster\n\nRefused while `crm_node -p` "
                    "lists it (or cannot tell) unless -F.  Removes it from membership (`crm_node -R`) and "
                    "its entries in the CIB's nodes and status sections.", usage="delete NODE",
                    handler=do_delete, args=(Arg("node", "node"),), parse_args=True, examples=("delete srv03",)),
        CommandSpec("server", "Show the address of each node (a remote node's `server` parameter)",
                    usage="server [NODE ...]", handler=do_server, parse_args=True,
                    args=(Arg("node", "node", optional=True, repeat=True),), examples=("server",)),
        CommandSpec("attribute", "Manage a node's permanent attributes", handler=_attribute("attribute"),
                    usage="attribute NODE set|delete|show NAME [VALUE]", args=_ATTR_ARGS, parse_args=True,
                    examples=("attribute srv01 set rack 1", "attribute srv01 show rack")),
        CommandSpec("utilization", "Manage a node's utilization attributes", handler=_attribute("utilization"),
                    usage="utilization NODE set|delete|show NAME [VALUE]", args=_ATTR_ARGS, parse_args=True,
                    examples=("utilization srv01 set cpu 4",)),
        CommandSpec("status-attr", "Manage a node's transient (status section) attributes",
                    handler=_attribute("status-attr"), usage="status-attr NODE set|delete|show NAME [VALUE]",
                    args=_ATTR_ARGS, parse_args=True, examples=("status-attr srv01 set ping 1",)),
    ],
)
