"""``parse(text) -> list[Element]``: the crm configuration language into model objects.

The grammar is ``crmsh_py/grammar/crm.lark`` (LALR(1)); :mod:`crmsh_py.lang.lexing` feeds it words whose
terminal depends on the parser state, and :mod:`crmsh_py.lang.transform` builds the model while the
parser reduces, so no parse tree is ever built.  The Lark parser is built on first use and its
tables are cached under ``$XDG_CACHE_HOME/crmsh_py`` so that importing this module stays cheap.

Normalisation (what the model holds, chosen so that the writer can reproduce crmsh 4.4's
``configure show``):

- Scores: ``inf``/``INF``/``infinity``/``INFINITY`` -> ``"INFINITY"``, ``+inf`` -> ``"+INFINITY"`` (crmsh
  keeps the plus sign and shows ``+inf:``), ``-inf`` -> ``"-INFINITY"``, integers as written
  (``"100"``, ``"-50"``), ``mandatory:`` -> ``"INFINITY"``, ``advisory:`` -> ``"0"``.  Unlike crmsh, the
  infinity words are case-insensitive (crmsh takes ``Inf:`` for a node attribute name).
- A location rule without a score gets ``score="INFINITY"`` (crmsh writes that to the CIB); rules in
  attribute sets and cluster sets keep ``score=None``.  ``rule pingd: ...`` sets ``score_attribute``.
- Order: a score instead of a kind becomes a kind as crmsh does it (``0:`` -> Optional, any other
  score -> Mandatory); ``Order.score`` stays None.  Kinds are spelled Mandatory/Optional/Serialize.
- Roles keep the user's word, in canonical case (``master`` -> ``Master``, ``Promoted`` stays
  ``Promoted``); actions are lower case.  ``symmetrical=yes`` -> ``"true"``.
- ``op`` pairs that are ``<op>`` XML attributes go to ``Op.interval``/``Op.id``/``Op.attributes``;
  other pairs (``depth=0``) become a leading ``op_params`` set, as crmsh does.  An op without
  ``interval=`` keeps ``interval=None`` (crmsh then appends ``interval=0`` after the other attributes).
- A bare OCF type (``Dummy``, ``ocf:Dummy``) gets provider ``heartbeat`` (or the agent catalogue's).
- Quotes are removed from words as the shell does (``k="a b"`` -> value ``a b``).
- ``fencing_topology`` levels given before any target have ``target=None``.
"""

from __future__ import annotations

import gc
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from lark import Lark, Token
from lark.parsers.lalr_analysis import Shift

from crmsh_py.cib.model import Element
from crmsh_py.lang import errors as lang_errors
from crmsh_py.lang.lexing import _BRACKETS, _CLOSE, _OPEN, CrmLexer, choose, split_words, word_token
from crmsh_py.lang.transform import CrmTransformer
from crmsh_py.lang.values import SemanticError

GRAMMAR_PATH = Path(__file__).resolve().parent.parent / "grammar" / "crm.lark"


def _cache_path() -> str | bool:
    """Where to keep Lark's pickled parse tables: the XDG cache dir, or nowhere if it is not writable."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "crmsh_py")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return False
    if not os.access(directory, os.W_OK):
        return False
    return os.path.join(directory, "crm-grammar.lark-cache")


@lru_cache(maxsize=1)
def _tables() -> tuple[Any, dict[Any, Callable[[list[Any]], Any]]]:
    """Lark's LALR tables and our reduce callbacks, one per grammar rule."""
    lalr = _parser().parser.parser.parser
    return lalr.parse_table, _callbacks(lalr.callbacks, CrmTransformer())


class _Splice(list):  # type: ignore[type-arg]
    """Children of a helper rule (``x*``, ``x+``, ``_rule``), spliced into the parent's children."""


def _flatten(children: list[Any]) -> list[Any]:
    out: list[Any] = []
    for child in children:
        kind = type(child)
        if kind is _Splice:
            out.extend(child)
        elif kind is Token and child.type[0] == "_":
            continue  # _NL and other punctuation terminals carry no meaning
        else:
            out.append(child)
    return out


def _splice(children: list[Any]) -> _Splice:
    if children and type(children[0]) is _Splice:
        # `x*` is left-recursive: grow the list in place instead of copying it (linear time).
        head: _Splice = children[0]
        head.extend(_flatten(children[1:]))
        return head
    return _Splice(_flatten(children))


def _first(children: list[Any]) -> Any:
    return children[0]


def _callbacks(rules: Any, transformer: CrmTransformer) -> dict[Any, Callable[[list[Any]], Any]]:
    """Lark's tree-building conventions, done directly: helper rules splice, ``?rule`` with one
    child passes it through, every other rule calls the transformer method of its name."""
    out: dict[Any, Callable[[list[Any]], Any]] = {}
    for rule in rules:
        name = rule.origin.name
        if name.startswith("_"):
            out[rule] = _splice
        elif rule.options.expand1 and len(rule.expansion) == 1:
            out[rule] = _first
        else:
            method = getattr(transformer, name)
            out[rule] = lambda children, method=method: method(_flatten(children))
    return out


@lru_cache(maxsize=1)
def _parser() -> Lark:
    """The LALR parser (built once per process; its tables come from the cache when possible)."""
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer=CrmLexer,
        maybe_placeholders=False,
        cache=_cache_path(),
    )


def parse(text: str, source: str = "") -> list[Element]:
    """Parse crm configuration text into model elements, in input order.

    ``#`` comment lines go into the ``comments`` of the element that follows them.  Raises
    :class:`crmsh_py.errors.ParseError` (line, col, context, expected) for invalid text.
    """
    stream = split_words(text, source)
    if not stream.words:
        return []
    tables = _tables()
    collecting = gc.isenabled()
    gc.disable()  # parsing allocates many small acyclic objects: cycle collection is pure overhead
    try:
        results = _run(*tables, stream.words)
    except _Unexpected as err:
        raise lang_errors.from_unexpected(err.token, err.expected, stream) from None
    except SemanticError as err:
        raise lang_errors.from_semantic(err, stream) from None
    finally:
        if collecting:
            gc.enable()
    return _attach_comments(results, stream.comments)


class _Unexpected(Exception):
    def __init__(self, token: Token, expected: set[str]) -> None:
        super().__init__(str(token))
        self.token = token
        self.expected = expected


def _run(table: Any, callbacks: dict[Any, Callable[[list[Any]], Any]], words: list[Token]) -> list[tuple[int, Any]]:
    """The LALR(1) loop over Lark's tables, choosing each word's terminal from the current state.

    This is Lark's own algorithm, inlined with the word classification: it avoids a generator, a
    token copy and a few attribute lookups per word, which more than doubles the speed.
    """
    states = table.states
    end_state = table.end_states["start"]
    state_stack = [table.start_states["start"]]
    value_stack: list[Any] = []
    pending = list(reversed(words))
    end = word_token("$END", "", words[-1].line, words[-1].column)
    while True:
        token = pending.pop() if pending else end
        acc = states[state_stack[-1]]
        if token.type is None:
            value = str(token)
            kind = _BRACKETS.get(value)
            if kind is None and (value[0] in _OPEN or value[-1] in _CLOSE) and len(value) > 1:
                split = _split_bracket(token, value, acc)
                if split is not None:
                    token, rest = split
                    pending.append(rest)
            if token.type is None:
                token.type = kind or choose(str(token), acc)
        while True:
            try:
                action, arg = acc[token.type]
            except KeyError:
                raise _Unexpected(token, {t for t in acc if t.isupper()}) from None
            if action is Shift:
                state_stack.append(arg)
                value_stack.append(token)
                break
            size = len(arg.expansion)
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            state_stack.append(states[state_stack[-1]][arg.origin.name][1])
            value_stack.append(callbacks[arg](children))
            if token is end and state_stack[-1] == end_state:
                return value_stack[-1]
            acc = states[state_stack[-1]]


def _split_bracket(token: Token, value: str, acc: Any) -> tuple[Token, Token] | None:
    """``(a`` -> ``(`` + ``a`` and ``b)`` -> ``b`` + ``)`` where the parser takes a bracket there
    (crmsh allows brackets glued to names)."""
    opener = _OPEN.get(value[0])
    if opener is not None and opener in acc:
        return (word_token(opener, value[0], token.line, token.column),
                word_token(None, value[1:], token.line, token.column + 1))
    closer = _CLOSE.get(value[-1])
    if closer is not None and closer in acc:
        return (word_token(None, value[:-1], token.line, token.column),
                word_token(closer, value[-1], token.line, token.column + len(value) - 1))
    return None


def _attach_comments(results: list[tuple[int, Any]], comments: list[tuple[int, str]]) -> list[Element]:
    elements: list[Element] = []
    pending = iter(comments)
    next_comment = next(pending, None)
    for line, element in results:
        while next_comment is not None and next_comment[0] < line:
            element.comments.append(next_comment[1])
            next_comment = next(pending, None)
        elements.append(element)
    return elements
