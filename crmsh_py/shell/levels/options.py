"""The options level: user preferences as crmsh 4.4.1 has them, saved as YAML in the user's config dir.

``options pager less``, ``options skill-level operator``, ... set one option each (crmsh's
one-word forms); ``set OPTION VALUE`` takes either name (``set core.pager less`` or ``set pager
less``).  ``show`` lists the options configured for this session as crmsh does
(``core.pager = less``), ``show all`` every option, ``show NAME`` those whose name starts or ends
with NAME.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.session import DEFAULT_OPTIONS, load_options, save_options
from crmsh_py.shell.levels.options_table import (OPTIONS, PROGRAMS, SESSION_SET, check_value, default_program,
                                                 is_true, option_name)
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from collections.abc import Callable
    from crmsh_py.session import Session


STARTUP = "@startup"  # marks "the flags recorded at start-up are still listed" (until reset)


def configured(session: "Session") -> set[str]:
    """Options set for this session: the saved ones and those set since (``STARTUP`` stands for
    the flags crmsh records at start-up: force, debug, wait, output).  The first call also reads
    force/debug/wait as crmsh's start-up does: ``true`` or ``false``."""
    if session.configured_options is None:
        saved = set(load_options(session.env)) & set(OPTIONS)
        session.configured_options = {STARTUP} | saved
        for name in ("force", "debug", "wait"):
            session.options[name] = "true" if is_true(session.options.get(name, "no")) else "false"
    return session.configured_options


def listed(session: "Session") -> list[str]:
    """The options plain ``show`` lists, in table order (never the hidden ones)."""
    names = configured(session)
    return [n for n, o in OPTIONS.items() if not o.hidden
            and (n in names or (STARTUP in names and n in SESSION_SET))]


def shown_value(session: "Session", name: str) -> str:
    """The value as crmsh prints it (an unset editor or pager is the program it would run)."""
    value = session.options.get(name, DEFAULT_OPTIONS.get(name, ""))
    if name in PROGRAMS and not value:
        value = default_program(name, session.env)
    return value


def set_option(session: "Session", name: str, value: str) -> None:
    """Check and set one option for this session (``save`` keeps it)."""
    check_value(name, value, session.env)
    names = configured(session)
    session.options[name] = value
    names.add(name)
    if name == "wait":
        session.wait = is_true(value)
    elif name == "force":
        session.force = is_true(value)


def do_show(session: "Session", call: Call) -> None:
    """``show [all|OPTION]``: ``section.key = value`` lines."""
    word = call.value("option")
    if word is None:
        names = listed(session)
    elif word == "all":
        names = [n for n, o in OPTIONS.items() if not o.hidden]
    else:
        names = [n for n, o in OPTIONS.items() if not o.hidden
                 and (o.dotted.startswith(word) or o.dotted.endswith(word) or n == word)]
    # crmsh pages the text with a final newline of its own: an empty line ends the list
    session.out.write("".join(f"{OPTIONS[name].dotted} = {shown_value(session, name)}\n" for name in names) + "\n")


def do_set(session: "Session", call: Call) -> None:
    """``set OPTION VALUE`` (crmsh's ``core.pager`` or the one-word ``pager``)."""
    option, value = call.value("option"), call.value("value")
    assert option is not None and value is not None
    set_option(session, option_name(option), value)


def _one_word(name: str) -> Callable[["Session", Call], None]:
    """``NAME VALUE``: crmsh's one-word form of ``set`` (``user`` alone clears the user)."""

    def handler(session: "Session", call: Call) -> None:
        set_option(session, name, call.value("value") or "")

    return handler


def do_reset(session: "Session", call: Call) -> None:
    """``reset``: every option back to its default (as crmsh); ``reset OPTION ...``: only those."""
    names = [option_name(w) for w in call.args] or list(OPTIONS)
    for name in names:
        session.options[name] = DEFAULT_OPTIONS[name]
        configured(session).discard(name)
    if not call.args:
        configured(session).discard(STARTUP)


def save(session: "Session") -> str:
    """Write the options set for this session (not the start-up flags) to the options file."""
    keep = {k: session.options.get(k, "") for k in OPTIONS if k in configured(session)}
    return save_options(session.env, keep)


def do_save(session: "Session", call: Call) -> None:
    """Save the configured options to the options file."""
    session.info(f"options saved to {save(session)}")


def on_leave(session: "Session", how: str) -> None:
    """A one-shot (``crm options pager less``) keeps what it set, as crmsh saves on its way out;
    command-line flags (-F, -w, -d) are never saved (crmsh saves them too, making -F sticky)."""
    if how != "oneshot" or session.configured_options is None:
        return
    keep = {k: session.options.get(k, "") for k in OPTIONS if k in session.configured_options}
    if keep and keep != {k: v for k, v in load_options(session.env).items() if k in OPTIONS}:
        save(session)


_EXAMPLE = {"editor": "vim", "pager": "less", "user": "hacluster"}


def _commands() -> list[CommandSpec]:
    names = tuple(OPTIONS)
    dotted = tuple(o.dotted for o in OPTIONS.values() if not o.hidden)
    specs = [
        CommandSpec("show", "Show option values\n\nWithout an argument the options set for this session "
                    "(saved, given, or recorded from -F/-d/-w), as crmsh prints them (`core.pager = less`); "
                    "`all`: every option; a name: the options whose crmsh name starts or ends with it.",
                    usage="show [all | OPTION]", handler=do_show, aliases=("list",), parse_args=True,
                    args=(Arg("option", "choice", optional=True, choices=("all", *dotted), loose=True),),
                    examples=("show", "show all", "show pager")),
        CommandSpec("set", "Set an option for this session\n\nOPTION is crmsh's name (`core.editor`) or "
                    "the one-word one (`editor`).", usage="set OPTION VALUE", handler=do_set, parse_args=True,
                    args=(Arg("option", "choice", choices=dotted, loose=True), Arg("value")),
                    examples=("set core.editor vim", "set manage-children always")),
        CommandSpec("reset", "Reset options to their defaults", usage="reset [OPTION ...]", handler=do_reset,
                    args=(Arg("option", "choice", optional=True, repeat=True, choices=names, loose=True),),
                    parse_args=True,
                    examples=("reset", "reset editor")),
        CommandSpec("save", "Save the options to the user's config file", usage="save", handler=do_save,
                    examples=("save",)),
    ]
    for name, option in OPTIONS.items():
        if not option.command:
            continue
        aliases = (name.replace("-", "_"),) if "-" in name else ()
        # the value's own check (check_value) says what is wrong with it: the choices are offered only
        value_arg = Arg("value", "choice", optional=name == "user", choices=option.choices, loose=True) \
            if option.choices else Arg("value", optional=name == "user")
        specs.append(CommandSpec(name, f"Set {option.dotted}: {option.help}", usage=f"{name} <value>",
                                 handler=_one_word(name), aliases=aliases, args=(value_arg,), parse_args=True,
                                 examples=(f"{name} {option.choices[0] if option.choices else _EXAMPLE[name]}",)))
    return specs


LEVEL = Level(
    name="options",
    help="User preferences, with crmsh's names: editor, pager, skill level, element sorting, check "
         "frequency and mode, wait, quoting, what maintenance does to a group's children, output "
         "style.  `save` writes them to $XDG_CONFIG_HOME/crmsh_py/options.yaml.",
    commands=_commands(),
    on_leave=on_leave,
)
