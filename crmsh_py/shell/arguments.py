"""One parser for every command's arguments, from its :class:`~crmsh_py.shell.registry.CommandSpec`.

A spec's ``args`` say what its words are; :func:`bind` matches the words typed against them and
either returns the values by name or raises ``usage: <the spec's usage>`` (a ``CommandError``, so
a non-zero exit).  Completion asks :func:`next_args` which arguments may come after the words
typed so far, so help, completion and errors all read the same description.

How words meet arguments:

- Required positionals take the words in order, whatever they are (a resource may be called
  ``force``); a ``choice`` must be one of its choices, unless it is ``loose`` (the choices are
  only offered, and the command judges the word with its own message).
- A ``keyword`` argument (``force``, ``empty``) is one of its choices written anywhere after the
  required positionals (twice is once); it is not a positional.
- An optional ``choice`` or ``lifetime`` written before a required positional takes its word
  when it accepts it and enough words follow for the required ones (``save [xml] FILE``).
- Optional positionals take the remaining words: each word goes to the first unfilled optional
  argument that accepts it, those that only accept some words (a ``lifetime``, a ``choice``)
  being asked first, so ``move RSC PT1H node1`` and ``move RSC node1 PT1H`` both read.
- The last argument may repeat: it takes every word left.
"""

from __future__ import annotations

from crmsh_py.errors import CommandError

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from crmsh_py.shell.registry import Arg, CommandSpec

Values = dict[str, "str | list[str] | None"]


def is_lifetime(word: str) -> bool:
    """Whether ``word`` is an ISO 8601 duration as crmsh tells a lifetime from a node name: ``P``,
    number-letter pairs of Y M W D, then optionally ``T`` and at least one pair of H M S (read by
    hand: ``re`` and the ``enum`` it loads would cost every ``crm resource move`` 5 ms)."""
    if word.endswith("\n"):
        word = word[:-1]  # (the expression this replaced ended in ``$``, which allows one)
    if word[:1] != "P":
        return False
    date, has_time, time = word[1:].partition("T")
    return _unit_pairs(date, "YMWD") and (not has_time or (bool(time) and _unit_pairs(time, "HMS")))


def _unit_pairs(text: str, units: str) -> bool:
    """Whether ``text`` is nothing but digits-then-unit pairs, each unit one of ``units``."""
    index, end = 0, len(text)
    while index < end:
        digits_end = index
        while digits_end < end and text[digits_end].isdecimal():
            digits_end += 1
        if digits_end == index or digits_end == end or text[digits_end] not in units:
            return False
        index = digits_end + 1
    return True


# kind → the words an argument of that kind accepts; kinds not listed accept any word
_SELECTIVE: dict[str, Callable[["Arg", str], bool]] = {
    "choice": lambda arg, word: arg.loose or word in arg.choices,
    "keyword": lambda arg, word: word in arg.choices,
    "lifetime": lambda arg, word: is_lifetime(word),
    "number": lambda arg, word: word.isnumeric(),
    "path": lambda arg, word: word.startswith("/"),
}


def _selective(arg: "Arg") -> bool:
    """Whether ``arg`` takes only some words (so it is asked before those that take any)."""
    return arg.kind in _SELECTIVE and not arg.loose


def accepts(arg: "Arg", word: str) -> bool:
    """Whether ``word`` can be the value of ``arg``."""
    test = _SELECTIVE.get(arg.kind)
    return test(arg, word) if test is not None else True


def usage_error(spec: "CommandSpec") -> CommandError:
    """The error for words that do not fit ``spec``: its usage line."""
    return CommandError(f"usage: {spec.usage or spec.name}")


class _Binding:
    """Words assigned to a spec's arguments so far."""

    def __init__(self, args: Sequence["Arg"]) -> None:
        self.positionals = [a for a in args if a.kind != "keyword"]
        self.keywords = [a for a in args if a.kind == "keyword"]
        self.values: Values = {a.name: ([] if a.repeat else None) for a in args}
        self.filled: set[str] = set()

    def _required_left(self) -> "Arg | None":
        for arg in self.positionals:
            if not arg.optional and arg.name not in self.filled:
                return arg
        return None

    def _put(self, arg: "Arg", word: str) -> None:
        if arg.repeat:
            listed = self.values[arg.name]
            assert isinstance(listed, list)
            listed.append(word)
        else:
            self.values[arg.name] = word
        self.filled.add(arg.name)

    def _open(self, arg: "Arg") -> bool:
        return arg.repeat or arg.name not in self.filled

    def _required_count(self) -> int:
        return sum(1 for a in self.positionals if not a.optional and a.name not in self.filled)

    def take(self, word: str, left: int) -> bool:
        """Assign ``word`` to an argument (``left`` words follow it); False when none takes it."""
        first = next((a for a in self.positionals if self._open(a)), None)
        if first is not None and first.optional and _selective(first) and accepts(first, word) \
                and left >= self._required_count():  # a leading option (``save xml FILE``)
            self._put(first, word)
            return True
        required = self._required_left()
        if required is not None:
            if not accepts(required, word):
                return False
            self._put(required, word)
            return True
        for keyword in self.keywords:
            if word in keyword.choices:  # said twice, it is said once (``force force``)
                if keyword.name not in self.filled:
                    self._put(keyword, word)
                return True
        open_ones = [a for a in self.positionals if self._open(a)]
        # the selective ones first (a lifetime is not a node), then in order
        for arg in sorted(open_ones, key=lambda a: not _selective(a)):
            if accepts(arg, word):
                self._put(arg, word)
                return True
        return False

    def skip(self) -> None:
        """Let a word that fits nowhere stand for the next open positional."""
        slot = self._required_left() or next((a for a in self.positionals if self._open(a)), None)
        if slot is not None:
            self.filled.add(slot.name)

    def missing(self) -> bool:
        """Whether a required argument has no word."""
        return self._required_left() is not None

    def following(self) -> list["Arg"]:
        """The arguments a next word may be: the next required one alone, else the first open
        optional positional, with the keywords not yet given."""
        required = self._required_left()
        if required is not None:
            return [required]
        open_ones = [a for a in self.positionals if self._open(a)]
        keywords = [k for k in self.keywords if k.name not in self.filled]
        return open_ones[:1] + keywords


def bind(spec: "CommandSpec", words: Sequence[str]) -> Values:
    """The values of ``spec``'s arguments in ``words`` (a repeated one as a list), or the usage error."""
    binding = _Binding(spec.args)
    for index, word in enumerate(words):
        if not binding.take(word, len(words) - index - 1):
            raise usage_error(spec)
    if binding.missing():
        raise usage_error(spec)
    return binding.values


def next_args(spec: "CommandSpec", words: Sequence[str]) -> list["Arg"]:
    """The arguments the word after ``words`` may be (for completion).  Completion is lenient
    where :func:`bind` is not: a word that fits nowhere (a typo, a word not yet offered) still
    takes the next positional's place, so the words after it are offered all the same."""
    binding = _Binding(spec.args)
    for word in words:
        if not binding.take(word, len(spec.args)):  # more words may follow: as many as it takes
            binding.skip()
    return binding.following()
