"""The user options crmsh 4.4.1 has, with its names, defaults and checks.

Each option has a one-word name (``editor``, ``skill-level``, ...: the session's key, the saved
file's key and, for most, a command of the options level) and crmsh's dotted name
(``core.editor``, ``color.style``) that ``options show`` prints and ``options set`` accepts.  The
checks raise ``CommandError`` with crmsh's wording (``joe not in operator, administrator, expert``).
"""

from __future__ import annotations

import os
import shutil

from crmsh_py.errors import CommandError
from crmsh_py.records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_TRUE = ("yes", "true", "on", "1")
_FALSE = ("no", "false", "off", "0")


def _program(value: str, env: Mapping[str, str]) -> None:
    found = os.access(value, os.X_OK) if os.path.isabs(value) else \
        shutil.which(value.split()[0] if value.split() else value, path=env.get("PATH")) is not None
    if not found:
        raise CommandError(f"{value} does not exist or is not a program")


def _boolean(value: str, env: Mapping[str, str]) -> None:
    if value.lower() not in _TRUE + _FALSE:
        raise CommandError(f"Not a boolean: {value} (try one of: {', '.join(_TRUE + _FALSE)})")


def _choice(*choices: str) -> Callable[[str, Mapping[str, str]], None]:
    def check(value: str, env: Mapping[str, str]) -> None:
        if value not in choices:
            raise CommandError(f"{value} not in {', '.join(choices)}")
    return check


def _multichoice(*choices: str) -> Callable[[str, Mapping[str, str]], None]:
    def check(value: str, env: Mapping[str, str]) -> None:
        for word in value.split(","):
            if word.strip() not in choices:
                raise CommandError(f"{word.strip()} not in {', '.join(choices)}")
    return check


def _output(value: str, env: Mapping[str, str]) -> None:
    """crmsh's styles (``plain``, ``color``, ...) or one of our structured formats."""
    if value in ("text", "json", "yaml"):
        return
    _multichoice("plain", "color-always", "color", "uppercase")(value, env)


def _anything(value: str, env: Mapping[str, str]) -> None:
    return None


def _colorscheme(value: str, env: Mapping[str, str]) -> None:
    from crmsh_py.render.colorize import COLORS, valid_scheme

    if value not in ("auto", "always", "off") and not valid_scheme(value):
        raise CommandError(f"{value}: not auto, always, off or a list of colours ({', '.join(COLORS)})")


@record(frozen=True)
class Option:
    """One user option: its crmsh name, default, check, completions and what it does here."""

    dotted: str
    default: str
    check: Callable[[str, Mapping[str, str]], None]
    choices: tuple[str, ...]
    help: str
    command: bool = True  # has a one-word command at the options level
    hidden: bool = False  # ours only: `options show` never lists it


OPTIONS: dict[str, Option] = {
    "editor": Option("core.editor", "", _program, (), "the program `configure edit` runs"),
    "pager": Option("core.pager", "", _program, (), "the program long output goes through"),
    "user": Option("core.user", "", _anything, (), "run the tools as this user (sudo); empty: yourself"),
    "skill-level": Option("core.skill_level", "expert", _choice("operator", "administrator", "expert"),
                          ("operator", "administrator", "expert"), "which commands are offered"),
    "sort-elements": Option("core.sort_elements", "yes", _boolean, ("yes", "no"),
                            "configure show sorts the elements"),
    "check-frequency": Option("core.check_frequency", "always", _choice("always", "on-verify", "never"),
                              ("always", "on-verify", "never"), "when the configuration is checked"),
    "check-mode": Option("core.check_mode", "strict", _choice("strict", "relaxed"), ("strict", "relaxed"),
                         "strict: problems are errors; relaxed: warnings"),
    "wait": Option("core.wait", "no", _boolean, ("yes", "no"), "wait for the cluster to settle after changes"),
    "add-quotes": Option("core.add_quotes", "yes", _boolean, ("yes", "no"),
                         "quote values with spaces in configure show"),
    "manage-children": Option("core.manage_children", "ask", _choice("ask", "never", "always"),
                              ("ask", "never", "always"),
                              "whether maintenance/manage change a group's children too"),
    "force": Option("core.force", "no", _boolean, ("yes", "no"), "answer yes to every question (-F)",
                    command=False),
    "debug": Option("core.debug", "no", _boolean, ("yes", "no"), "show details of failures (-d)",
                    command=False),
    "output": Option("color.style", "color", _output, ("plain", "color-always", "color", "uppercase", "json", "yaml"),
                     "plain: no colours; color: on a terminal; color-always: always; json, yaml: "
                     "structured output (ours); text: plain text"),
    # crmsh 4.4.1 accepts and ignores a colour list here; ours uses it, and also takes auto/always/off
    "colorscheme": Option("color.colorscheme", "auto", _colorscheme, ("auto", "always", "off"),
                          "auto (colour on a terminal), always, off, or the six colours of configure "
                          "show: keyword,id,attribute name,value,resource reference,score "
                          "(default yellow,normal,cyan,red,green,magenta)", hidden=True),
}
BY_DOTTED: dict[str, str] = {option.dotted: name for name, option in OPTIONS.items()}
# crmsh's main() sets these from its command line on every run, so `options show` lists them
SESSION_SET = ("force", "debug", "wait", "output")


# program options: environment variable and programs tried when unset (crmsh's opt_program)
PROGRAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "editor": ("EDITOR", ("vim", "vi", "emacs", "nano")),
    "pager": ("PAGER", ("less", "more", "pg")),
}


def default_program(name: str, env: Mapping[str, str]) -> str:
    """What an unset editor/pager means, as crmsh resolves it: $EDITOR/$PAGER, else the first
    of the usual programs found on PATH (its full path), else empty."""
    variable, candidates = PROGRAMS[name]
    if env.get(variable):
        return env[variable]
    for program in candidates:
        found = shutil.which(program, path=env.get("PATH"))
        if found:
            return found
    return ""


def option_name(word: str) -> str:
    """The one-word name for ``word`` (one-word, dotted, or with underscores); CommandError if unknown."""
    name = BY_DOTTED.get(word) or word.replace("_", "-")
    if name not in OPTIONS:
        raise CommandError(f"Setting invalid option {word}" if "." in word else f"Unknown option: {word}")
    return name


def check_value(name: str, value: str, env: Mapping[str, str]) -> None:
    """Raise CommandError when ``value`` is not acceptable for option ``name``."""
    OPTIONS[name].check(value, env)


def is_true(value: str) -> bool:
    """crmsh's reading of a boolean option."""
    return value.lower() in _TRUE
