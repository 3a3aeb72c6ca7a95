"""The LALR tables of the crm grammar, compiled into the form the parse loop reads fastest.

Lark builds the tables from ``crmsh_py/grammar/crm.lark``; :func:`tables` turns them into one list of
rows, one row per state, mapping a symbol to either an ``int`` (shift or goto: the next state) or a
:class:`Reduce`.  Each reduction carries a small opcode that tells the loop how to build its value,
so that the common cases (``?rule`` pass-through, growing an ``x*`` list by one item, a transformer
method whose children need no flattening) cost no function call and no list copy.

The compiled rows are kept on disk (``$XDG_CACHE_HOME/crmsh_py/crm-grammar.tables``, marshal) with
the grammar text and this module's source they were built from: a parse reads them back and binds
the transformer's methods by name, without importing lark at all (its import is most of a parsing
one-shot's start-up).  Any edit to the grammar or to this builder makes the stored rows unequal to
what they must be built from, and they are rebuilt: they cannot go stale.
"""

from __future__ import annotations

import marshal
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from crmsh_py import paths
from crmsh_py.lang.lexing import Word
from crmsh_py.lang.transform import CrmTransformer
from crmsh_py.records import record

if TYPE_CHECKING:
    from lark import Lark

GRAMMAR_PATH = Path(__file__).resolve().parent.parent / "grammar" / "crm.lark"
TABLES_FORMAT = 1  # of the stored rows (see _store); part of what they are checked against

# Reduction opcodes (see the parse loop in crmsh_py.lang.parser).
PASS = 0  # `?rule` with one child: the value stays, only the state changes
APPEND = 1  # left-recursive helper `x* x`: append the new item to the list below it
CALL = 2  # a callback on the children as they are on the stack
GENERIC = 3  # a callback on the children (flattening/splicing inside the callback)
WRAP = 6  # first item of a helper list `x*: x`: the value becomes a one-item list
DROP = 7  # `x*: x* _NL`: punctuation after a list, dropped
APPEND_AT = 8  # APPEND where punctuation follows the item (`x*: x* statement _NL`); callback = offset
WRAP_AT = 9  # WRAP where punctuation follows the item (`x*: statement _NL`); callback = offset
# Shortcuts for a shifted word (see _shortcut):
LOOP = 4  # the word is the next item of the list on top of the stack; the state stays
NEW = 5  # the word starts a new list; the state becomes the entry's first field

Callback = Callable[[list[Any]], Any]
Reduce = tuple[int, str, int, Callback | None]  # (size, rule name, opcode, callback)
# How a reduction's callback is made, as plain data that marshal stores: None; an int (the item's
# offset, APPEND_AT/WRAP_AT); ("splice",); ("call", method); ("tail"|"mid", method, at); ("flat", method)
Recipe = Any
Planned = tuple[int, str, int, Recipe]  # a Reduce before its callback is bound


class Splice(list):  # type: ignore[type-arg]
    """Children of a helper rule (``x*``, ``x+``, ``_rule``), spliced into the parent's children."""


def flatten(children: list[Any]) -> list[Any]:
    """Children with helper-rule lists spliced in and punctuation terminals (``_NL``) dropped."""
    out: list[Any] = []
    for child in children:
        if type(child) is Splice:
            out.extend(child)
        elif isinstance(child, Word) and child.type[0] == "_":  # type: ignore[index]  # parsed: typed
            continue
        else:
            out.append(child)
    return out


def _splice(children: list[Any]) -> Splice:
    if children and type(children[0]) is Splice:
        # `x*` is left-recursive: grow the list in place instead of copying it (linear time).
        head: Splice = children[0]
        head.extend(flatten(children[1:]))
        return head
    return Splice(flatten(children))


@record(frozen=True)
class ParseTables:
    """Compiled tables: ``rows[state][symbol]`` is the next state (int) or a reduction tuple."""

    rows: list[dict[str, int | Reduce]]
    start_state: int
    end_state: int


def _cache_dir() -> str | None:
    """The XDG cache dir for the tables, or None when it cannot be written."""
    directory = paths.user_dir(os.environ, "cache")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    return directory if os.access(directory, os.W_OK) else None


def lark_parser() -> "Lark":
    """The Lark LALR parser (its own tables come from Lark's cache when possible): imported and
    built only when the compiled rows must be (re)built."""
    from lark import Lark

    from crmsh_py.lang.lark_lexer import CrmLexer

    directory = _cache_dir()
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer=CrmLexer,
        maybe_placeholders=False,
        cache=os.path.join(directory, "crm-grammar-2.lark-cache") if directory else False,
    )


def _may_splice(rules: Any) -> set[str]:
    """Rule names whose value may be a Splice: helper rules, and ``?rules`` that pass one through."""
    names = {rule.origin.name for rule in rules if rule.origin.name.startswith("_")}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            name = rule.origin.name
            if name in names or not (rule.options.expand1 and len(rule.expansion) == 1):
                continue
            if rule.expansion[0].name in names:
                names.add(name)
                changed = True
    return names


def _is_punctuation(symbol: str) -> bool:
    """``_NL`` and the like: terminals that carry no meaning and are left out of children."""
    return symbol[0] == "_" and symbol.isupper()


def _method_recipe(method: str, symbols: list[str], splicing: set[str]) -> tuple[int, Recipe]:
    """How a transformer method gets the children of this rule, flattened the way the rule needs
    (decided here once, rather than by looking at every child of every reduction)."""
    if all(not s.startswith("_") and s not in splicing for s in symbols):
        return CALL, ("call", method)
    lists = [i for i, s in enumerate(symbols) if s.startswith("__")]  # helper rules: always a Splice
    if len(lists) == 1 and all(i in lists or not (s.startswith("_") or s in splicing) for i, s in enumerate(symbols)):
        at = lists[0]
        return GENERIC, ("tail" if at == len(symbols) - 1 else "mid", method, at)
    return GENERIC, ("flat", method)


def _bind(recipe: Recipe, transformer: CrmTransformer) -> Callback | int | None:
    """The callback a recipe describes, bound to ``transformer``'s methods."""
    if recipe is None or type(recipe) is int:
        return recipe
    kind = recipe[0]
    if kind == "splice":
        return _splice
    method: Callback = getattr(transformer, recipe[1])
    if kind == "call":
        return method
    if kind == "flat":
        return lambda children: method(flatten(children))
    at: int = recipe[2]
    if kind == "tail":
        return lambda children: method(children[:at] + children[at])
    return lambda children: method(children[:at] + children[at] + children[at + 1:])


def _reduction(rule: Any, splicing: set[str]) -> Planned:
    """The opcode and callback recipe of one grammar rule, following Lark's tree-building conventions."""
    name = str(rule.origin.name)  # plain str (Lark's may be Token, which marshal cannot store)
    symbols = [str(s.name) for s in rule.expansion]
    size = len(symbols)
    if name.startswith("_"):
        grows = symbols[0] == name
        items = [i for i, s in enumerate(symbols) if not _is_punctuation(s) and not (grows and i == 0)]
        plain_item = len(items) == 1 and not symbols[items[0]].startswith("_") and symbols[items[0]] not in splicing
        offset = size - 1 - items[0] if items else 0  # of the item from the top of the stack
        if grows and size == 2 and not items:
            return size, name, DROP, None
        if plain_item and grows:
            return (size, name, APPEND, None) if offset == 0 else (size, name, APPEND_AT, offset)
        if plain_item:
            return (size, name, WRAP, None) if size == 1 else (size, name, WRAP_AT, offset)
        return size, name, GENERIC, ("splice",)
    if rule.options.expand1 and size == 1:
        return size, name, PASS, None
    opcode, recipe = _method_recipe(name, symbols, splicing)
    return size, name, opcode, recipe


def _consistent(row: dict[str, int | Planned]) -> Planned | None:
    """The reduction of a state that reduces by one rule whatever comes next, else None."""
    actions = set(map(id, row.values()))
    if len(actions) != 1:
        return None
    action = next(iter(row.values()))
    return action if type(action) is tuple else None


def _pass_chain(rows: list[dict[str, int | Planned]], source: int, target: int) -> int:
    """Where ``target`` (entered from ``source``) ends after the ``?rule`` pass-throughs that it and
    its successors perform whatever comes next: they only change the state, and the state below
    them is ``source``, so the result is known in advance."""
    seen = set()
    while target not in seen:
        seen.add(target)
        action = _consistent(rows[target])
        if action is None or action[2] != PASS:
            break
        target = rows[source][action[1]]  # type: ignore[assignment]
    return target


def _shortcut(rows: list[dict[str, int | Planned]], accessing: dict[int, str], state: int, terminal: str,
              target: int) -> int | Planned:
    """The entry for shifting a word from ``state`` into ``target``, folding the reductions that
    follow it whatever the next word is (unit rules, then adding the word to a list): three loop
    turns become one for every item of a ``name=value ...`` list."""
    target = _pass_chain(rows, state, target)
    action = _consistent(rows[target])
    if action is None:
        return target
    size, name, opcode, _ = action
    if opcode == APPEND and accessing.get(state) == name:
        # `x* x` on top of the list that brought us to `state`: the reduction returns there.
        return (0, name, LOOP, None)
    if terminal[0] == "_":
        return target  # punctuation (_NL) is dropped from lists, never an item
    if opcode == WRAP and name in rows[state]:
        # `x*: x` (first item) whose value is the word itself: a new list, then the goto.
        after = _pass_chain(rows, state, rows[state][name])  # type: ignore[arg-type]
        if isinstance(after, int):
            return (after, name, NEW, None)
    return target


def _compile(rows: list[dict[str, int | Planned]]) -> list[dict[str, int | Planned]]:
    """Rows with shifts and gotos pointing past the reductions they are sure to trigger."""
    accessing = {target: symbol for row in rows for symbol, target in row.items() if type(target) is int}
    out: list[dict[str, int | Planned]] = []
    for state, row in enumerate(rows):
        new_row: dict[str, int | Planned] = {}
        for symbol, action in row.items():
            if type(action) is not int:
                new_row[symbol] = action
            elif symbol.isupper():  # a terminal (WORD, _NL, $END): a shift
                new_row[symbol] = _shortcut(rows, accessing, state, symbol, action)
            else:
                new_row[symbol] = _pass_chain(rows, state, action)
        out.append(new_row)
    return out


def _build() -> tuple[list[dict[str, int | Planned]], int, int]:
    """Compiled rows (with callback recipes), start and end state, from Lark's LALR analysis."""
    # A Lark internal (pyproject pins the 1.3 series for it).  The hand loop over these rows stays
    # rather than Lark's own LALR parser with the transformer inline (benchmarks/lark_native.py):
    # Lark's is slower by more than the 10 % that would have made the loop not worth keeping
    # (benchmarks/bench_lark_native.py; figures in docs/house-order.md, "The parse loop").
    from lark.parsers.lalr_analysis import Shift

    lalr = lark_parser().parser.parser.parser
    table = lalr.parse_table
    splicing = _may_splice(list(lalr.callbacks))
    reductions = {rule: _reduction(rule, splicing) for rule in lalr.callbacks}
    rows: list[dict[str, int | Planned]] = [{} for _ in range(max(table.states) + 1)]
    for state, actions in table.states.items():
        row = rows[state]
        for symbol, (action, arg) in actions.items():
            row[str(symbol)] = arg if action is Shift else reductions[arg]
    return _compile(rows), table.start_states["start"], table.end_states["start"]


def _sources() -> str:
    """What the stored rows are built from: this format, the grammar and this builder's source."""
    here = Path(__file__)
    return "\0".join((str(TABLES_FORMAT), GRAMMAR_PATH.read_text(encoding="utf-8"),
                       here.read_text(encoding="utf-8")))


def _load(path: str, sources: str) -> tuple[list[dict[str, int | Planned]], int, int] | None:
    """The stored rows when they were built from ``sources``, else None."""
    try:
        with open(path, "rb") as handle:
            stored = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(stored) is not tuple or len(stored) != 4 or stored[0] != sources:
        return None
    return stored[1], stored[2], stored[3]


def _store(path: str, sources: str, built: tuple[list[dict[str, int | Planned]], int, int]) -> None:
    """Keep the rows for the next process (a temp file renamed into place; failing is harmless)."""
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temp, "wb") as handle:
            handle.write(marshal.dumps((sources, *built)))
        os.replace(temp, path)
    except (OSError, ValueError):  # ValueError: marshal met an object it cannot store
        try:
            os.unlink(temp)
        except OSError:
            pass


@lru_cache(maxsize=1)
def tables() -> ParseTables:
    """The compiled tables of the crm grammar with :class:`CrmTransformer` callbacks."""
    sources = _sources()
    directory = _cache_dir()
    path = os.path.join(directory, "crm-grammar.tables") if directory else None
    built = _load(path, sources) if path else None
    if built is None:
        built = _build()
        if path:
            _store(path, sources, built)
    planned, start, end = built
    transformer = CrmTransformer()
    bound: dict[int, Any] = {}  # one Reduce per stored reduction (an APPEND_AT/WRAP_AT "callback" is an offset)
    rows: list[dict[str, int | Reduce]] = []
    for planned_row in planned:
        row: dict[str, int | Reduce] = {}
        for symbol, action in planned_row.items():
            if isinstance(action, int):
                row[symbol] = action
                continue
            reduce: Any = bound.get(id(action))
            if reduce is None:
                size, name, opcode, recipe = action
                reduce = (size, name, opcode, _bind(recipe, transformer))
                bound[id(action)] = reduce
            row[symbol] = reduce
        rows.append(row)
    return ParseTables(rows, start, end)
