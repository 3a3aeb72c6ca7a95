"""A small option parser with the behaviour of Pacemaker's tools (glib's GOption).

Accepted forms: ``-r X``, ``-rX``, ``--resource X``, ``--resource=X``, grouped flags ``-Ql``,
``--`` ends the options.  Long names must be spelled in full (no prefix matching, like GOption).
Errors print the Pacemaker messages (``crm_attribute: Unknown option --bogus``,
``crm_attribute: Missing argument for -n``) and the tool exits ``CRM_EX_USAGE`` (64).

Usage::

    SPEC = [Opt("r", "resource", arg=True), Opt("Q", "query"), Opt(None, "force")]
    try:
        parsed = parse_options("crm_resource", args, SPEC)
    except UsageError as e:
        return e.report(io)
    parsed.get("resource")        # last value given, or None
    parsed.all("resource")        # every value, in order
    parsed.has("query")           # flag given (any number of times)
    parsed.order                  # [(dest, value)] in command-line order
    parsed.positional             # non-option words
"""

from __future__ import annotations

from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.toolio import ToolIO
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable


class Opt:
    """One option.  ``dest`` defaults to the long name (or the short letter).

    ``arg``: takes a value.  ``optional_arg``: the value may be left out: it is taken when attached
    (``-pX``, ``--long=X``) or from the next word unless that starts with ``-`` (GOption's rule);
    a left-out value reads as ``""``.

    A plain immutable class rather than a record: a tool's table builds dozens of them at import
    (``crm_resource`` 49, in every ``crm resource move``), and a record's first instances are
    built field by field by an interpreted ``__init__``, ten times the cost of this one.
    """

    __slots__ = ("short", "long", "arg", "dest", "optional_arg")
    short: str | None
    long: str | None
    arg: bool
    dest: str | None
    optional_arg: bool

    def __init__(self, short: str | None, long: str | None, arg: bool = False, dest: str | None = None,
                 optional_arg: bool = False) -> None:
        put = object.__setattr__  # __setattr__ refuses: an option table is not edited after it is built
        put(self, "short", short)
        put(self, "long", long)
        put(self, "arg", arg)
        put(self, "dest", dest)
        put(self, "optional_arg", optional_arg)

    def _fields(self) -> tuple[str | None, str | None, bool, str | None, bool]:
        return self.short, self.long, self.arg, self.dest, self.optional_arg

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __eq__(self, other: object) -> bool:
        return type(other) is Opt and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"Opt(short={self.short!r}, long={self.long!r}, arg={self.arg!r}, dest={self.dest!r}, "
                f"optional_arg={self.optional_arg!r})")

    @property
    def key(self) -> str:
        """The name values are stored under."""
        return self.dest or self.long or self.short or "?"


@record
class UsageError(Exception):
    """Bad command line.  ``report(io)`` prints ``tool: text`` and returns ``CRM_EX_USAGE``."""

    tool: str
    text: str

    def __str__(self) -> str:
        return f"{self.tool}: {self.text}"

    def report(self, io: ToolIO) -> int:
        """Print the error on stderr; return the usage exit code."""
        io.err(str(self))
        return exitcodes.CRM_EX_USAGE


@record
class Parsed:
    """The result of :func:`parse_options`."""

    order: list[tuple[str, str | None]] = field(default_factory=list)
    positional: list[str] = field(default_factory=list)

    def has(self, key: str) -> bool:
        """True if the option was given at least once."""
        return any(k == key for k, _ in self.order)

    def get(self, key: str, default: str | None = None) -> str | None:
        """The last value given for ``key`` (``None`` values of flags count as absent)."""
        values = [v for k, v in self.order if k == key and v is not None]
        return values[-1] if values else default

    def all(self, key: str) -> list[str]:
        """Every value given for ``key``, in order."""
        return [v for k, v in self.order if k == key and v is not None]

    def count(self, key: str) -> int:
        """How many times ``key`` was given (for ``-V -V`` style verbosity)."""
        return sum(1 for k, _ in self.order if k == key)

    def first_of(self, keys: list[str]) -> str | None:
        """Which of ``keys`` was given last on the command line (Pacemaker: the last command wins)."""
        found = [k for k, _ in self.order if k in keys]
        return found[-1] if found else None


# What our tools print for --version: Pacemaker's release they follow, and who made them.
VERSION_LINE = "Pacemaker 2.1.5 (crmsh_py)"


def help_or_version(opts: Parsed, io: ToolIO, usage: str | Callable[[], str]) -> int | None:
    """Answer ``--help`` (the usage) or ``--version`` with exit 0; None when neither was asked.
    ``usage`` may be a function making the text: then only a ``--help`` pays for it."""
    if opts.has("help"):
        io.stdout.write(usage if isinstance(usage, str) else usage())
        return 0
    if opts.has("version"):
        io.out(VERSION_LINE)
        return 0
    return None


# Every Pacemaker tool answers these; parse_options adds them to a spec that lacks them.
STANDARD_OPTIONS = [Opt("?", "help"), Opt("$", "version")]


def with_standard_options(spec: list[Opt]) -> list[Opt]:
    """``spec`` plus ``-?/--help`` and ``-$/--version`` where it does not define them itself."""
    keys = {opt.key for opt in spec}
    return spec + [opt for opt in STANDARD_OPTIONS if opt.key not in keys]


def usage_from_spec(tool: str, spec: list[Opt], summary: str) -> str:
    """A ``--help`` text made from the option table itself, so it cannot drift from what parses."""
    lines = [f"{tool} - {summary}", "", "Usage:", f"  {tool} [options]", "", "Options:"]
    for opt in with_standard_options(spec):
        names = ([f"-{opt.short}"] if opt.short else []) + ([f"--{opt.long}"] if opt.long else [])
        value = "=VALUE" if opt.arg else ("[=VALUE]" if opt.optional_arg else "")
        lines.append(f"  {', '.join(names)}{value}")
    return "\n".join(lines) + "\n"


def parse_options(tool: str, args: list[str], spec: list[Opt]) -> Parsed:
    """Parse ``args`` (without the program name) against ``spec`` plus the standard ``--help`` and
    ``--version`` options every tool answers (see :func:`help_or_version`); raise :class:`UsageError`."""
    spec = with_standard_options(spec)
    shorts = {o.short: o for o in spec if o.short}
    longs = {o.long: o for o in spec if o.long}
    parsed = Parsed()
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word == "--":
            parsed.positional.extend(args[i:])
            break
        if word.startswith("--"):
            name, eq, value = word[2:].partition("=")
            opt = longs.get(name)
            if opt is None:
                raise UsageError(tool, f"Unknown option {word}")
            if not opt.arg and not opt.optional_arg:
                if eq:
                    raise UsageError(tool, f"Option --{name} does not take a value")
                parsed.order.append((opt.key, None))
                continue
            if eq:
                parsed.order.append((opt.key, value))
            elif opt.optional_arg:
                if i < len(args) and not args[i].startswith("-"):
                    parsed.order.append((opt.key, args[i]))
                    i += 1
                else:
                    parsed.order.append((opt.key, ""))
            elif i < len(args):
                parsed.order.append((opt.key, args[i]))
                i += 1
            else:
                raise UsageError(tool, f"Missing argument for --{name}")
            continue
        if word.startswith("-") and len(word) > 1:
            i = _parse_short_group(tool, word, args, i, shorts, parsed)
            continue
        parsed.positional.append(word)
    return parsed


def _parse_short_group(tool: str, word: str, args: list[str], i: int,
                       shorts: dict[str, Opt], parsed: Parsed) -> int:
    """Handle ``-abc`` / ``-rX`` / ``-r X``; returns the next index into ``args``."""
    pos = 1
    while pos < len(word):
        letter = word[pos]
        opt = shorts.get(letter)
        if opt is None:
            raise UsageError(tool, f"Unknown option -{letter}")
        pos += 1
        if opt.optional_arg:
            # GOption: an optional argument is attached (-pRSC) or the next word unless that is an option
            rest = word[pos:]
            if not rest and i < len(args) and not args[i].startswith("-"):
                rest = args[i]
                i += 1
            parsed.order.append((opt.key, rest))
            break
        if not opt.arg:
            parsed.order.append((opt.key, None))
            continue
        rest = word[pos:]
        if rest:
            parsed.order.append((opt.key, rest))
        elif i < len(args):
            parsed.order.append((opt.key, args[i]))
            i += 1
        else:
            raise UsageError(tool, f"Missing argument for -{letter}")
        break
    return i
