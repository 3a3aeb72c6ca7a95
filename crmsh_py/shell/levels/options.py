"""The options level: user preferences, saved as YAML in the user's config dir."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.session import DEFAULT_OPTIONS
from crmsh_py.shell.levels.options_store import save_options
from crmsh_py.shell.registry import Arg, Call, CommandSpec, Level

if TYPE_CHECKING:
    from crmsh_py.session import Session

# option → allowed values (empty: any text)
CHOICES: dict[str, tuple[str, ...]] = {
    "editor": (),
    "pager": (),
    "colorscheme": ("auto", "always", "off"),
    "output": ("text", "color", "plain", "json", "yaml"),
    "skill-level": ("operator", "administrator", "expert"),
    "sort-elements": ("yes", "no"),
    "wait": ("yes", "no"),
}


def do_show(session: "Session", call: Call) -> None:
    """``show [OPTION]``: current values."""
    names = call.args or sorted(CHOICES)
    for name in names:
        if name not in CHOICES:
            raise CommandError(f"{name}: no such option ({', '.join(sorted(CHOICES))})")
        session.write(f'{name} "{session.options.get(name, "")}"')


def do_set(session: "Session", call: Call) -> None:
    """``set OPTION VALUE`` for this session (``save`` keeps it)."""
    if len(call.args) != 2:
        raise CommandError("usage: set OPTION VALUE")
    name, value = call.args
    if name not in CHOICES:
        raise CommandError(f"{name}: no such option ({', '.join(sorted(CHOICES))})")
    if CHOICES[name] and value not in CHOICES[name]:
        raise CommandError(f"{name}: {value} is not one of {', '.join(CHOICES[name])}")
    session.options[name] = value
    if name == "wait":
        session.wait = value == "yes"


def do_reset(session: "Session", call: Call) -> None:
    """``reset [OPTION]``: back to the default."""
    for name in call.args or sorted(CHOICES):
        if name not in CHOICES:
            raise CommandError(f"{name}: no such option")
        session.options[name] = DEFAULT_OPTIONS[name]


def do_save(session: "Session", call: Call) -> None:
    """Save the current options to the options file."""
    path = save_options(session.env, {k: session.options.get(k, "") for k in CHOICES})
    session.info(f"options saved to {path}")


OPTION = Arg("option", "choice", choices=tuple(sorted(CHOICES)))

LEVEL = Level(
    name="options",
    help="User preferences: editor, pager, colour scheme, output format, skill level, element "
         "sorting, wait.  `save` writes them to $XDG_CONFIG_HOME/crmsh_py/options.yaml.",
    commands=[
        CommandSpec("show", "Show option values", usage="show [OPTION ...]", handler=do_show,
                    args=(Arg("option", "choice", optional=True, repeat=True, choices=tuple(sorted(CHOICES))),),
                    examples=("show", "show editor")),
        CommandSpec("set", "Set an option for this session", usage="set OPTION VALUE", handler=do_set,
                    args=(OPTION, Arg("value")), examples=("set editor vim", "set colorscheme off")),
        CommandSpec("reset", "Reset options to their defaults", usage="reset [OPTION ...]", handler=do_reset,
                    args=(Arg("option", "choice", optional=True, repeat=True, choices=tuple(sorted(CHOICES))),),
                    examples=("reset", "reset editor")),
        CommandSpec("save", "Save the options to the user's config file", usage="save", handler=do_save,
                    examples=("save",)),
    ],
)
