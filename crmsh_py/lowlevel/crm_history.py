"""``crm_history``: read the cluster's history back (our own tool; ``crm history`` runs it).

::

    crm_history [--source live|DIR|TARBALL] [--live bundled|pacemaker] [--from TIME] [--to TIME]
                [--nodes N,N] [--exclude REGEX]... [--detail 0|1] [--output text|json|yaml] -- COMMAND [ARG...]

Commands: ``info``, ``latest``, ``events``, ``log [NODE...]``, ``resource RSC...``, ``node NODE...``,
``transitions``, ``transition [N|-N|NAME] [log|nograph|showdot]``, ``show N [status]``,
``diff N M [status]``, ``wdiff N M [status]``, ``commands``, ``peinputs [N|N:M...] [v]``, ``refresh``.
Reading only: nothing is changed.  A report of a Pacemaker 1.x cluster is read as crmsh reads it
(:mod:`crmsh_py.lowlevel.history.legacy_view`; there ``transition`` also takes ``tags`` and ``path``).
"""

from __future__ import annotations

import json
from typing import Any

from crmsh_py.collector import paused
from crmsh_py.errors import CommandError
from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.history import sources, timefmt
from crmsh_py.lowlevel.history.view import (Query, command_data, commands_text, event_data, events_text,
                                            transition_data)
from crmsh_py.lowlevel.options import Opt, Parsed, UsageError, help_or_version, parse_options, usage_from_spec
from crmsh_py.lowlevel.toolio import ToolIO, console_main

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

TOOL = "crm_history"
SPEC = [Opt(None, "source", arg=True), Opt(None, "live", arg=True), Opt(None, "from", arg=True),
        Opt(None, "to", arg=True), Opt(None, "nodes", arg=True), Opt(None, "exclude", arg=True),
        Opt(None, "detail", arg=True), Opt(None, "output", arg=True)]
FORMATS = ("text", "json", "yaml")


def run(args: list[str], io: ToolIO) -> int:
    """Entry point: ``args`` without the program name."""
    try:
        parsed = parse_options(TOOL, args, SPEC)
        answered = help_or_version(parsed, io, lambda: usage_from_spec(TOOL, SPEC, "show the cluster's history") + __doc__)
        if answered is not None:
            return answered
    except UsageError as error:
        return error.report(io)
    if not parsed.positional:
        io.err(f"{TOOL}: a command is required ({', '.join(sorted(COMMANDS))})")
        return exitcodes.CRM_EX_USAGE
    name, words = parsed.positional[0], parsed.positional[1:]
    handler = COMMANDS.get(name)
    if handler is None:
        io.err(f"{TOOL}: unknown command '{name}' ({', '.join(sorted(COMMANDS))})")
        return exitcodes.CRM_EX_USAGE
    fmt = parsed.get("output") or "text"
    if fmt not in FORMATS:
        io.err(f"{TOOL}: --output must be one of {', '.join(FORMATS)}")
        return exitcodes.CRM_EX_USAGE
    try:
        with paused():  # hundreds of thousands of small objects, no cycles: the collector only costs time
            query = make_query(parsed, io)
            for note in query.source.notes:
                io.err(f"{TOOL}: warning: not collected from {note}")
            result = _legacy(query, name, words, io) if query.source.kind == "report" else None
            if result is None:
                result = handler(query, words)
    except CommandError as error:
        io.err(f"{TOOL}: {error.message()}")
        return exitcodes.CRM_EX_ERROR
    if isinstance(result, str):
        if fmt != "text" and name not in STRUCTURED:
            io.err(f"{TOOL}: --output {fmt} is not available for '{name}' (text only)")
            return exitcodes.CRM_EX_USAGE
        io.stdout.write(result)
        return exitcodes.CRM_EX_OK
    text, data = result
    io.stdout.write(text if fmt == "text" else dump(data, fmt))
    return exitcodes.CRM_EX_OK


def _legacy(query: Query, name: str, words: list[str], io: ToolIO) -> str | None:
    """The answer for a report of a Pacemaker 1.x cluster, read as crmsh reads it (None for
    other sources, and for commands crmsh's reading does not change)."""
    from crmsh_py.lowlevel.history import legacy_view

    old = legacy_view.legacy_query(query) if name in legacy_view.COMMANDS else None
    if old is None:
        return None
    return _info_lines(legacy_view.COMMANDS[name](old, words), io)


def _info_lines(text: str, io: ToolIO) -> str:
    """Lines a command gives as information (``running ptest with ...``) go to stderr as
    ``crm_history: info: ...``, where the shell shows them as its INFO messages."""
    if text.startswith("running ptest with "):
        first, _, rest = text.partition("\n")
        io.err(f"{TOOL}: info: {first}")
        return rest
    return text


def dump(data: Any, fmt: str) -> str:
    """``data`` as JSON (indented) or YAML."""
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def make_query(parsed: Parsed, io: ToolIO) -> Query:
    """The source and filters the options describe."""
    live = parsed.get("live") or "bundled"
    if live not in ("bundled", "pacemaker"):
        raise CommandError("--live must be bundled or pacemaker")
    source = sources.resolve(parsed.get("source") or "live", io.env, live)
    detail_text = parsed.get("detail") or "0"
    if detail_text not in ("0", "1"):
        raise CommandError(f"detail must be 0 or 1, not '{detail_text}'")
    start = timefmt.parse_time(parsed.get("from") or "") if parsed.get("from") else None
    end = timefmt.parse_time(parsed.get("to") or "") if parsed.get("to") else None
    nodes = [n for value in parsed.all("nodes") for n in value.split(",") if n]
    return Query(source, start, end, nodes, list(parsed.all("exclude")), int(detail_text),
                 cache_dir=sources.cache_root(io.env) / "index")


Result = "str | tuple[str, Any]"


def _info(q: Query, words: list[str]) -> str:
    _no_args("info", words)
    return q.info()


def _events(q: Query, words: list[str]) -> tuple[str, Any]:
    _no_args("events", words)
    events = q.events()
    return events_text(events), [event_data(e) for e in events]


def _resource(q: Query, words: list[str]) -> tuple[str, Any]:
    if not words:
        raise CommandError("usage: resource RSC [RSC...]")
    events = q.events(("resource", "resource-detail", "error", "warning") if q.detail else ("resource", "error"),
                      rscs=words)
    return events_text(events), [event_data(e) for e in events]


def _node(q: Query, words: list[str]) -> tuple[str, Any]:
    if not words:
        raise CommandError("usage: node NODE [NODE...]")
    events = q.events(("node", "fencing"), nodes=words)
    return events_text(events), [event_data(e) for e in events]


def _log(q: Query, words: list[str]) -> str:
    return q.log(words)


def _latest(q: Query, words: list[str]) -> str:
    _no_args("latest", words)
    t = q.transition("-1")
    return q.transition_info(t) + events_text(q.transition_events(t))


def _transitions(q: Query, words: list[str]) -> tuple[str, Any]:
    _no_args("transitions", words)
    found = q.history.transitions
    text = "".join(q.transition_info(t) for t in found)
    return text, [transition_data(t) for t in found]


def _transition(q: Query, words: list[str]) -> str:
    sub = "show"
    args = list(words)
    if args and args[0] in ("log", "showdot", "nograph", "tags", "path"):
        sub = args.pop(0)
    if len(args) > 1 and args[-1] in ("log", "showdot", "nograph"):
        sub = args.pop()
    if len(args) > 1:
        raise CommandError("usage: transition [N|-N|NAME] [log|nograph|showdot]")
    t = q.transition(args[0] if args else None)
    if sub == "tags":  # the resources and nodes it acted on (crmsh's tags)
        tags = sorted({a.rsc.lower() for a in t.actions} | {n.lower() for n in t.fenced})
        return (" ".join(tags) if tags else "No tags.") + "\n"
    if sub == "path":
        path = q.source.pe_path(t.pe_file, t.node) if t.pe_file else None
        if path is None:
            raise CommandError(f"transition {t.number}: its input {t.pe_name} is not in the source")
        return f"{path}\n{path}\n"
    if sub == "log":
        return q.transition_log(t)
    if sub == "showdot":
        from crmsh_py.lowlevel.history.peinput import dot

        return dot(t)
    from crmsh_py.lowlevel.history.peinput import simulate

    return q.transition_info(t) + "\n" + simulate(q.pe_root(t))


def _show(q: Query, words: list[str]) -> str:
    status = bool(words) and words[-1] == "status"
    args = words[:-1] if status else words
    if len(args) != 1:
        raise CommandError("usage: show N [status]")
    return q.show(args[0], status)


def _diff_words(name: str, words: list[str]) -> tuple[str, str, bool]:
    status = bool(words) and words[-1] == "status"
    args = words[:-1] if status else words
    if len(args) != 2:
        raise CommandError(f"usage: {name} N M [status]  (N, M: input number, -N from the end, or live)")
    return args[0], args[1], status


def _diff(q: Query, words: list[str]) -> str:
    first, second, status = _diff_words("diff", words)
    return q.diff(first, second, status, words=False)


def _wdiff(q: Query, words: list[str]) -> str:
    first, second, status = _diff_words("wdiff", words)
    return q.diff(first, second, status, words=True)


def _commands(q: Query, words: list[str]) -> tuple[str, Any]:
    _no_args("commands", words)
    commands = q.commands()
    others = q.cluster_transitions()
    data = {"commands": [command_data(c) for c in commands],
            "cluster_transitions": [transition_data(t) for t in others]}
    return commands_text(commands, others), data


def _refresh(q: Query, words: list[str]) -> str:
    if words not in ([], ["force"], ["--force"]):
        raise CommandError(f"Expected 'force' or '--force' (was '{' '.join(words)}')")
    return f"Refreshing log data...\n{len(q.history.transitions)} transitions, {len(q.events())} events.\n"


def _peinputs(q: Query, words: list[str]) -> str:
    verbose = "v" in words
    ranges = []
    for word in (w for w in words if w != "v"):
        low, _, high = word.partition(":")
        if not low.isdigit() or not (high or low).isdigit() or int(low) > int(high or low):
            raise CommandError(f"{word}: invalid peinputs range")
        ranges.append((int(low), int(high or low)))
    found = [t for t in q.history.transitions if not ranges or any(a <= t.pe_number <= b for a, b in ranges)]
    if not found:
        raise CommandError("no transitions found in the source")
    if not verbose:
        return "".join(str(q.source.pe_path(t.pe_file, t.node) or t.pe_file or t.pe_name) + "\n" for t in found)
    lines = ["Date       Start    End       Filename      Node       Changes", "=" * 60]
    for t in found:
        lines.append(f"{timefmt.show(t.start)[:10]} {timefmt.short(t.start)} {timefmt.short(t.end)}  "
                     f"{t.pe_name:<13} {t.node:<10} {'; '.join(t.changes())}")
    return "\n".join(lines) + "\n"


def _no_args(name: str, words: list[str]) -> None:
    if words:
        raise CommandError(f"{name} takes no arguments")


COMMANDS: dict[str, Callable[[Query, list[str]], Any]] = {
    "info": _info, "latest": _latest, "events": _events, "log": _log, "resource": _resource,
    "node": _node, "transitions": _transitions, "transition": _transition, "show": _show,
    "diff": _diff, "wdiff": _wdiff, "commands": _commands, "refresh": _refresh, "peinputs": _peinputs,
}
STRUCTURED = {"events", "resource", "node", "transitions", "commands"}


def main() -> int:
    """Console script entry point."""
    return console_main(TOOL, run)


if __name__ == "__main__":
    raise SystemExit(main())
