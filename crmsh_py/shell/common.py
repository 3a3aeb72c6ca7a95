"""Commands every level has: help, ls, cd, up/end/.., quit/exit/bye."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.shell.dispatch import enter, leave, leave_all
from crmsh_py.shell.registry import Arg, Call, CommandSpec, get_level, level_of, resolve, LEVEL_MODULES

if TYPE_CHECKING:
    from crmsh_py.session import Session


def _how(session: "Session") -> str:
    return "interactive" if session.mode == "interactive" else "batch"


def do_up(session: "Session", call: Call) -> None:
    """Leave the current level."""
    leave(session, _how(session))


def do_quit(session: "Session", call: Call) -> None:
    """Leave every level and end the session."""
    leave_all(session, _how(session))
    session.quit_requested = True


def do_cd(session: "Session", call: Call) -> None:
    """``cd`` / ``cd /``: root; ``cd ..``: up; ``cd LEVEL[/LEVEL]``: enter."""
    target = call.args[0] if call.args else "/"
    if target in ("/", ""):
        leave_all(session, _how(session))
        return
    for part in target.strip("/").split("/"):
        if part == "..":
            leave(session, _how(session))
            continue
        spec = level_of(session.level).lookup(part)
        if spec is None or spec.level is None:
            from crmsh_py.shell.didyoumean import hint

            levels = [s.name for s in level_of(session.level).commands if s.level]
            raise CommandError(f"{part}: no such level" + ("" if session.regression else hint(part, levels)))
        enter(session, spec.level)


def _columns(words: list[str], width: int = 80) -> str:
    """Words laid out in columns (like ``ls``)."""
    if not words:
        return ""
    cell = max(len(w) for w in words) + 2
    per_line = max(1, width // cell)
    lines = []
    for i in range(0, len(words), per_line):
        lines.append("".join(w.ljust(cell) for w in words[i:i + per_line]).rstrip())
    return "\n".join(lines)


def do_ls(session: "Session", call: Call) -> None:
    """List the commands of the current level."""
    names = level_of(session.level).names() + [c.name for c in COMMON]
    session.write(_columns(names))


def describe(spec: CommandSpec) -> str:
    """The full help of one command: usage, text, examples."""
    parts = [spec.summary, ""]
    if spec.usage:
        parts += ["Usage:", "    " + spec.usage.replace("\n", "\n    "), ""]
    from crmsh_py.shell.help_topics import arguments_text

    if arguments_text(spec):
        parts += [arguments_text(spec), ""]
    rest = "\n".join(spec.help.strip().splitlines()[1:]).strip()
    if rest:
        parts += [textwrap.fill(p, 79) for p in rest.split("\n\n")] + [""]
    if spec.aliases:
        parts += ["Aliases: " + ", ".join(spec.aliases), ""]
    if spec.examples:
        parts += ["Examples:"] + ["    " + e for e in spec.examples] + [""]
    return "\n".join(parts).rstrip()


def level_overview(path: list[str]) -> str:
    """A level's help text and a table of its commands with their one-line summaries."""
    level = level_of(path)
    lines = [textwrap.fill(level.help.strip(), 79), "", "Commands:"]
    specs = list(level.commands) + COMMON
    width = max(len(s.name) for s in specs) + 2
    for spec in specs:
        lines.append(f"    {spec.name.ljust(width)}{spec.summary}")
    if not path:
        from crmsh_py.shell.help_topics import topics_text

        lines += ["", topics_text()]
    return "\n".join(lines)


def do_help(session: "Session", call: Call) -> None:
    """``help``: this level; ``help CMD``: one command; ``help LEVEL [CMD]``: another level."""
    from crmsh_py.shell.help_topics import find_topic, topic_names, topic_text, topics_text
    from crmsh_py.shell.output import show

    if not call.args:
        show(session, level_overview(session.level))
        return
    topic = call.args[0]
    if topic.lower() == "topics":
        show(session, topics_text())
        return
    spec = resolve(session.level, topic)
    named = find_topic(topic) if spec is None or topic[:1].isupper() else None
    if named is not None:
        show(session, topic_text(named))
        return
    if spec is None and topic in LEVEL_MODULES:
        spec = CommandSpec(name=topic, help=get_level(topic).help, level=topic)
    if spec is None:
        from crmsh_py.shell.didyoumean import hint
        from crmsh_py.shell.registry import all_names

        near = hint(topic, [*all_names(session.level), *LEVEL_MODULES, *topic_names()])
        raise CommandError(f"{topic}: no help for that topic{near or ' (try help)'}")
    if spec.level is not None:
        if len(call.args) > 1:
            sub = get_level(spec.level).lookup(call.args[1])
            if sub is None:
                raise CommandError(f"{call.args[1]}: no such command at level {spec.level}")
            show(session, describe(sub))
            return
        show(session, level_overview([spec.level]))
        return
    show(session, describe(spec))


COMMON: list[CommandSpec] = [
    CommandSpec("help", "Show help (this level, a command, or a level)",
                usage="help [LEVEL|COMMAND] [COMMAND]", handler=do_help, aliases=("?",),
                args=(Arg("topic", "command", optional=True),),
                examples=("help", "help move", "help resource move")),
    CommandSpec("ls", "List the commands of this level", usage="ls", handler=do_ls),
    CommandSpec("cd", "Navigate levels\n\n`cd LEVEL` enters a level, `cd ..` goes up, `cd` alone returns "
                "to the top.", usage="cd [LEVEL|..|/]", handler=do_cd,
                args=(Arg("level", "level", optional=True),), examples=("cd configure", "cd ..")),
    CommandSpec("up", "Go back to the previous level", usage="up", handler=do_up,
                aliases=("end", "..", "back")),
    CommandSpec("quit", "Leave the shell", usage="quit", handler=do_quit, aliases=("exit", "bye")),
]
