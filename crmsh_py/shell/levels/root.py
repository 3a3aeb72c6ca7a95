"""The top level: status, verify and the entries to the other levels."""

from __future__ import annotations

from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.session import Session

# ``status`` extras → crm_mon flags (crmsh's table; without any, crmsh runs ``crm_mon -1 -r``:
# stopped, disabled, failed and orphaned resources are shown too)
_STATUS_FLAGS: dict[str, tuple[str, ...]] = {
    "bynode": ("-n",),
    "inactive": ("-r",),
    "ops": ("-o",),
    "timing": ("-t",),
    "failcounts": ("-f",),
    "verbose": ("-V",),
    "quiet": ("-Q",),
    "xml": ("--as-xml",),
    "simple": ("-s",),
    "tickets": ("-c",),
    "detail": ("-R",),
    "brief": ("-b",),
    "full": ("-n", "-c", "-r", "-f", "-t"),
}
_STATUS_DEFAULT = ("-r",)


def do_status(session: "Session", call: Call) -> None:
    """Print the cluster status (``crm_mon -1 -r``, or the flags the extras ask for)."""
    from crmsh_py.shell.output import structured_asked

    if structured_asked(session):
        from crmsh_py.shell import structured

        if structured.wanted(session):
            structured.status(session, call)
            return
    cmd = Cmd("crm_mon").flag("-1")
    flags: list[str] = []
    for word in call.args:
        extra = _STATUS_FLAGS.get(word)
        if extra is None:
            raise CommandError(f"status: unknown option {word} ({', '.join(_STATUS_FLAGS)})")
        flags.extend(f for f in extra if f not in flags)
    cmd.flag(*(flags or _STATUS_DEFAULT))
    if session.backend_kind == "pacemaker":
        # Make it obvious that this is a real cluster driven through Pacemaker's own tools.
        session.write(f"Backend: pacemaker ({session.backend_suffix()[1:]})")
    from crmsh_py.session import failed_text, tool_message
    from crmsh_py.shell.output import show

    result = session.run(cmd)
    show(session, result.stdout, "status")  # coloured and paged on a terminal
    if result.rc != 0:
        raise CommandError(tool_message(result.stderr) or failed_text("crm_mon", result.rc))
    if result.stderr:
        session.err.write(result.stderr)


def do_verify(session: "Session", call: Call) -> None:
    """Check the live configuration (``crm_verify -L``)."""
    result = session.run(Cmd("crm_verify").flag("-L", "-V"))
    session.write(result.stdout)
    if result.stderr:
        session.err.write(result.stderr)
    if result.rc != 0:
        raise CommandError("crm_verify found errors in the configuration")


def do_report(session: "Session", call: Call) -> None:
    """``report [-f FROM] [-t TO] [--dest DEST | DEST] [-Z]``: collect a report (``crm_report``)."""
    cmd = Cmd("crm_report")
    if session.backend_kind == "pacemaker":
        cmd.long("--live", "pacemaker")
    args = list(call.args)
    valued = {"-f": "--from", "--from": "--from", "-t": "--to", "--to": "--to", "--dest": "--dest"}
    while args:
        word = args.pop(0)
        name, eq, value = word.partition("=")
        if name in valued:
            if not eq:
                if not args:
                    raise CommandError(f"report: {word} needs a value")
                value = args.pop(0)
            cmd.long(valued[name], value)
        elif word == "-Z":
            cmd.flag("-Z")
        elif word.startswith("-"):
            raise CommandError(f"report: unknown option {word} (-f FROM, -t TO, --dest DEST, -Z)")
        else:
            cmd.flag("--").arg(word)
    from crmsh_py.shell.levels.history import passthrough_own

    passthrough_own(session, cmd)


def _level(name: str, text: str) -> CommandSpec:
    return CommandSpec(name, text, usage=f"{name} [COMMAND ...]", level=name,
                       examples=(name, f"help {name}"))


LEVEL = Level(
    name="root",
    help="The crm shell.  Type a level name to enter it, `help LEVEL` for its commands, "
         "or a level and a command on one line (`resource move dummy srv02`).",
    commands=[
        CommandSpec("status", "Show the cluster status\n\nRuns `crm_mon -1 -r` (every resource, "
                    "stopped ones too); extras pick other views: `failcounts` the migration "
                    "summary, `bynode` resources per node, `full` everything.",
                    usage="status [bynode|inactive|ops|timing|failcounts|full|...]", handler=do_status,
                    args=(Arg("option", "choice", optional=True, repeat=True,
                              choices=tuple(_STATUS_FLAGS)),),
                    examples=("status", "status full failcounts")),
        CommandSpec("verify", "Verify the live configuration\n\nRuns `crm_verify -L -V` and shows "
                    "what it finds.", usage="verify", handler=do_verify, examples=("verify",)),
        CommandSpec("report", "Collect logs, CIB, transition inputs and state into a tarball\n\n"
                    "Writes DEST.tar.bz2 with one folder per node (log, CIB, crm_mon, agents), the "
                    "transition inputs and an analysis (failed actions, fencing, warnings); passwords "
                    "are masked.  `history source DEST.tar.bz2` reads it back.",
                    usage="report [-f FROM] [-t TO] [--dest DEST | DEST] [-Z]", handler=do_report,
                    examples=("report -f 2026-11-29 incident", "report -f -2h --dest /tmp/incident")),
        _level("configure", "Edit the CIB configuration (a working copy you commit)"),
        _level("resource", "Manage resources: start, stop, move, cleanup, ..."),
        _level("node", "Manage nodes: standby, online, maintenance, attributes, ..."),
        _level("site", "Geo cluster site: grant, revoke and show tickets"),
        _level("ra", "Resource agents: classes, lists, meta-data"),
        _level("cib", "Shadow CIBs: try changes without touching the live cluster"),
        _level("cluster", "The cluster itself: init, start, stop, add/remove nodes, run commands"),
        _level("options", "User preferences (editor, pager, colours, ...)"),
        _level("maintenance", "Maintenance mode on/off, agent actions run by hand"),
        _level("history", "Cluster history: events, transitions, and who typed what"),
        _level("cibstatus", "A copy of the status section: inject node, ticket and operation changes"),
    ],
)
