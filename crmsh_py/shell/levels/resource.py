"""The resource level.  Every command is one or two ``crm_resource``/``crm_failcount`` calls."""

from __future__ import annotations

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py import xmltree as ET

    from crmsh_py.session import Session

RSC = Arg("resource", "resource")
RSCS = Arg("resource", "resource", repeat=True)
NODE_OPT = Arg("node", "node", optional=True)
LIFETIME = Arg("lifetime", "lifetime", optional=True)
FORCE = Arg("force", "keyword", choices=("force",))


def _set_meta(session: "Session", rsc: str, name: str, value: str) -> None:
    session.quiet(Cmd("crm_resource").flag("--meta").opt("-r", rsc).flag("-p", name, "-v", value))


def _all_exist(session: "Session", names: list[str]) -> list[str]:
    """``names`` when every one is a resource of the CIB; otherwise CommandError before anything
    changed (a command on several resources must not stop half-way)."""
    if len(names) < 2:
        return names  # one resource: crm_resource itself refuses an unknown one, changing nothing
    from crmsh_py import xmltree as ET

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
    from crmsh_py.shell import structured

    if structured.wanted(session):
        structured.resource_status(session, call)
        return
    if not call.args:
        session.passthrough(Cmd("crm_resource").flag("--list"))
        return
    for rsc in call.args:
        session.passthrough(Cmd("crm_resource").flag("--locate").opt("-r", rsc))


def _placement(flag: str) -> Callable[["Session", Call], None]:
    """move/ban: ``RSC [NODE] [LIFETIME] [force]`` → ``crm_resource FLAG -r R --node=N ...``."""

    def handler(session: "Session", call: Call) -> None:
        rsc, node, lifetime = call.value("resource"), call.value("node"), call.value("lifetime")
        assert rsc is not None
        cmd = Cmd("crm_resource").flag(flag).opt("-r", rsc)
        if node is not None:
            cmd.long("--node", node)
        if lifetime is not None:
            cmd.long("--lifetime", lifetime)
        if call.value("force"):
            cmd.flag("--force")
        result = session.quiet(cmd)
        # crm_resource's own warning (a ban on the current node, which outlives the move) is on its
        # stdout; crmsh runs it with --quiet and loses it: show it, it is what the user must know
        if result.stdout.strip():
            session.err.write(result.stdout if result.stdout.endswith("\n") else result.stdout + "\n")
        # crmsh's words for what was done and how to undo it
        action = {"-M": "Move", "-B": "Ban"}[flag]
        session.info(f"{action} constraint created for {rsc}" + (f" to {node}" if node else ""))
        session.info(f"Use `crm resource clear {rsc}` to remove this constraint")

    return handler


def do_clear(session: "Session", call: Call) -> None:
    """Remove move/ban constraints: ``crm_resource -U -r R [--node=N]``."""
    rsc, node = call.value("resource"), call.value("node")
    assert rsc is not None
    cmd = Cmd("crm_resource").flag("-U").opt("-r", rsc)
    if node is not None:
        cmd.long("--node", node)
    session.quiet(cmd)
    session.info(f"Removed migration constraints for {rsc}")


def _cleanup_like(action: str) -> Callable[["Session", Call], None]:
    """cleanup/refresh ``[RSC] [NODE] [force]`` → crmsh's ``crm_resource --ACTION [--resource R]
    [--node N] [--force]``."""

    def handler(session: "Session", call: Call) -> None:
        rsc, node = call.value("resource"), call.value("node")
        cmd = Cmd("crm_resource").flag(f"--{action}")
        if rsc is not None:
            cmd.opt_bare("--resource", rsc)  # crmsh shows these two unquoted
        if node is not None:
            cmd.opt_bare("--node", node)
        if call.value("force"):
            cmd.flag("--force")
        session.passthrough(cmd)

    return handler


def _meta_setter(name: str, value: str) -> Callable[["Session", Call], None]:
    def handler(session: "Session", call: Call) -> None:
        for rsc in _all_exist(session, call.values_of("resource")):
            _set_meta(session, rsc, name, value)

    return handler


def do_trace(session: "Session", call: Call) -> None:
    """``trace RSC [OP] [INTERVAL] [DIR]``: set ``trace_ra=1`` on the ops (:mod:`resource_trace`,
    loaded when tracing)."""
    from crmsh_py.shell.levels import resource_trace

    resource_trace.do_trace(session, call)


def do_untrace(session: "Session", call: Call) -> None:
    """``untrace RSC [OP] [INTERVAL]``: drop ``trace_ra`` (:mod:`resource_trace`, loaded when tracing)."""
    from crmsh_py.shell.levels import resource_trace

    resource_trace.do_untrace(session, call)


def set_roles(session: "Session", names: list[str], value: str) -> None:
    """``target-role=VALUE`` on every resource of ``names`` as crmsh's start/stop do: one CIB patch
    (all or nothing), on the clone of a cloned resource, a group's children's own target-role
    removed as ``manage-children`` says, a fresh id where the usual one is taken."""
    # the CIB editing helpers load here: move, unmove, cleanup and the other one-call commands
    # of this level need none of them
    from crmsh_py.shell.cibedit import edit_configuration
    from crmsh_py.shell.levels.resource_meta import set_deep_meta

    def change(root: "ET.Element") -> None:
        for rsc in names:
            set_deep_meta(session, root, rsc, "target-role", value)

    edit_configuration(session, change)


def _role_setter(value: str) -> Callable[["Session", Call], None]:
    """start/stop ``RSC ...``."""

    def handler(session: "Session", call: Call) -> None:
        set_roles(session, call.values_of("resource"), value)

    return handler


def do_restart(session: "Session", call: Call) -> None:
    """Stop them all, wait until the cluster has settled (bounded, with progress), start them all:
    crmsh's order, so a real cluster never sees the start before the stop has happened."""
    from crmsh_py.shell.settle_wait import wait_for_settle

    names = _all_exist(session, call.values_of("resource"))
    session.info(f"ordering {', '.join(names)} to stop")
    set_roles(session, names, "Stopped")
    wait_for_settle(session, "stop")
    session.info(f"ordering {', '.join(names)} to start")
    set_roles(session, names, "Started")


def _deep_meta(session: "Session", rsc: str, name: str, value: str) -> None:
    """Set a meta attribute the crmsh way (see :mod:`resource_meta`): read, edit, patch."""
    from crmsh_py.shell.cibedit import edit_configuration
    from crmsh_py.shell.levels.resource_meta import set_deep_meta

    edit_configuration(session, lambda root: set_deep_meta(session, root, rsc, name, value))


def _deep_setter(name: str, value: str) -> Callable[["Session", Call], None]:
    """manage/unmanage ``RSC``: crmsh's deep meta attribute change."""

    def handler(session: "Session", call: Call) -> None:
        rsc = call.value("resource")
        assert rsc is not None
        _deep_meta(session, rsc, name, value)

    return handler


def do_maintenance(session: "Session", call: Call) -> None:
    """``maintenance RSC [on|off|true|false]`` → meta maintenance=true|false, clearing a
    conflicting ``is-managed`` as crmsh does."""
    words = call.args
    if not words:
        raise call.bad_usage()
    state = words[1].lower() if len(words) > 1 else "true"
    if state not in ("on", "off", "true", "false") or len(words) > 2:
        raise CommandError("Expected <resource> [on|off|true|false]")
    _deep_meta(session, words[0], "maintenance", "true" if state in ("on", "true") else "false")


# ---------------------------------------------------------------------- attribute commands

_ATTR_SCOPE: dict[str, tuple[str, ...]] = {"param": (), "meta": ("--meta",), "utilization": ("--utilization",)}
# action → crm_resource option taking the attribute name
_ATTR_ACTION: dict[str, str] = {"set": "--set-parameter", "delete": "--delete-parameter",
                                "show": "--get-parameter"}


def _attribute(kind: str) -> Callable[["Session", Call], None]:
    """``param|meta|utilization RSC set|delete|show NAME [VALUE]`` → crmsh's ``crm_resource``
    lines (``--resource R --set-parameter N --parameter-value V``)."""

    def handler(session: "Session", call: Call) -> None:
        rsc, action, name, value = (call.value(n) for n in ("resource", "action", "name", "value"))
        assert rsc is not None and action is not None and name is not None
        if (action == "set") != (value is not None):  # a value to set, and only then
            raise call.bad_usage()
        cmd = Cmd("crm_resource").flag(*_ATTR_SCOPE[kind]).opt("--resource", rsc).opt(_ATTR_ACTION[action], name)
        if value is not None:
            cmd.opt("--parameter-value", value)
        session.passthrough(cmd, raw_errors=True)  # crmsh shows crm_resource's complaint as it is

    return handler


# secret action → cibsecret subcommand
_SECRET_ACTION: dict[str, str] = {"set": "set", "stash": "stash", "unstash": "unstash", "delete": "delete",
                                  "show": "get", "check": "check"}


def do_secret(session: "Session", call: Call) -> None:
    """``secret RSC set|stash|unstash|delete|show|check PARAM [VALUE]`` → ``cibsecret``: the value
    lives in a local file on every node, the CIB holds ``lrm://``."""
    rsc, action, name, value = (call.value(n) for n in ("resource", "action", "name", "value"))
    assert rsc is not None and action is not None and name is not None
    if (action == "set") != (value is not None):  # a value to set, and only then
        raise call.bad_usage()
    cmd = Cmd("cibsecret").flag(_SECRET_ACTION[action]).arg(rsc).arg(name)
    if value is not None:
        cmd.arg_shown(value, "*****")  # a secret never reaches the screen or the log
    session.passthrough(cmd)


def do_failcount(session: "Session", call: Call) -> None:
    """``failcount RSC set|delete|show NODE [VALUE]`` → ``crm_failcount``."""
    rsc, action, node, value = (call.value(n) for n in ("resource", "action", "node", "value"))
    assert rsc is not None and node is not None
    cmd = Cmd("crm_failcount")
    if action == "show":
        cmd.flag("-G")
    elif action == "delete":
        cmd.flag("-D")
    elif value is None:  # set needs the value
        raise call.bad_usage()
    elif value == "0":
        cmd.flag("-D")  # Pacemaker 2 can only clear fail counts; 0 means clear
    else:
        cmd.opt("-v", value)
    cmd.opt("-r", rsc).opt("-N", node)
    session.passthrough(cmd)


def do_locate(session: "Session", call: Call) -> None:
    """``locate RSC ...``: where each runs (``crm_resource --resource R --locate``)."""
    from crmsh_py.shell import structured

    if structured.wanted(session):
        structured.locate(session, call)
        return
    for rsc in call.values_of("resource"):
        session.passthrough(Cmd("crm_resource").opt("--resource", rsc).flag("--locate"))


def do_constraints(session: "Session", call: Call) -> None:
    """``constraints RSC``: the constraints that apply (``crm_resource -a -r R``)."""
    rsc = call.value("resource")
    assert rsc is not None
    session.passthrough(Cmd("crm_resource").flag("-a").opt("-r", rsc))


def do_operations(session: "Session", call: Call) -> None:
    """``operations [RSC] [NODE]``: the operation history (``crm_resource -O [-r R [-N N]]``)."""
    rsc, node = call.value("resource"), call.value("node")
    cmd = Cmd("crm_resource").flag("-O")
    if rsc is not None:
        cmd.opt("-r", rsc)
    if node is not None:
        cmd.opt("-N", node)
    session.passthrough(cmd)


def do_scores(session: "Session", call: Call) -> None:
    """Allocation scores of the live cluster (``crm_simulate -sUL``)."""
    from crmsh_py.shell import structured

    if structured.wanted(session):
        structured.scores(session, call)
        return
    session.passthrough(Cmd("crm_simulate").flag("-sUL"))


SET_DEL_SHOW = Arg("action", "choice", choices=("set", "delete", "show"))

LEVEL = Level(
    name="resource",
    help="Resource management: start and stop resources, move them, clean up failures, and change "
         "their parameters and meta attributes.",
    commands=[
        CommandSpec("status", "Show resources\n\nWithout arguments all resources (`crm_resource --list`); "
                    "with ids, where each one runs.", usage="status [RSC ...]", handler=do_status,
                    aliases=("show", "list"), args=(Arg("resource", "resource", optional=True, repeat=True),),
                    parse_args=True,
                    examples=("status", "status dummy")),
        CommandSpec("start", "Start resources (target-role=Started)", usage="start RSC ...",
                    handler=_role_setter("Started"), parse_args=True,
                    args=(Arg("resource", "resource-stopped", repeat=True),), examples=("start dummy",)),
        CommandSpec("stop", "Stop resources (target-role=Stopped)", usage="stop RSC ...",
                    handler=_role_setter("Stopped"), parse_args=True,
                    args=(Arg("resource", "resource-running", repeat=True),), examples=("stop dummy",)),
        CommandSpec("restart", "Restart resources (stop, then start)", usage="restart RSC ...",
                    handler=do_restart, args=(Arg("resource", "resource-running", repeat=True),), parse_args=True,
                    examples=("restart dummy",)),
        CommandSpec("move", "Move a resource to another node\n\nAdds a location constraint "
                    "(`cli-prefer-RSC`) with `crm_resource -M`.  Without a node the resource moves away "
                    "from where it runs.  LIFETIME is an ISO 8601 duration (PT1H); `force` moves even "
                    "when the resource cannot run there by other rules.",
                    usage="move RSC [NODE] [LIFETIME] [force]", aliases=("migrate",),
                    handler=_placement("-M"), parse_args=True,
                    args=(Arg("resource", "resource-running"), NODE_OPT, LIFETIME, FORCE),
                    examples=("move dummy srv02", "move dummy srv02 PT1H force")),
        CommandSpec("ban", "Keep a resource off a node (`crm_resource -B`, constraint cli-ban-RSC-on-NODE)",
                    usage="ban RSC [NODE] [LIFETIME] [force]",
                    handler=_placement("-B"), parse_args=True,
                    args=(RSC, NODE_OPT, LIFETIME, FORCE),
                    examples=("ban dummy srv01",)),
        CommandSpec("clear", "Remove the constraints move/ban added (`crm_resource -U`)",
                    usage="clear RSC [NODE]", aliases=("unmove", "unmigrate", "unban"), handler=do_clear,
                    args=(RSC, NODE_OPT), parse_args=True, examples=("unmove dummy", "clear dummy srv01")),
        CommandSpec("cleanup", "Forget failures and re-probe (`crm_resource -C`)",
                    usage="cleanup [RSC] [NODE] [force]", handler=_cleanup_like("cleanup"), parse_args=True,
                    args=(Arg("resource", "resource", optional=True), NODE_OPT, FORCE),
                    examples=("cleanup", "cleanup dummy srv01")),
        CommandSpec("refresh", "Re-detect resource state (`crm_resource --refresh`)",
                    usage="refresh [RSC] [NODE] [force]", aliases=("reprobe",),
                    handler=_cleanup_like("refresh"), parse_args=True,
                    args=(Arg("resource", "resource", optional=True), NODE_OPT, FORCE),
                    examples=("refresh dummy",)),
        CommandSpec("failcount", "Show, set or delete a resource's fail count on a node (`crm_failcount`)",
                    usage="failcount RSC set|delete|show NODE [VALUE]", handler=do_failcount, parse_args=True,
                    args=(RSC, SET_DEL_SHOW, Arg("node", "node"), Arg("value", optional=True)),
                    examples=("failcount dummy show srv01", "failcount dummy delete srv01")),
        CommandSpec("param", "Manage a resource's instance attributes", handler=_attribute("param"), parse_args=True,
                    usage="param RSC set|delete|show NAME [VALUE]",
                    args=(RSC, SET_DEL_SHOW, Arg("name"), Arg("value", optional=True)),
                    examples=("param dummy set fake 2", "param dummy show fake")),
        CommandSpec("meta", "Manage a resource's meta attributes", handler=_attribute("meta"), parse_args=True,
                    usage="meta RSC set|delete|show NAME [VALUE]",
                    args=(RSC, SET_DEL_SHOW, Arg("name", "meta-name"), Arg("value", "meta-value", optional=True)),
                    examples=("meta dummy set resource-stickiness 100",)),
        CommandSpec("utilization", "Manage a resource's utilization attributes", handler=_attribute("utilization"), parse_args=True,
                    usage="utilization RSC set|delete|show NAME [VALUE]",
                    args=(RSC, SET_DEL_SHOW, Arg("name"), Arg("value", optional=True)),
                    examples=("utilization dummy set cpu 2",)),
        CommandSpec("secret", "Manage a resource's secret parameters (`cibsecret`)\n\nThe value is kept in "
                    "a local file on every node and the CIB holds `lrm://`: `set` stores one, `stash` moves "
                    "a value out of the CIB, `unstash` puts it back, `check` compares the copies.",
                    usage="secret RSC set|stash|unstash|delete|show|check PARAM [VALUE]", handler=do_secret, parse_args=True,
                    args=(RSC, Arg("action", "choice", choices=tuple(_SECRET_ACTION)), Arg("name"),
                          Arg("value", optional=True)),
                    examples=("secret fence1 set passwd s3cr3t", "secret fence1 check passwd")),
        CommandSpec("manage", "Put a resource back under cluster control (is-managed=true)\n\nAs crmsh: "
                    "a conflicting `maintenance` meta attribute is removed where `manage-children` allows.",
                    usage="manage RSC", handler=_deep_setter("is-managed", "true"),
                    args=(RSC,), parse_args=True, examples=("manage dummy",)),
        CommandSpec("unmanage", "Take a resource out of cluster control (is-managed=false)",
                    usage="unmanage RSC", handler=_deep_setter("is-managed", "false"),
                    args=(RSC,), parse_args=True, examples=("unmanage dummy",)),
        CommandSpec("maintenance", "Put a resource in (or out of) maintenance mode\n\nSets the meta "
                    "attribute `maintenance` on the resource (on its clone when cloned).  A conflicting "
                    "`is-managed` is removed, and on a group the children's own copies, as "
                    "`manage-children` says (`ask`: only with -F or when answered yes).",
                    usage="maintenance RSC [on|off|true|false]", handler=do_maintenance,
                    args=(RSC, Arg("state", "choice", optional=True, choices=("on", "off", "true", "false"))),
                    examples=("maintenance dummy", "maintenance dummy off")),
        CommandSpec("promote", "Promote a promotable clone (target-role=Promoted)", usage="promote RSC ...",
                    handler=_meta_setter("target-role", "Promoted"), args=(RSCS,), parse_args=True, examples=("promote ms1",)),
        CommandSpec("demote", "Demote a promotable clone (target-role=Unpromoted)", usage="demote RSC ...",
                    handler=_meta_setter("target-role", "Unpromoted"), args=(RSCS,), parse_args=True, examples=("demote ms1",)),
        CommandSpec("locate", "Show where resources run (`crm_resource --locate`)", usage="locate RSC ...",
                    handler=do_locate, args=(RSCS,), parse_args=True,
                    examples=("locate dummy",)),
        CommandSpec("constraints", "Show the constraints that apply to a resource (`crm_resource -a`)",
                    usage="constraints RSC", handler=do_constraints, args=(RSC,), parse_args=True,
                    examples=("constraints dummy",)),
        CommandSpec("operations", "Show the operation history (`crm_resource -O`)",
                    usage="operations [RSC] [NODE]", handler=do_operations, parse_args=True,
                    args=(Arg("resource", "resource", optional=True), NODE_OPT),
                    examples=("operations", "operations dummy srv01")),
        CommandSpec("trace", "Trace a resource agent's operations (op attribute `trace_ra=1`)\n\nWithout an "
                    "operation: start, stop (promote, demote) and every configured op.  `probe` is the "
                    "monitor with interval 0.  The agent writes a shell trace of each traced operation to "
                    "/var/lib/heartbeat/trace_ra/TYPE/ (or DIR).  Restart the resource to trace a start.",
                    usage="trace RSC [OP] [INTERVAL] [DIR] [force]", handler=do_trace, parse_args=True,
                    # OP, INTERVAL and DIR in any order: a number is an interval, a path a directory
                    args=(Arg("resource", "resource"),
                          Arg("op", "choice", optional=True, loose=True,
                              choices=("start", "stop", "monitor", "probe", "promote", "demote", "notify",
                                       "reload", "migrate_to", "migrate_from")),
                          Arg("interval", "number", optional=True), Arg("dir", "path", optional=True), FORCE),
                    examples=("trace dummy", "trace dummy start", "trace dummy monitor 10 /tmp/traces")),
        CommandSpec("untrace", "Stop tracing a resource agent's operations", usage="untrace RSC [OP] [INTERVAL]",
                    handler=do_untrace, parse_args=True,
                    args=(Arg("resource", "resource"),
                          Arg("op", "choice", optional=True, loose=True,
                              choices=("start", "stop", "monitor", "probe", "promote", "demote")),
                          Arg("interval", optional=True)),
                    examples=("untrace dummy", "untrace dummy start")),
        CommandSpec("scores", "Show allocation scores (`crm_simulate -sUL`)", usage="scores",
                    handler=do_scores, examples=("scores",)),
    ],
)
