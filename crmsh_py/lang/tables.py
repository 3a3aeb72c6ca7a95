"""The LALR tables of the crm grammar, compiled into the form the parse loop reads fastest.

Lark builds the tables from ``crmsh_py/grammar/crm.lark`` (cached on disk under
``$XDG_CACHE_HOME/crmsh_py``); :func:`tables` turns them into one list of rows, one row per state,
mapping a symbol to either an ``int`` (shift or goto: the next state) or a :class:`Reduce`.  Each
reduction carries a small opcode that tells the loop how to build its value, so that the common
cases (``?rule`` pass-through, growing an ``x*`` list by one item, a transformer method whose children
need no flattening) cost no function call and no list copy.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from lark import Lark
# A Lark internal (pyproject pins the 1.3 series for it).  The hand loop over these tables stays
# rather than Lark's own LALR parser with the transformer inline (benchmarks/lark_native.py): on
# benchmarks/bench_lark_native.py Lark's is 16 % slower on a 10,000-primitive load and 70 % slower on
# the LALR loop alone, beyond the 10 % that would have made the loop not worth keeping; its start-up
# is ~40 ms shorter (no row compilation), and one-shot `load update` cannot tell them apart
# (docs/house-order.md, "The parse loop").
from lark.parsers.lalr_analysis import Shift

from crmsh_py import paths
from crmsh_py.lang.lexing import CrmLexer, Word
from crmsh_py.lang.transform import CrmTransformer
from crmsh_py.records import record

GRAMMAR_PATH = Path(__file__).resolve().parent.parent / "grammar" / "crm.lark"

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


def _cache_path() -> str | bool:
    """Where to keep Lark's pickled parse tables: the XDG cache dir, or nowhere if it is not writable."""
    directory = paths.user_dir(os.environ, "cache")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return False
    if not os.access(directory, os.W_OK):
        return False
    return os.path.join(directory, "crm-grammar.lark-cache")


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The Lark LALR parser (built once per process; its tables come from the cache when possible)."""
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer=CrmLexer,
        maybe_placeholders=False,
        cache=_cache_path(),
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


def _method_callback(method: Callback, symbols: list[str], splicing: set[str]) -> tuple[int, Callback]:
    """A transformer method with the children flattened the way this rule needs (decided here
    once, rather than by looking at every child of every reduction)."""
    if all(not s.startswith("_") and s not in splicing for s in symbols):
        return CALL, method
    lists = [i for i, s in enumerate(symbols) if s.startswith("__")]  # helper rules: always a Splice
    if len(lists) == 1 and all(i in lists or not (s.startswith("_") or s in splicing) for i, s in enumerate(symbols)):
        at = lists[0]
        if at == len(symbols) - 1:
            return GENERIC, lambda children: method(children[:at] + children[at])
        return GENERIC, lambda children: method(children[:at] + children[at] + children[at + 1:])
    return GENERIC, lambda children: method(flatten(children))


def _reduction(rule: Any, transformer: CrmTransformer, splicing: set[str]) -> Reduce:
    """The opcode and callback of one grammar rule, following Lark's tree-building conventions."""
    name = rule.origin.name
    symbols = [s.name for s in rule.expansion]
    size = len(symbols)
    if name.startswith("_"):
        grows = symbols[0] == name
        items = [i for i, s in enumerate(symbols) if not _is_punctuation(s) and not (grows and i == 0)]
        plain_item = len(items) == 1 and not symbols[items[0]].startswith("_") and symbols[items[0]] not in splicing
        offset = size - 1 - items[0] if items else 0  # of the item from the top of the stack
        if grows and size == 2 and not items:
            return size, name, DROP, None
        if plain_item and grows:
            return (size, name, APPEND, None) if offset == 0 else (size, name, APPEND_AT, offset)  # type: ignore[return-value]
        if plain_item:
            return (size, name, WRAP, None) if size == 1 else (size, name, WRAP_AT, offset)  # type: ignore[return-value]
        return size, name, GENERIC, _splice
    if rule.options.expand1 and size == 1:
        return size, name, PASS, None
    opcode, callback = _method_callback(getattr(transformer, name), symbols, splicing)
    return size, name, opcode, callback


def _consistent(row: dict[str, int | Reduce]) -> Reduce | None:
    """The reduction of a state that reduces by one rule whatever comes next, else None."""
    actions = set(map(id, row.values()))
    if len(actions) != 1:
        return None
    action = next(iter(row.values()))
    return action if type(action) is tuple else None


def _pass_chain(rows: list[dict[str, int | Reduce]], source: int, target: int) -> int:
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


def _shortcut(rows: list[dict[str, int | Reduce]], accessing: dict[int, str], state: int, terminal: str,
              target: int) -> int | Reduce:
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


def _compile(rows: list[dict[str, int | Reduce]]) -> list[dict[str, int | Reduce]]:
    """Rows with shifts and gotos pointing past the reductions they are sure to trigger."""
    accessing = {target: symbol for row in rows for symbol, target in row.items() if type(target) is int}
    out: list[dict[str, int | Reduce]] = []
    for state, row in enumerate(rows):
        new_row: dict[str, int | Reduce] = {}
        for symbol, action in row.items():
            if type(action) is not int:
                new_row[symbol] = action
            elif symbol.isupper():  # a terminal (WORD, _NL, $END): a shift
                new_row[symbol] = _shortcut(rows, accessing, state, symbol, action)
            else:
                new_row[symbol] = _pass_chain(rows, state, action)
        out.append(new_row)
    return out


@lru_cache(maxsize=1)
def tables() -> ParseTables:
    """The compiled tables of the crm grammar with :class:`CrmTransformer` callbacks."""
    lalr = lark_parser().parser.parser.parser
    table = lalr.parse_table
    transformer = CrmTransformer()
    splicing = _may_splice(list(lalr.callbacks))
    reductions = {rule: _reduction(rule, transformer, splicing) for rule in lalr.callbacks}
    rows: list[dict[str, int | Reduce]] = [{} for _ in range(max(table.states) + 1)]
    for state, actions in table.states.items():
        row = rows[state]
        for symbol, (action, arg) in actions.items():
            row[symbol] = arg if action is Shift else reductions[arg]
    return ParseTables(_compile(rows), table.start_states["start"], table.end_states["start"])
