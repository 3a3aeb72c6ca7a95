"""Help topics beside the commands' own help: ``help Introduction``, ``help Syntax``, ``help Reference``...

The prose topics are short texts of ours; ``Syntax`` and ``Reference`` are generated from the
command specs (the same ones dispatch and completion use), so they cannot drift from the shell.
"""

from __future__ import annotations

import textwrap

from crmsh_py.shell.registry import LEVEL_MODULES, CommandSpec, get_level

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

INTRODUCTION = """\
crm is a shell for Pacemaker clusters.  Commands are grouped in levels: `resource` to start, stop
and move resources, `node` for standby and maintenance of nodes, `configure` to edit the cluster
configuration (the CIB), `ra` to look up resource agents, `cib` for shadow CIBs to try changes on,
`options` for your preferences.

Type a level name to enter it (the prompt shows where you are, `crm(live)configure#`), `up` or
Ctrl-D to go back, `quit` to leave.  A level name followed by a command runs that one command
without entering the level: `resource move web srv02`.  The same words work from the system
shell as a one-shot (`crm resource move web srv02`) or in a file (`crm -f FILE`).

Without a Pacemaker cluster, crm drives its bundled cluster engine: simulated nodes running real
resource agents.  With `CIB_file` set or on a cluster node, it drives Pacemaker through its own
tools.  `-R` shows every low-level command crm runs (`.EXT crm_resource ...`).

See also: help Interface, help Syntax, help Completion, help Shadows, help Reference."""

INTERFACE = """\
Every level has `help`, `ls`, `cd`, `up` and `quit`.  Commands may be abbreviated as long as the
abbreviation is unambiguous (`conf` for `configure`), and a close misspelling is accepted and
named (`"primtive" is accepted as "primitive"`).  A name that does not exist gets a suggestion:
`Resource not found: dumy (did you mean "dummy"?)`.

Long output (help, `configure show`, `status`, `ra info`) goes through the pager on a terminal:
`options pager`, else $PAGER, else `less -R`.  Output is coloured on a terminal as crmsh colours
it; `NO_COLOR` or `options output plain` turn colour off, and piped output is always plain.
`options colorscheme` sets the six colours of `configure show` (keyword, id, attribute name,
value, resource reference, score), e.g. `options colorscheme yellow,normal,cyan,red,green,magenta`.

A line ending in a backslash continues on the next one.  Ctrl-C drops the line being typed."""

COMPLETION = """\
Tab completes commands, levels, resource ids (only stopped ones for `start`, running ones for
`stop` and `move`), node names, agents (`ocf:heartbeat:` then the agent), agent parameters (shown
with their default or `(required)`), the operations the agent has with its default interval and
timeout, meta attributes and their values (`target-role=Started`), constraint scores, rule
expressions inside `location ... rule`, and resource sets.  From bash, `crm --compgen` serves the
same completions."""

SHADOWS = """\
A shadow CIB is a copy of the configuration to try changes on: `cib new test` creates one and
switches to it (the prompt says `crm(test)#`), changes go there, `cib diff` shows them against
the live CIB, `cib commit test` applies them, `cib use live` goes back.  `configure simulate`
shows what the cluster would do."""

RULE_EXPRESSIONS = """\
A rule decides when a location constraint or an attribute set applies:
    location ID RSC rule [SCORE:] EXPRESSION [and|or EXPRESSION]...
An expression compares a node attribute: `#uname eq srv01`, `pingd lt 5`, `number:load gt 2`,
tests one for presence: `defined pingd`, `not_defined pingd`, or a date: `date gt 2026-01-01`,
`date in start=2026-01-01 end=2026-12-31`, `date spec hours=9-17 weekdays=1-5`.
Example:  location l1 web rule -inf: not_defined pingd or pingd lte 0"""

RESOURCE_SETS = """\
colocation and order constraints take sets of resources: resources in ( ) do not depend on each
other, [ ] marks a set that need not all be active; options such as `sequential=false`,
`require-all=false`, `action=start`, `role=Promoted` follow the resources.
Example:  order o1 Mandatory: ( d1 d2 ) d3"""

LIFETIME = """\
`resource move` and `resource ban` take an optional lifetime, an ISO 8601 duration such as PT1H
(one hour), P1D (one day) or PT30M; the constraint expires after it."""


def syntax() -> str:
    """The configuration language: every element command's usage and an example, from its spec."""
    lines = ["The configure level's element commands (one element a line; a trailing backslash",
             "continues it).  `help configure CMD` tells more about one.", ""]
    for spec in get_level("configure").commands:
        if spec.raw and not spec.hidden:
            lines.append(f"  {spec.usage}")
            lines += [f"      e.g. {e}" for e in spec.examples[:1]]
    lines += ["", "See also: help RuleExpressions, help Resourcesets."]
    return "\n".join(lines)


def reference() -> str:
    """Every level and every command, with usage and examples, from the specs."""
    parts: list[str] = []
    for name in ["root", *sorted(n for n in LEVEL_MODULES if n != "root")]:
        level = get_level(name)
        parts += ["=" * 79, f"Level {name}: " + textwrap.fill(level.help.strip(), 79 - 8 - len(name)), ""]
        for spec in level.commands:
            if not spec.hidden and spec.level is None:
                parts += [f"--- {name} {spec.name}".rstrip(), describe(spec), ""]
    return "\n".join(parts).rstrip()


TOPICS: dict[str, tuple[str, Callable[[], str]]] = {
    "Introduction": ("What crm is and how to find your way", lambda: INTRODUCTION),
    "Interface": ("Levels, abbreviations, typos, pager and colours", lambda: INTERFACE),
    "Completion": ("What Tab completes", lambda: COMPLETION),
    "Syntax": ("The configuration language, element by element", syntax),
    "RuleExpressions": ("Syntax: rule expressions", lambda: RULE_EXPRESSIONS),
    "Resourcesets": ("Syntax: resource sets", lambda: RESOURCE_SETS),
    "Shadows": ("Shadow CIBs: trying changes safely", lambda: SHADOWS),
    "Lifetime": ("The lifetime of move and ban constraints", lambda: LIFETIME),
    "Reference": ("Every command of every level, with usage and examples", reference),
}


def topic_names() -> list[str]:
    """The topics, in the order ``help Topics`` lists them."""
    return list(TOPICS)


def find_topic(word: str) -> str | None:
    """The topic ``word`` names (case-insensitive; an unambiguous prefix will do), or None."""
    lowered = word.lower()
    exact = [t for t in TOPICS if t.lower() == lowered]
    if exact:
        return exact[0]
    starts = [t for t in TOPICS if t.lower().startswith(lowered)]
    return starts[0] if len(starts) == 1 else None


def topics_text() -> str:
    """The list of topics with their summaries."""
    width = max(len(t) for t in TOPICS) + 2
    return "Topics (help TOPIC):\n" + "\n".join(f"    {t.ljust(width)}{s}" for t, (s, _) in TOPICS.items())


def topic_text(name: str) -> str:
    """The text of topic ``name`` (a key of :data:`TOPICS`)."""
    return TOPICS[name][1]()


def arguments_text(spec: CommandSpec) -> str:
    """The arguments section of ``help CMD``, from the spec's args: what each is and its choices."""
    if not spec.args:
        return ""
    kinds = {"resource": "a resource id", "resource-stopped": "a stopped resource",
             "resource-running": "a running resource", "node": "a node name", "agent": "an agent",
             "ra-class": "an agent class", "ra-provider": "an OCF provider", "ra-type": "an agent type",
             "shadow": "a shadow CIB", "property": "a cluster property", "element": "an element id",
             "level": "a level", "command": "a command or level", "file": "a file name",
             "meta-name": "a meta attribute (target-role, is-managed, ...)", "meta-value": "its value",
             "lifetime": "an ISO 8601 duration (PT1H, P1D)"}
    lines = ["Arguments:"]
    for arg in spec.args:
        what = ("one of: " + ", ".join(arg.choices)) if arg.choices else kinds.get(arg.kind, "a word")
        optional = arg.optional or arg.kind == "keyword"  # a keyword is given or not
        flags = [w for w, on in (("optional", optional), ("repeatable", arg.repeat)) if on]
        lines.append(f"    {arg.name.upper():<12}{what}" + (f" ({', '.join(flags)})" if flags else ""))
    return "\n".join(lines)


def describe(spec: CommandSpec) -> str:
    """The full help of one command: usage, text, examples."""
    parts = [spec.summary, ""]
    if spec.usage:
        parts += ["Usage:", "    " + spec.usage.replace("\n", "\n    "), ""]
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
