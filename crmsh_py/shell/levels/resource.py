"""The resource level.  Every command is one or two ``crm_resource``/``crm_failcount`` calls."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.shell.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

RSC = Arg("resource", "resource")
NODE_OPT = Arg("node", "node", optional=True)
# ISO 8601 durations (crmsh's test for "this word is a lifetime, not a node")
_LIFETIME = re.compile(r"^P(?:\d+[YMWD])*(?:T(?:\d+[HMS])+)?$")


def _need(call: Call, count: int, usage: str) -> list[str]:
    if len(call.args) < count:
        raise CommandError(f"usage: {usage}")
    return call.args


def _rsc(call: Call, usage: str) -> str:
    return _need(call, 1, usage)[0]


def _set_meta(session: "Session", rsc: str, name: str, value: str) -> None:
    session.quiet(Cmd("crm_resource").flag("--meta").opt("-r", rsc).flag("-p", name, "-v", value))


def _all_exist(session: "Session", names: list[str]) -> list[str]:
    """``names`` when every one is a resource of the CIB; otherwise CommandError before anything
    changed (a command on several resources must not stop half-way)."""
    if len(names) < 2:
        return names  # one resource: crm_resource itself refuses an unknown one, changing nothing
    import xml.etree.ElementTree as ET

    out = session.check(Cmd("cibadmin").flag("-Q", "-o", "resources")).stdout
    try:
        known = {e.get("id") for e in ET.fromstring(out).iter() if e.get("id")}
    except ET.ParseError:
        raise CommandError("cibadmin returned a resources section that is not XML") from None
    missing = [n for n in names if n not in known]
    if missing:
        raise CommandError(f"resource {', '.join(missing)} does not exist; nothing was changed")
    return names


# ---------------------------------------------------------------------- status and placement


def do_status(session: "Session", call: Call) -> None:
    """All resources (``crm_resource --list``) or where some run (``--locate``)."""
    if not call.args:
        session.passthrough(Cmd("crm_resource").flag("--list"))
        return
    for rsc in call.args:
        session.passthrough(Cmd("crm_resource").flag("--locate").opt("-r", rsc))


def _placement(flag: str, usage: str) -> Callable[["Session", Call], None]:
    """move/ban: ``RSC [NODE] [LIFETIME] [force]`` → ``crm_resource FLAG -r R --node=N ...``."""

    def handler(session: "Session", call: Call) -> None:
        words = _need(call, 1, usage)
        cmd = Cmd("crm_resource").flag(flag).opt("-r", words[0])
        node = lifetime = None
        force = False
        for word in words[1:]:
            if word == "force":
                force = True
            elif _LIFETIME.match(word) and lifetime is None:
                lifetime = word
            elif node is None:
                node = word
            else:
                raise CommandError(f"usage: {usage}")
        if node is not None:
            cmd.long("--node", node)
        if lifetime is not None:
            cmd.long("--lifetime", lifetime)
        if force:
            cmd.flag("--force")
        session.quiet(cmd)

    return handler


def do_clear(session: "Session", call: Call) -> None:
    """Remove move/ban constraints: ``crm_resource -U -r R [--node=N]``."""
    words = _need(call, 1, "clear RSC [NODE]")
    cmd = Cmd("crm_resource").flag("-U").opt("-r", words[0])
    if len(words) > 1:
        cmd.long("--node", words[1])
    session.quiet(cmd)


def _cleanup_like(flag: str) -> Callable[["Session", Call], None]:
    """cleanup/refresh ``[RSC] [NODE]`` → ``crm_resource -C|-R [-r R] [-N NODE]``."""

    def handler(session: "Session", call: Call) -> None:
        cmd = Cmd("crm_resource").flag(flag)
        if call.args:
            cmd.opt("-r", call.args[0])
        if len(call.args) > 1:
            cmd.opt("-N", call.args[1])
        session.passthrough(cmd)

    return handler


def _meta_setter(name: str, value: str) -> Callable[["Session", Call], None]:
    def handler(session: "Session", call: Call) -> None:
        for rsc in _all_exist(session, _need(call, 1, f"{call.name} RSC ...")):
            _set_meta(session, rsc, name, value)

    return handler


def do_restart(session: "Session", call: Call) -> None:
    """Stop them all, wait until the cluster has settled (bounded, with progress), start them all:
    crmsh's order, so a real cluster never sees the start before the stop has happened."""
    from crmsh_py.shell.settle_wait import wait_for_settle

    names = _all_exist(session, _need(call, 1, "restart RSC ..."))
    session.info(f"ordering {', '.join(names)} to stop")
    for rsc in names:
        _set_meta(session, rsc, "target-role", "Stopped")
    wait_for_settle(session, "stop")
    session.info(f"ordering {', '.join(names)} to start")
    for rsc in names:
        _set_meta(session, rsc, "target-role", "Started")


def do_maintenance(session: "Session", call: Call) -> None:
    """``maintenance RSC [on|off]`` → meta maintenance=true|false."""
    words = _need(call, 1, "maintenance RSC [on|off]")
    state = words[1] if len(words) > 1 else "on"
    if state not in ("on", "off", "true", "false"):
        raise CommandError("usage: maintenance RSC [on|off]")
    _set_meta(session, words[0], "maintenance", "true" if state in ("on", "true") else "false")


# ---------------------------------------------------------------------- attribute commands

_ATTR_SCOPE: dict[str, tuple[str, ...]] = {"param": (), "meta": ("--meta",), "utilization": ("--utilization",)}


def _attribute(kind: str) -> Callable[["Session", Call], None]:
    """``param|meta|utilization RSC set|delete|show NAME [VALUE]``."""
    usage = f"{kind} RSC set|delete|show NAME [VALUE]"

    def handler(session: "Session", call: Call) -> None:
        words = _need(call, 3, usage)
        rsc, action, name = words[:3]
        cmd = Cmd("crm_resource").flag(*_ATTR_SCOPE[kind]).opt("-r", rsc)
        if action == "set":
            if len(words) != 4:
                raise CommandError(f"usage: {usage}")
            cmd.opt("-p", name).opt("-v", words[3])
        elif action == "delete":
            cmd.opt("-d", name)
        elif action == "show":
            session.passthrough(cmd.opt("-g", name))
            return
        else:
            raise CommandError(f"usage: {usage}")
        session.quiet(cmd)

    return handler


def do_failcount(session: "Session", call: Call) -> None:
    """``failcount RSC set|delete|show NODE [VALUE]`` → ``crm_failcount``."""
    usage = "failcount RSC set|delete|show NODE [VALUE]"
    words = _need(call, 3, usage)
    rsc, action, node = words[:3]
    cmd = Cmd("crm_failcount")
    if action == "show":
        cmd.flag("-G")
    elif action == "delete":
        cmd.flag("-D")
    elif action == "set":
        if len(words) != 4:
            raise CommandError(f"usage: {usage}")
        if words[3] == "0":
            cmd.flag("-D")  # Pacemaker 2 can only clear fail counts; 0 means clear
        else:
            cmd.opt("-v", words[3])
    else:
        raise CommandError(f"usage: {usage}")
    cmd.opt("-r", rsc).opt("-N", node)
    session.passthrough(cmd)


def _simple(flag: str, usage: str, rsc_required: bool = True) -> Callable[["Session", Call], None]:
    """``crm_resource FLAG [-r R] [-N NODE]`` for locate/constraints/operations."""

    def handler(session: "Session", call: Call) -> None:
        if rsc_required:
            _need(call, 1, usage)
        cmd = Cmd("crm_resource").flag(flag)
        if call.args:
            cmd.opt("-r", call.args[0])
        if len(call.args) > 1:
            cmd.opt("-N", call.args[1])
        session.passthrough(cmd)

    return handler


def do_scores(session: "Session", call: Call) -> None:
    """Allocation scores of the live cluster (``crm_simulate -sL``)."""
    session.passthrough(Cmd("crm_simulate").flag("-sL"))


SET_DEL_SHOW = Arg("action", "choice", choices=("set", "delete", "show"))

LEVEL = Level(
    name="resource",
    help="Resource management: start and stop resources, move them, clean up failures, and change "
         "their parameters and meta attributes.",
    commands=[
        CommandSpec("status", "Show resources\n\nWithout arguments all resources (`crm_resource --list`); "
                    "with ids, where each one runs.", usage="status [RSC ...]", handler=do_status,
                    aliases=("show", "list"), args=(Arg("resource", "resource", optional=True, repeat=True),),
                    examples=("status", "status dummy")),
        CommandSpec("start", "Start resources (target-role=Started)", usage="start RSC ...",
                    handler=_meta_setter("target-role", "Started"),
                    args=(Arg("resource", "resource-stopped", repeat=True),), examples=("start dummy",)),
        CommandSpec("stop", "Stop resources (target-role=Stopped)", usage="stop RSC ...",
                    handler=_meta_setter("target-role", "Stopped"),
                    args=(Arg("resource", "resource-running", repeat=True),), examples=("stop dummy",)),
        CommandSpec("restart", "Restart resources (stop, then start)", usage="restart RSC ...",
                    handler=do_restart, args=(Arg("resource", "resource-running", repeat=True),),
                    examples=("restart dummy",)),
        CommandSpec("move", "Move a resource to another node\n\nAdds a location constraint "
                    "(`cli-prefer-RSC`) with `crm_resource -M`.  Without a node the resource moves away "
                    "from where it runs.  LIFETIME is an ISO 8601 duration (PT1H); `force` moves even "
                    "when the resource cannot run there by other rules.",
                    usage="move RSC [NODE] [LIFETIME] [force]", aliases=("migrate",),
                    handler=_placement("-M", "move RSC [NODE] [LIFETIME] [force]"),
                    args=(RSC, NODE_OPT, Arg("option", "choice", optional=True, choices=("force",))),
                    examples=("move dummy srv02", "move dummy srv02 PT1H force")),
        CommandSpec("ban", "Keep a resource off a node (`crm_resource -B`, constraint cli-ban-RSC-on-NODE)",
                    usage="ban RSC [NODE] [LIFETIME] [force]",
                    handler=_placement("-B", "ban RSC [NODE] [LIFETIME] [force]"),
                    args=(RSC, NODE_OPT, Arg("option", "choice", optional=True, choices=("force",))),
                    examples=("ban dummy srv01",)),
        CommandSpec("clear", "Remove the constraints move/ban added (`crm_resource -U`)",
                    usage="clear RSC [NODE]", aliases=("unmove", "unmigrate", "unban"), handler=do_clear,
                    args=(RSC, NODE_OPT), examples=("unmove dummy", "clear dummy srv01")),
        CommandSpec("cleanup", "Forget failures and re-probe (`crm_resource -C`)",
                    usage="cleanup [RSC] [NODE]", handler=_cleanup_like("-C"),
                    args=(Arg("resource", "resource", optional=True), NODE_OPT),
                    examples=("cleanup", "cleanup dummy srv01")),
        CommandSpec("refresh", "Re-detect resource state (`crm_resource -R`)", usage="refresh [RSC] [NODE]",
                    handler=_cleanup_like("-R"), args=(Arg("resource", "resource", optional=True), NODE_OPT),
                    examples=("refresh dummy",)),
        CommandSpec("failcount", "Show, set or delete a resource's fail count on a node (`crm_failcount`)",
                    usage="failcount RSC set|delete|show NODE [VALUE]", handler=do_failcount,
                    args=(RSC, SET_DEL_SHOW, Arg("node", "node"), Arg("value", optional=True)),
                    examples=("failcount dummy show srv01", "failcount dummy delete srv01")),
        CommandSpec("param", "Manage a resource's instance attributes", handler=_attribute("param"),
                    usage="param RSC set|delete|show NAME [VALUE]",
                    args=(RSC, SET_DEL_SHOW, Arg("name"), Arg("value", optional=True)),
                    examples=("param dummy set fake 2", "param dummy show fake")),
        CommandSpec("meta", "Manage a resource's meta attributes", handler=_attribute("meta"),
                    usage="meta RSC set|delete|show NAME [VALUE]",
                    args=(RSC, SET_DEL_SHOW, Arg("name"), Arg("value", optional=True)),
                    examples=("meta dummy set resource-stickiness 100",)),
        CommandSpec("utilization", "Manage a resource's utilization attributes", handler=_attribute("utilization"),
                    usage="utilization RSC set|delete|show NAME [VALUE]",
                    args=(RSC, SET_DEL_SHOW, Arg("name"), Arg("value", optional=True)),
                    examples=("utilization dummy set cpu 2",)),
        CommandSpec("manage", "Put resources back under cluster control (is-managed=true)",
                    usage="manage RSC ...", handler=_meta_setter("is-managed", "true"),
                    args=(Arg("resource", "resource", repeat=True),), examples=("manage dummy",)),
        CommandSpec("unmanage", "Take resources out of cluster control (is-managed=false)",
                    usage="unmanage RSC ...", handler=_meta_setter("is-managed", "false"),
                    args=(Arg("resource", "resource", repeat=True),), examples=("unmanage dummy",)),
        CommandSpec("maintenance", "Put a resource in (or out of) maintenance mode",
                    usage="maintenance RSC [on|off]", handler=do_maintenance,
                    args=(RSC, Arg("state", "choice", optional=True, choices=("on", "off"))),
                    examples=("maintenance dummy", "maintenance dummy off")),
        CommandSpec("promote", "Promote a promotable clone (target-role=Promoted)", usage="promote RSC",
                    handler=_meta_setter("target-role", "Promoted"), args=(RSC,), examples=("promote ms1",)),
        CommandSpec("demote", "Demote a promotable clone (target-role=Unpromoted)", usage="demote RSC",
                    handler=_meta_setter("target-role", "Unpromoted"), args=(RSC,), examples=("demote ms1",)),
        CommandSpec("locate", "Show where a resource runs (`crm_resource --locate`)", usage="locate RSC",
                    handler=_simple("--locate", "locate RSC"), args=(RSC,), examples=("locate dummy",)),
        CommandSpec("constraints", "Show the constraints that apply to a resource",
                    usage="constraints RSC", handler=_simple("--constraints", "constraints RSC"), args=(RSC,),
                    examples=("constraints dummy",)),
        CommandSpec("operations", "Show the operation history (`crm_resource --list-operations`)",
                    usage="operations [RSC] [NODE]",
                    handler=_simple("--list-operations", "operations [RSC] [NODE]", rsc_required=False),
                    args=(Arg("resource", "resource", optional=True), NODE_OPT),
                    examples=("operations", "operations dummy srv01")),
        CommandSpec("scores", "Show allocation scores (`crm_simulate -sL`)", usage="scores",
                    handler=do_scores, examples=("scores",)),
    ],
)
