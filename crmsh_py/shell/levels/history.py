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
from pathlib import Path
from typing import TYPE_CHECKING

from crmsh_py import paths
from crmsh_py.backends.base import RunResult
from crmsh_py.errors import CommandError
from crmsh_py.backends.argv import Cmd
from crmsh_py.records import asdict, field, fields, record
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from collections.abc import Mapping
    from crmsh_py.session import Session
    from crmsh_py.shell.registry import Handler

_NAME = re.compile(r"^[\w.-]+$")


@record
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
    reads this machine's log and pengine directory and fetches the other nodes' over SSH)."""
    if session.backend_kind != "pacemaker":
        return session.run(cmd)
    if session.env.get("CRM_HOST"):
        raise CommandError(f"{cmd.tool} reads the cluster's files on this machine; with --host run it on the "
                           "node itself (crm report there, then history source REPORT here)")
    from crmsh_py.backends.bundled import BundledBackend

    if session.regression:
        session.out.write(f".EXT {cmd.display()}\n")
    # the other nodes' files come over SSH with the shell's ssh-* options (lowlevel.history.collect)
    ssh = {f"CRM_SSH_{k[4:].upper().replace('-', '_')}": v for k, v in session.options.items()
           if k.startswith("ssh-") and v}
    return BundledBackend(env={**session.tool_env(), **ssh}).run(cmd.argv())


_TOOL_MESSAGE = re.compile(r"^crm_\w+: (info|warning): (.*)$")


def show_stderr(session: "Session", text: str) -> None:
    """A tool's stderr: its ``TOOL: info: ...``/``TOOL: warning: ...`` lines as the shell's own
    INFO/WARNING messages (with the batch line), the rest as it is."""
    for line in text.splitlines():
        match = _TOOL_MESSAGE.match(line)
        if match is None:
            session.err.write(line + "\n")
        elif match.group(1) == "info":
            session.info(match.group(2))
        else:
            session.warning(match.group(2))


def passthrough_own(session: "Session", cmd: Cmd) -> None:
    """:func:`run_own` showing the output; a non-zero exit is an error."""
    result = run_own(session, cmd)
    if result.rc == 0 and result.stderr:
        show_stderr(session, result.stderr)
    session.write(result.stdout)
    if result.rc != 0:
        raise CommandError(result.stderr.strip() or f"{cmd.tool} failed with exit code {result.rc}")


def check_own(session: "Session", cmd: Cmd) -> None:
    """:func:`run_own`, its output unused; a non-zero exit is an error."""
    result = run_own(session, cmd)
    if result.rc != 0:
        raise CommandError(result.stderr.strip() or f"{cmd.tool} failed with exit code {result.rc}")


def _show(session: "Session", *words: str) -> None:
    passthrough_own(session, history_cmd(session, *words))


def _passed(name: str) -> Handler:
    """A handler that passes its words (checked against its spec's arguments) to ``crm_history NAME``."""
    def handler(session: "Session", call: Call) -> None:
        _show(session, name, *call.args)
    handler.__doc__ = f"``crm_history {name} WORDS``"
    return handler


def do_source(session: "Session", call: Call) -> None:
    """``source [live|DIR|TARBALL]``: where history is read from (no argument: show it)."""
    st = state(session)
    value = call.value("source")
    if value is None:
        session.write(f"Current source: {st.source}")
        return
    if value != "live":  # kept as given, as crmsh keeps it (and shows it in `info`)
        if not Path(value).expanduser().exists():
            raise CommandError(f"source {value} doesn't exist")  # crmsh's words
    previous = st.source
    st.source = value
    try:
        check_own(session, history_cmd(session, "info"))  # unpack and read it now: errors show here
    except CommandError:
        st.source = previous
        raise


def do_limit(session: "Session", call: Call) -> None:
    """``limit [FROM [TO]]``: the period to look at (no argument or ``limit clear``: all of it, as
    crmsh's ``limit`` alone; ``limit show`` shows it)."""
    st = state(session)
    if call.args == ["show"]:
        session.write(f"Current limit: {st.start or '--'} - {st.end or '--'}")
        return
    if not call.args or call.args == ["clear"]:
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
    state(session).detail = int(call.value("level") or "0")


def sessions_dir(env: Mapping[str, str]) -> Path:
    """Where saved history sessions live."""
    return Path(paths.user_dir(env, "config")) / "history"


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
    if sub == "pack" and len(rest) <= 1:
        _pack(session, rest[0] if rest else st.session_name)
        return
    if sub not in ("save", "load", "delete") or len(rest) != 1 or not _NAME.match(rest[0]):
        raise CommandError("usage: session save NAME | load NAME | delete NAME | pack [NAME] | list  "
                           "(NAME: letters, digits, . _ -)")
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
        loaded = HistoryState(**{k: v for k, v in data.items() if k in {f.name for f in fields(HistoryState)}})
    except (OSError, ValueError, TypeError) as error:
        raise CommandError(f"session {rest[0]}: cannot read {path}: {error}") from None
    session.history = loaded


def _pack(session: "Session", name: str) -> None:
    """``session pack [NAME]``: the saved session and its source in ``$HOME/NAME.tar.bz2``."""
    import tarfile

    if not name:
        raise CommandError("need to load a history session before update/pack")  # crmsh's words
    path = sessions_dir(session.env) / f"{name}.json"
    if not path.is_file():
        raise CommandError(f"history session {name} does not exist")
    home = Path(session.env.get("HOME") or os.path.expanduser("~"))
    target = home / f"{name}.tar.bz2"
    try:
        with tarfile.open(target, "w:bz2") as archive:
            archive.add(path, arcname=f"{name}/{path.name}")
            source = json.loads(path.read_text(encoding="utf-8")).get("source", "live")
            if source != "live" and Path(source).exists():
                archive.add(source, arcname=f"{name}/{Path(source).name}")
    except (OSError, ValueError, tarfile.TarError) as error:
        raise CommandError(f"could not pack session {name}: {error}") from None
    session.write(f"Report saved in '{target}'")


def do_info(session: "Session", call: Call) -> None:
    """``info``: the source, its period, nodes, resources and transitions."""
    _show(session, "info")


def do_output_words(name: str, listed: str = "") -> Handler:
    """Like :func:`_passed`, for commands whose output also comes as JSON/YAML (the keyword
    ``json`` or ``yaml``, or the ``output`` option); ``listed`` names the repeated argument."""
    def handler(session: "Session", call: Call) -> None:
        words = call.values_of(listed) if listed else []
        passthrough_own(session, history_cmd(session, name, *words, output=call.value("format")))
    handler.__doc__ = f"``crm_history {name} WORDS [json|yaml]``"
    return handler


FORMAT = Arg("format", "keyword", choices=("json", "yaml"))
STATUS = Arg("status", "choice", optional=True, choices=("status",), loose=True)  # crm_history judges it


def do_transition(session: "Session", call: Call) -> None:
    """``transition [N|-N|NAME] [log|nograph|showdot|tags]``, ``transition save [N [SHADOW]]``."""
    args = list(call.args)
    if args and args[0] == "save":
        if len(args) > 3:
            raise CommandError("usage: transition save [N|-N|NAME [SHADOW]]")
        result = run_own(session, history_cmd(session, "transition", "path", *args[1:2]))
        if result.rc != 0:
            raise CommandError(result.stderr.strip() or "crm_history failed")
        shown, _, local = result.stdout.strip().partition("\n")
        name = args[2] if len(args) > 2 else Path(shown).name.replace(".bz2", "")
        _save_shadow(session, Path(local or shown), name)
        session.info(f"transition {shown} saved to shadow {name}")
        return
    if len(args) > 2:
        raise CommandError("usage: transition [N|-N|NAME] [log|nograph|showdot|tags]")
    _show(session, "transition", *args)


def _save_shadow(session: "Session", path: Path, name: str) -> None:
    """A transition's input as the shadow CIB ``name`` (``cib use NAME`` then works on it)."""
    import bz2

    if not _NAME.match(name):
        raise CommandError(f"{name}: a shadow name is letters, digits, . _ -")
    try:
        data = path.read_bytes()
        text = (bz2.decompress(data) if path.suffix == ".bz2" else data).decode("utf-8")
        target = Path(session.shadow_path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except (OSError, EOFError, ValueError) as error:
        raise CommandError(f"cannot save {path} as shadow {name}: {error}") from None


LEVEL = Level(
    name="history",
    help="Cluster history: what the cluster did (transitions, resource and node events) and which "
         "shell commands made it do so, from the live logs or a `crm report`.",
    commands=[
        CommandSpec("info", "Show the source, period, nodes, resources and transitions", usage="info",
                    handler=do_info, parse_args=True),
        CommandSpec("latest", "Show the latest transition and its events", usage="latest",
                    handler=_passed("latest"), parse_args=True),
        CommandSpec("events", "Show the important events: resource actions, node changes, fencing, "
                    "errors\n\nWith `detail 1` also probes, monitors, warnings and transitions.",
                    usage="events [json|yaml]", handler=do_output_words("events"), args=(FORMAT,), parse_args=True,
                    examples=("events", "events json")),
        CommandSpec("commands", "Show who typed which command, what it ran and what the cluster did\n\n"
                    "Each shell command with its time, user and terminal, the low-level commands it ran "
                    "and the transitions that followed, e.g. `dummy moved srv01 -> srv02 in transition 12, "
                    "2.0 s after 'crm resource move dummy srv02 force' by root on pts/1`.",
                    usage="commands [json|yaml]", handler=do_output_words("commands"), args=(FORMAT,),
                    parse_args=True,
                    examples=("commands", "commands json")),
        CommandSpec("log", "Show the log (of some nodes)", usage="log [NODE ...]",
                    handler=_passed("log"), parse_args=True,
                    args=(Arg("node", "node", optional=True, repeat=True),)),
        CommandSpec("resource", "Show the events of resources", usage="resource RSC [RSC ...] [json|yaml]",
                    handler=do_output_words("resource", "rsc"), parse_args=True,
                    args=(Arg("rsc", "resource", repeat=True), FORMAT), examples=("resource dummy",)),
        CommandSpec("node", "Show the events of nodes (joins, losses, fencing)", usage="node NODE [NODE ...] [json|yaml]",
                    handler=do_output_words("node", "node"), parse_args=True,
                    args=(Arg("node", "node", repeat=True), FORMAT), examples=("node srv02",)),
        CommandSpec("transitions", "List the transitions with what each did", usage="transitions [json|yaml]",
                    handler=do_output_words("transitions"), args=(FORMAT,), parse_args=True),
        CommandSpec("transition", "Show a transition: what it did and crm_simulate's replay of its input\n\n"
                    "N is the input's number (pe-input-N), -N counts from the latest (-1), or a name "
                    "(pe-warn-0, srv01:pe-input-3).  `log`: its log lines; `showdot`: its graph as dot; "
                    "`nograph` is accepted for crmsh compatibility (no graph is drawn).",
                    usage="transition [N|-N|NAME] [log|nograph|showdot|tags] | transition save [N [SHADOW]]",
                    handler=do_transition,
                    args=(Arg("transition", optional=True),
                          Arg("what", "choice", optional=True, choices=("log", "nograph", "showdot", "tags"))),
                    examples=("transition", "transition -2", "transition 12 log", "transition showdot")),
        CommandSpec("peinputs", "List the transition inputs (v: with times, origin and tags)",
                    usage="peinputs [N|N:M ...] [v]", handler=_passed("peinputs"), parse_args=True,
                    args=(Arg("input", optional=True, repeat=True),),
                    examples=("peinputs", "peinputs 40:50 v")),
        CommandSpec("refresh", "Read the logs again", usage="refresh [force]",
                    handler=_passed("refresh"), parse_args=True,
                    args=(Arg("force", "choice", optional=True, choices=("force",), loose=True),)),
        CommandSpec("show", "Show the configuration (or status) a transition planned from",
                    usage="show N [status]", handler=_passed("show"), parse_args=True,
                    args=(Arg("transition"), STATUS),
                    examples=("show 12", "show -1 status")),
        CommandSpec("diff", "Compare the configuration (or status) of two transitions",
                    usage="diff N M [status]", handler=_passed("diff"), parse_args=True,
                    args=(Arg("first"), Arg("second"), STATUS),
                    examples=("diff -2 -1", "diff 3 live")),
        CommandSpec("wdiff", "Compare two transitions word by word", usage="wdiff N M [status]",
                    handler=_passed("wdiff"), parse_args=True, args=(Arg("first"), Arg("second"), STATUS)),
        CommandSpec("source", "Set the source: live, a crm report directory or tarball",
                    usage="source [live|DIR|REPORT.tar.bz2]", handler=do_source, parse_args=True,
                    args=(Arg("source", "file", optional=True),),
                    examples=("source live", "source /tmp/report.tar.bz2")),
        CommandSpec("limit", "Set the period to look at", usage="limit [FROM [TO]] | limit clear",
                    handler=do_limit, aliases=("timeframe",),
                    examples=("limit \"2026-11-29 03:00\" \"2026-11-29 04:00\"", "limit -1h", "limit clear")),
        CommandSpec("setnodes", "Only look at these nodes' logs", usage="setnodes [NODE ...]",
                    handler=do_setnodes, args=(Arg("node", "node", optional=True, repeat=True),), parse_args=True),
        CommandSpec("exclude", "Hide log lines matching a regular expression", usage="exclude [REGEX|clear]",
                    handler=do_exclude, examples=("exclude pacemaker-controld", "exclude clear")),
        CommandSpec("detail", "Set the detail level of events (0 or 1)", usage="detail 0|1", handler=do_detail, parse_args=True,
                    args=(Arg("level", "choice", choices=("0", "1")),)),
        CommandSpec("session", "Save, load, delete and list history sessions",
                    usage="session [save NAME|load NAME|delete NAME|list]", handler=do_session,
                    args=(Arg("what", "choice", optional=True, choices=("save", "load", "delete", "list")),),
                    examples=("session save incident-42", "session list", "session load incident-42")),
    ],
)
