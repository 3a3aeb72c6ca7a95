"""The history level: what happened in the cluster and who asked for it, read back from the logs
and the saved transition inputs (``crm_history``, run through the backend like every tool).

The level keeps its settings in the session (``source``, ``limit``, ``setnodes``, ``exclude``,
``detail``) and passes them to every ``crm_history`` call, so ``-R`` shows exactly what was read.
``session save NAME`` stores them in ``$XDG_CONFIG_HOME/crmsh_py/history/NAME.json``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

_NAME = re.compile(r"^[\w.-]+$")


@dataclass
class HistoryState:
    """The history level's settings for one shell session."""

    source: str = "live"
    start: str = ""
    end: str = ""
    nodes: list[str] = field(default_factory=list)
    excludes: list[str] = field(default_factory=list)
    detail: int = 0
    session_name: str = ""


def state(session: "Session") -> HistoryState:
    """The session's history settings (created on first use)."""
    if not isinstance(session.history, HistoryState):
        session.history = HistoryState()
    return session.history


def history_cmd(session: "Session", *words: str, output: str | None = None) -> Cmd:
    """``crm_history`` with the level's settings, then ``-- WORDS``."""
    st = state(session)
    cmd = Cmd("crm_history")
    if st.source != "live":
        cmd.long("--source", st.source)
    if session.backend_kind == "pacemaker":
        cmd.long("--live", "pacemaker")
    if st.start:
        cmd.long("--from", st.start)
    if st.end:
        cmd.long("--to", st.end)
    if st.nodes:
        cmd.long("--nodes", ",".join(st.nodes))
    for pattern in st.excludes:
        cmd.long("--exclude", pattern)
    if st.detail:
        cmd.long("--detail", str(st.detail))
    from crmsh_py.shell.structured import wanted

    fmt = output or wanted(session)
    if fmt:
        cmd.long("--output", fmt)
    cmd.flag("--")
    for word in words:
        cmd.arg(word)
    return cmd


def run_own(session: "Session", cmd: Cmd) -> RunResult:
    """Run one of our own read-only tools (``crm_history``, ``crm_report``): through the session's
    backend on the bundled engine; on Pacemaker, in-process here (Pacemaker has no such tool; ours
    reads its log and pengine directory on this machine)."""
    if session.backend_kind != "pacemaker":
        return session.run(cmd)
    if session.env.get("CRM_HOST"):
        raise CommandError(f"{cmd.tool} reads the cluster's files on this machine; with --host run it on the "
                           "node itself (crm report there, then history source REPORT here)")
    from crmsh_py.backends.bundled import BundledBackend

    if session.regression:
        session.out.write(f".EXT {cmd.display()}\n")
    return BundledBackend(env=session.tool_env()).run(cmd.argv())


def passthrough_own(session: "Session", cmd: Cmd) -> None:
    """:func:`run_own` showing the output; a non-zero exit is an error."""
    result = run_own(session, cmd)
    session.write(result.stdout)
    if result.rc != 0:
        raise CommandError(result.stderr.strip() or f"{cmd.tool} failed with exit code {result.rc}")
    if result.stderr:
        session.err.write(result.stderr)


def check_own(session: "Session", cmd: Cmd) -> None:
    """:func:`run_own`, its output unused; a non-zero exit is an error."""
    result = run_own(session, cmd)
    if result.rc != 0:
        raise CommandError(result.stderr.strip() or f"{cmd.tool} failed with exit code {result.rc}")


def _show(session: "Session", *words: str) -> None:
    passthrough_own(session, history_cmd(session, *words))


def _fixed(name: str, usage: str, minimum: int = 0, maximum: int | None = 0):  # type: ignore[no-untyped-def]
    """A handler that passes its words to ``crm_history NAME`` after checking their number."""
    def handler(session: "Session", call: Call) -> None:
        count = len(call.args)
        if count < minimum or (maximum is not None and count > maximum):
            raise CommandError(f"usage: {usage}")
        _show(session, name, *call.args)
    handler.__doc__ = f"``{usage}``"
    return handler


def do_source(session: "Session", call: Call) -> None:
    """``source [live|DIR|TARBALL]``: where history is read from (no argument: show it)."""
    st = state(session)
    if not call.args:
        session.write(f"Current source: {st.source}")
        return
    if len(call.args) != 1:
        raise CommandError("usage: source live|DIR|REPORT.tar.bz2")
    value = call.args[0]
    if value != "live":
        path = Path(value).expanduser()
        if not path.exists():
            raise CommandError(f"source {value} doesn't exist")  # crmsh's words
        value = str(path.resolve())
    previous = st.source
    st.source = value
    try:
        check_own(session, history_cmd(session, "info"))  # unpack and read it now: errors show here
    except CommandError:
        st.source = previous
        raise


def do_limit(session: "Session", call: Call) -> None:
    """``limit [FROM [TO]]``: the period to look at (no argument: show it; ``limit clear``: all)."""
    st = state(session)
    if not call.args:
        session.write(f"Current limit: {st.start or '--'} - {st.end or '--'}")
        return
    if call.args == ["clear"]:
        st.start = st.end = ""
        return
    if len(call.args) > 2:
        raise CommandError("usage: limit [FROM [TO]]  (quote times with spaces: limit \"2026-11-29 03:00\")")
    old = (st.start, st.end)
    st.start, st.end = call.args[0], call.args[1] if len(call.args) > 1 else ""
    try:
        check_own(session, history_cmd(session, "info"))  # the tool checks the times
    except CommandError:
        st.start, st.end = old
        raise


def do_setnodes(session: "Session", call: Call) -> None:
    """``setnodes NODE...``: only these nodes' logs (``setnodes`` alone: all nodes)."""
    state(session).nodes = list(call.args)


def do_exclude(session: "Session", call: Call) -> None:
    """``exclude [REGEX|clear]``: hide log lines matching REGEX (no argument: list them)."""
    st = state(session)
    if not call.args:
        for pattern in st.excludes:
            session.write(pattern)
        return
    if call.args == ["clear"]:
        st.excludes = []
        return
    pattern = " ".join(call.args)
    try:
        re.compile(pattern)
    except re.error as error:
        raise CommandError(f"exclude: bad regular expression '{pattern}': {error}") from None
    st.excludes.append(pattern)


def do_detail(session: "Session", call: Call) -> None:
    """``detail 0|1``: 1 adds probes, monitors, warnings and transitions to the events."""
    if len(call.args) != 1 or call.args[0] not in ("0", "1"):
        raise CommandError("usage: detail 0|1")
    state(session).detail = int(call.args[0])


def sessions_dir(env: Mapping[str, str]) -> Path:
    """Where saved history sessions live."""
    base = env.get("XDG_CONFIG_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(base) / "crmsh_py" / "history"


def do_session(session: "Session", call: Call) -> None:
    """``session [save NAME|load NAME|delete NAME|list]``: keep and restore the level's settings."""
    st = state(session)
    args = call.args
    if not args:
        session.write(f"current session: {st.session_name or '(none)'}")
        return
    sub, rest = args[0], args[1:]
    directory = sessions_dir(session.env)
    if sub == "list" and not rest:
        for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            session.write(path.stem)
        return
    if sub not in ("save", "load", "delete") or len(rest) != 1 or not _NAME.match(rest[0]):
        raise CommandError("usage: session save NAME | load NAME | delete NAME | list  (NAME: letters, digits, . _ -)")
    path = directory / f"{rest[0]}.json"
    if sub == "save":
        directory.mkdir(parents=True, exist_ok=True)
        st.session_name = rest[0]
        path.write_text(json.dumps(asdict(st), indent=1) + "\n", encoding="utf-8")
        return
    if not path.is_file():
        raise CommandError(f"session {rest[0]}: no such session (session list shows them)")
    if sub == "delete":
        path.unlink()
        if st.session_name == rest[0]:
            st.session_name = ""
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        loaded = HistoryState(**{k: v for k, v in data.items() if k in HistoryState.__dataclass_fields__})
    except (OSError, ValueError, TypeError) as error:
        raise CommandError(f"session {rest[0]}: cannot read {path}: {error}") from None
    session.history = loaded


def do_info(session: "Session", call: Call) -> None:
    """``info``: the source, its period, nodes, resources and transitions."""
    if call.args:
        raise CommandError("usage: info")
    _show(session, "info")


def do_output_words(name: str, usage: str, minimum: int, maximum: int | None):  # type: ignore[no-untyped-def]
    """Like :func:`_fixed`, for commands whose output also comes as JSON/YAML (``json`` or ``yaml``
    as the last word, or the ``output`` option)."""
    def handler(session: "Session", call: Call) -> None:
        words = list(call.args)
        fmt = None
        if words and words[-1] in ("json", "yaml"):
            fmt = words.pop()
        if len(words) < minimum or (maximum is not None and len(words) > maximum):
            raise CommandError(f"usage: {usage}")
        passthrough_own(session, history_cmd(session, name, *words, output=fmt))
    handler.__doc__ = f"``{usage}``"
    return handler


LEVEL = Level(
    name="history",
    help="Cluster history: what the cluster did (transitions, resource and node events) and which "
         "shell commands made it do so, from the live logs or a `crm report`.",
    commands=[
        CommandSpec("info", "Show the source, period, nodes, resources and transitions", usage="info",
                    handler=do_info),
        CommandSpec("latest", "Show the latest transition and its events", usage="latest",
                    handler=_fixed("latest", "latest")),
        CommandSpec("events", "Show the important events: resource actions, node changes, fencing, "
                    "errors\n\nWith `detail 1` also probes, monitors, warnings and transitions.",
                    usage="events [json|yaml]", handler=do_output_words("events", "events [json|yaml]", 0, 0),
                    examples=("events", "events json")),
        CommandSpec("commands", "Show who typed which command, what it ran and what the cluster did\n\n"
                    "Each shell command with its time, user and terminal, the low-level commands it ran "
                    "and the transitions that followed, e.g. `dummy moved srv01 -> srv02 in transition 12, "
                    "2.0 s after 'crm resource move dummy srv02 force' by root on pts/1`.",
                    usage="commands [json|yaml]", handler=do_output_words("commands", "commands [json|yaml]", 0, 0),
                    examples=("commands", "commands json")),
        CommandSpec("log", "Show the log (of some nodes)", usage="log [NODE ...]",
                    handler=_fixed("log", "log [NODE ...]", 0, None),
                    args=(Arg("node", "node", optional=True, repeat=True),)),
        CommandSpec("resource", "Show the events of resources", usage="resource RSC [RSC ...]",
                    handler=do_output_words("resource", "resource RSC [RSC ...]", 1, None),
                    args=(Arg("rsc", "resource", repeat=True),), examples=("resource dummy",)),
        CommandSpec("node", "Show the events of nodes (joins, losses, fencing)", usage="node NODE [NODE ...]",
                    handler=do_output_words("node", "node NODE [NODE ...]", 1, None),
                    args=(Arg("node", "node", repeat=True),), examples=("node srv02",)),
        CommandSpec("transitions", "List the transitions with what each did", usage="transitions",
                    handler=do_output_words("transitions", "transitions [json|yaml]", 0, 0)),
        CommandSpec("transition", "Show a transition: what it did and crm_simulate's replay of its input\n\n"
                    "N is the input's number (pe-input-N), -N counts from the latest (-1), or a name "
                    "(pe-warn-0, srv01:pe-input-3).  `log`: its log lines; `showdot`: its graph as dot; "
                    "`nograph` is accepted for crmsh compatibility (no graph is drawn).",
                    usage="transition [N|-N|NAME] [log|nograph|showdot]",
                    handler=_fixed("transition", "transition [N|-N|NAME] [log|nograph|showdot]", 0, 2),
                    args=(Arg("transition", optional=True),
                          Arg("what", "choice", optional=True, choices=("log", "nograph", "showdot"))),
                    examples=("transition", "transition -2", "transition 12 log", "transition showdot")),
        CommandSpec("show", "Show the configuration (or status) a transition planned from",
                    usage="show N [status]", handler=_fixed("show", "show N [status]", 1, 2),
                    examples=("show 12", "show -1 status")),
        CommandSpec("diff", "Compare the configuration (or status) of two transitions",
                    usage="diff N M [status]", handler=_fixed("diff", "diff N M [status]", 2, 3),
                    examples=("diff -2 -1", "diff 3 live")),
        CommandSpec("wdiff", "Compare two transitions word by word", usage="wdiff N M [status]",
                    handler=_fixed("wdiff", "wdiff N M [status]", 2, 3)),
        CommandSpec("source", "Set the source: live, a crm report directory or tarball",
                    usage="source [live|DIR|REPORT.tar.bz2]", handler=do_source,
                    args=(Arg("source", "file", optional=True),),
                    examples=("source live", "source /tmp/report.tar.bz2")),
        CommandSpec("limit", "Set the period to look at", usage="limit [FROM [TO]] | limit clear",
                    handler=do_limit, aliases=("timeframe",),
                    examples=("limit \"2026-11-29 03:00\" \"2026-11-29 04:00\"", "limit -1h", "limit clear")),
        CommandSpec("setnodes", "Only look at these nodes' logs", usage="setnodes [NODE ...]",
                    handler=do_setnodes, args=(Arg("node", "node", optional=True, repeat=True),)),
        CommandSpec("exclude", "Hide log lines matching a regular expression", usage="exclude [REGEX|clear]",
                    handler=do_exclude, examples=("exclude pacemaker-controld", "exclude clear")),
        CommandSpec("detail", "Set the detail level of events (0 or 1)", usage="detail 0|1", handler=do_detail,
                    args=(Arg("level", "choice", choices=("0", "1")),)),
        CommandSpec("session", "Save, load, delete and list history sessions",
                    usage="session [save NAME|load NAME|delete NAME|list]", handler=do_session,
                    args=(Arg("what", "choice", optional=True, choices=("save", "load", "delete", "list")),),
                    examples=("session save incident-42", "session list", "session load incident-42")),
    ],
)
