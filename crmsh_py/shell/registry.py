"""The command registry: one :class:`CommandSpec` per command feeds dispatch, completion and help.

Levels are loaded lazily (``get_level("resource")`` imports ``crmsh_py.shell.levels.resource``) so
that a one-shot pays only for the level it uses.
"""

from __future__ import annotations

import sys

from crmsh_py.errors import CommandError
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from types import ModuleType

    from crmsh_py.session import Session


def import_module(name: str) -> ModuleType:
    """The module ``name`` (absolute), imported by the interpreter's own import statement machinery:
    ``importlib.import_module`` would load the ``importlib`` package (and its imports) into every
    one-shot for this one call, and ``-X importtime`` would not show what it imports."""
    __import__(name)
    return sys.modules[name]


@record(frozen=True)
class Arg:
    """One argument of a command, for completion and usage.

    ``kind`` names a completer: ``resource``, ``resource-stopped``, ``resource-running``, ``node``,
    ``ra-class``, ``agent``, ``ra-type``, ``shadow``, ``property``, ``element``, ``meta-name``,
    ``meta-value`` (the values of the meta attribute named by the word before), ``choice``
    (``choices``), ``keyword`` (one of ``choices`` anywhere after the required arguments, like
    ``force``), ``lifetime`` (an ISO 8601 duration), ``number`` (digits), ``path`` (an absolute
    path), ``level``, ``command``, ``file``, ``word`` (no suggestions).  :mod:`crmsh_py.shell.arguments` says how words meet arguments.
    """

    name: str
    kind: str = "word"
    optional: bool = False
    repeat: bool = False
    choices: tuple[str, ...] = ()
    loose: bool = False  # the choices are what completion offers; the command checks the word itself


@record(frozen=True)
class Call:
    """What a handler receives: the words after the command name, the command's raw text, the
    name it was called by, and (for a spec with ``parse_args``) the words bound to its arguments
    by name (a repeated argument as a list, an absent optional one as None or ``[]``)."""

    args: list[str]
    text: str
    name: str
    values: dict[str, "str | list[str] | None"] = field(default_factory=dict)
    usage: str = ""

    def value(self, name: str) -> str | None:
        """The word bound to the argument ``name`` (None when absent)."""
        found = self.values.get(name)
        assert not isinstance(found, list), f"{name} repeats: use values_of"
        return found

    def values_of(self, name: str) -> list[str]:
        """The words bound to the repeated argument ``name``."""
        found = self.values.get(name)
        return found if isinstance(found, list) else ([] if found is None else [found])

    def bad_usage(self) -> CommandError:
        """The error for words the argument list accepts but the command does not (``param RSC
        set NAME`` without a value): the same usage line as every other misuse."""
        return CommandError(f"usage: {self.usage or self.name}")


if TYPE_CHECKING:
    from collections.abc import Callable

    Handler = Callable[["Session", Call], None]


def lazy(module: str, name: str) -> Handler:
    """The handler ``name`` of ``module``, imported when the command first runs: a level's table
    names all its commands, a one-shot runs one of them."""

    def handler(session: "Session", call: Call) -> None:
        function: Handler = getattr(import_module(module), name)
        function(session, call)

    handler.__name__ = handler.__qualname__ = name
    handler.__doc__ = f"{module}.{name}, imported on first use."
    return handler


@record(frozen=True)
class CommandSpec:
    """A shell command.  ``level`` set: the word enters that level (then ``handler`` is None).

    ``raw``: the handler parses ``Call.text`` itself (configure element commands), and completion
    uses ``complete`` (a function of the words so far) instead of ``args``.
    ``parse_args``: ``args`` describe every word the command takes, so the dispatcher checks the
    words against them (:func:`crmsh_py.shell.arguments.bind`) before the handler runs, and a
    misuse gets ``usage: USAGE``.
    """

    name: str
    help: str
    usage: str = ""
    handler: Handler | None = None
    aliases: tuple[str, ...] = ()
    args: tuple[Arg, ...] = ()
    examples: tuple[str, ...] = ()
    level: str | None = None
    raw: bool = False
    complete: Callable[..., list[str]] | None = None
    parse_args: bool = False
    hidden: bool = False  # crmsh's regression-test commands (_test, _regtest, ...): no help, no completion

    @property
    def names(self) -> tuple[str, ...]:
        """The name and its aliases."""
        return (self.name, *self.aliases)

    @property
    def summary(self) -> str:
        """The first line of the help text."""
        return self.help.strip().splitlines()[0] if self.help.strip() else ""


@record
class Level:
    """A level: its commands plus enter/leave hooks (configure takes and settles its working copy)."""

    name: str
    help: str
    commands: list[CommandSpec]
    on_enter: Callable[["Session"], None] | None = None
    on_leave: Callable[["Session", str], None] | None = None
    _index: dict[str, CommandSpec] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for spec in self.commands:
            for name in spec.names:
                self._index[name] = spec

    def lookup(self, word: str) -> CommandSpec | None:
        """The command called ``word`` (name or alias) at this level, or None."""
        return self._index.get(word)

    def names(self) -> list[str]:
        """All command names (not aliases, not hidden ones), in registration order."""
        return [spec.name for spec in self.commands if not spec.hidden]


# level name -> module defining ``LEVEL``
LEVEL_MODULES: dict[str, str] = {
    "root": "crmsh_py.shell.levels.root",
    "configure": "crmsh_py.shell.levels.configure",
    "resource": "crmsh_py.shell.levels.resource",
    "node": "crmsh_py.shell.levels.node",
    "site": "crmsh_py.shell.levels.site",
    "ra": "crmsh_py.shell.levels.ra",
    "cib": "crmsh_py.shell.levels.cib",
    "cluster": "crmsh_py.shell.levels.cluster",
    "options": "crmsh_py.shell.levels.options",
    "maintenance": "crmsh_py.shell.levels.maintenance",
    "history": "crmsh_py.shell.levels.history",
    "cibstatus": "crmsh_py.shell.levels.cibstatus",
    "template": "crmsh_py.shell.levels.template",
}
# the module defining ``COMMON``, the commands of every level; loaded by name like the levels, as
# it is a command module too (it enters and leaves levels through the dispatcher)
COMMON_MODULE = "crmsh_py.shell.common"


def get_level(name: str) -> Level:
    """The level called ``name`` (imports its module the first time; sys.modules keeps it)."""
    module = import_module(LEVEL_MODULES[name])
    level: Level = module.LEVEL
    return level


def level_of(path: list[str]) -> Level:
    """The level at the end of a level path (``[]`` is root)."""
    return get_level(path[-1] if path else "root")


def common_commands() -> list[CommandSpec]:
    """Commands every level has (navigation, help, quit)."""
    common: list[CommandSpec] = import_module(COMMON_MODULE).COMMON
    return common


# The levels the root level's table enters by name (crmsh_py.shell.levels.root lists each with its
# help; tests/shell/test_registry_root_levels.py keeps the two in step).  Dispatching a one-shot
# such as ``crm resource move ...`` only needs to know that its first word enters a level, not the
# root level's whole table (help and completion read the table).
ROOT_LEVELS = frozenset({"configure", "resource", "node", "site", "ra", "cib", "cluster", "options",
                         "maintenance", "history", "cibstatus"})


def resolve_for_dispatch(path: list[str], word: str) -> CommandSpec | None:
    """:func:`resolve` as the dispatcher needs it: a level word at the root is known to enter its
    level without loading the root level's table (the spec returned has no help text)."""
    if not path and word in ROOT_LEVELS:
        return _entering(word)
    return resolve(path, word)


def _entering(name: str) -> CommandSpec:
    return CommandSpec(name, "", level=name)


def resolve(path: list[str], word: str) -> CommandSpec | None:
    """Look ``word`` up at the level ``path``: the level's own commands, then the common ones."""
    spec = level_of(path).lookup(word)
    if spec is not None:
        return spec
    for common in common_commands():
        if word in common.names:
            return common
    return None


# crmsh's deprecated aliases: using one prints its deprecation warning (level, alias) → name
DEPRECATED_ALIASES: dict[tuple[str, str], str] = {
    ("configure", "master"): "ms",
    ("configure", "collocation"): "colocation",
    ("configure", "rm"): "delete",
    ("configure", "default_timeouts"): "default-timeouts",
    ("resource", "migrate"): "move",
    ("resource", "unmigrate"): "clear",
    ("resource", "unmove"): "clear",
    ("resource", "unban"): "clear",
    ("resource", "show"): "status",
    ("resource", "list"): "status",
    ("resource", "reprobe"): "refresh",
    ("node", "list"): "show",
    ("ra", "meta"): "info",
    ("options", "list"): "show",
    **{("options", name.replace("-", "_")): name for name in (
        "skill-level", "check-frequency", "check-mode", "sort-elements", "add-quotes", "manage-children")},
    ("history", "timeframe"): "limit",
}


def fuzzy_resolve(path: list[str], word: str) -> CommandSpec | None:
    """crmsh's typo acceptance: the one command whose name starts with ``word``, else the one whose
    name holds ``word``'s letters in order (``primtive`` → ``primitive``); None when not unique."""
    import re

    specs = [*level_of(path).commands, *common_commands()]
    names = {n: spec for spec in specs if not spec.hidden for n in spec.names}
    for pattern in (re.escape(word) + ".*", ".*".join(re.escape(c) for c in word) + ".*"):
        rx = re.compile(pattern, re.I)
        found = {id(spec): spec for n, spec in names.items() if rx.match(n)}
        if len(found) == 1:
            return next(iter(found.values()))
    return None


def all_names(path: list[str]) -> list[str]:
    """Every command name and alias usable at ``path`` (for completion), sorted, without duplicates."""
    names = {n for spec in level_of(path).commands if not spec.hidden for n in spec.names}
    names.update(n for spec in common_commands() for n in spec.names)
    return sorted(names)
