"""``parse(text) -> list[Element]``: the crm configuration language into model objects.

The grammar is ``crmsh_py/grammar/crm.lark`` (LALR(1)); :mod:`crmsh_py.lang.lexing` feeds it words whose
terminal depends on the parser state, and :mod:`crmsh_py.lang.transform` builds the model while the
parser reduces, so no parse tree is ever built.  Plain one-line primitives (the bulk of a large
configuration) are built directly by :mod:`crmsh_py.lang.fastpath`, which leaves anything unusual
to the parser.  The tables are built on first use
(:mod:`crmsh_py.lang.tables`, cached on disk) so that importing this module stays cheap.

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
- ``op`` pairs that are ``<op>`` XML attributes go to ``Op.interval``/``Op.id``/``Op.attributes``, with
  ``Op.interval_index`` recording how many attributes were written before ``interval=``;
  other pairs (``depth=0``) become a leading ``op_params`` set, as crmsh does.  An op without
  ``interval=`` keeps ``interval=None`` (crmsh then appends ``interval=0`` after the other attributes).
- A bare OCF type (``Dummy``, ``ocf:Dummy``) gets provider ``heartbeat``, or the one the caller's
  ``providers`` chooses (the agent catalogue's).
- Quotes are removed from words as the shell does (``k="a b"`` -> value ``a b``).
- ``fencing_topology`` levels given before any target have ``target=None``.
"""

from __future__ import annotations

from typing import Any

from crmsh_py.collector import paused
from crmsh_py.cib.model import Element
from crmsh_py.lang import errors as lang_errors
from crmsh_py.lang.fastpath import primitive_line
from crmsh_py.lang.lexing import _CLOSE, _OPEN, GLUED, QUOTED, Word, bracket_kind, candidates, split_words, word_token
from crmsh_py.lang.limits import MAX_LINE_CHARS
from crmsh_py.lang.tables import (
    APPEND,
    APPEND_AT,
    DROP,
    LOOP,
    NEW,
    PASS,
    WRAP,
    WRAP_AT,
    ParseTables,
    Splice,
    tables,
)
from crmsh_py.lang.values import ProviderResolver, SemanticError, resolve_providers


def parse(text: str, source: str = "", providers: ProviderResolver | None = None) -> list[Element]:
    """Parse crm configuration text into model elements, in input order.

    ``#`` comment lines go into the ``comments`` of the element that follows them.  ``providers``
    chooses the provider of an OCF agent named without one (``heartbeat`` when None): the caller
    passes the agent catalogue's choice, so that parsing itself reads no files.  Raises
    :class:`crmsh_py.errors.ParseError` (line, col, context, expected) for invalid text.
    """
    _check_line_lengths(text, source)
    compiled = tables()
    # parsing allocates many small acyclic objects: cycle collection is pure overhead
    with paused():
        try:
            stream = split_words(text, source, primitive_line)
            results = _run(compiled, stream.words) if stream.words else []
            if stream.built:
                # Statements the shortcut built, merged back into input order (both lists are in it).
                results = sorted(results + stream.built, key=_line) if results else stream.built
        except _Unexpected as err:
            raise lang_errors.from_unexpected(err.token, err.expected, stream) from None
        except SemanticError as err:
            raise lang_errors.from_semantic(err, stream) from None
    elements = _attach_comments(results, stream.comments)
    resolve_providers(elements, providers)
    return elements




def _check_line_lengths(text: str, source: str) -> None:
    """Refuse over-long lines up front with a clear message (rather than grinding through them)."""
    if len(text) <= MAX_LINE_CHARS:
        return
    from crmsh_py.errors import ParseError

    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise ParseError(f"line {number} has {len(line):,} characters; the limit is {MAX_LINE_CHARS:,}",
                             number, 1, "", source=source)


def _line(result: tuple[int, Any]) -> int:
    return result[0]


class _Unexpected(Exception):
    def __init__(self, token: Word, expected: set[str]) -> None:
        super().__init__(str(token))
        self.token = token
        self.expected = expected


def _run(compiled: ParseTables, words: list[Word]) -> list[tuple[int, Any]]:
    """The LALR(1) loop over the compiled tables, choosing each word's terminal from the current state.

    This is Lark's algorithm, inlined with the word classification and specialised by reduction
    opcode (:mod:`crmsh_py.lang.tables`): it is the hot path of loading a configuration.
    """
    # a row maps a terminal to a state (shift) or a Reduce; the loop tells them apart by
    # ``type(action) is int``, which mypy does not narrow on: the rows are Any here
    rows: list[dict[str, Any]] = compiled.rows
    end_state = compiled.end_state
    state_stack = [compiled.start_state]
    value_stack: list[Any] = []
    push_state = state_stack.append
    push_value = value_stack.append
    row = rows[compiled.start_state]
    index, count = 0, len(words)
    end = word_token("$END", "", words[-1].line, words[-1].column)
    pending: list[Word] = []  # halves of a word split at a glued bracket
    memo: dict[str, tuple[str, ...]] = {}  # word -> candidate terminals (words repeat a lot)
    while True:
        if pending:
            token = pending.pop()
        elif index < count:
            token = words[index]
            index += 1
        else:
            token = end
        ttype = token.type
        if ttype is None or ttype is QUOTED:
            # The first candidate terminal the state accepts (keyword, shape, WORD), else the first.
            cands = memo.get(token)
            if cands is None:
                cands = memo[token] = candidates(token)
            ttype = cands[0]
            if len(cands) > 1:
                for cand in cands:
                    if cand in row:
                        ttype = cand
                        break
            token.type = ttype
        elif ttype is GLUED:
            # Split off a bracket the state takes; both halves go round again (`((a` needs two).
            first, rest = _split_bracket(token, row)
            if rest is not None:
                pending.append(rest)
            pending.append(first)
            continue
        while True:
            action = row.get(ttype)
            if type(action) is int:  # shift
                push_state(action)
                push_value(token)
                row = rows[action]
                break
            if action is None:
                raise _Unexpected(token, {t for t in row if t.isupper()})
            size, name, opcode, callback = action
            if opcode is LOOP:  # the next item of the list on top: the state stays
                value_stack[-1].append(token)
                break
            if opcode is NEW:  # the first item of a new list
                push_state(size)
                push_value(Splice((token,)))
                row = rows[size]
                break
            if opcode is PASS:
                state_stack[-1] = rows[state_stack[-2]][name]
            elif opcode is APPEND:
                item = value_stack.pop()
                value_stack[-1].append(item)
                del state_stack[-1]
                state_stack[-1] = rows[state_stack[-2]][name]
            elif opcode is WRAP:
                value_stack[-1] = Splice((value_stack[-1],))
                state_stack[-1] = rows[state_stack[-2]][name]
            elif opcode is APPEND_AT:
                item = value_stack[-1 - callback]
                del value_stack[1 - size:]
                value_stack[-1].append(item)
                del state_stack[1 - size:]
                state_stack[-1] = rows[state_stack[-2]][name]
            elif opcode is WRAP_AT:
                item = value_stack[-1 - callback]
                del value_stack[1 - size:]
                value_stack[-1] = Splice((item,))
                del state_stack[1 - size:]
                state_stack[-1] = rows[state_stack[-2]][name]
            elif opcode is DROP:
                del value_stack[-1]
                del state_stack[-1]
                state_stack[-1] = rows[state_stack[-2]][name]
            else:
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                push_value(callback(children))
                push_state(rows[state_stack[-1]][name])
            if token is end and state_stack[-1] == end_state:
                result: list[tuple[int, Any]] = value_stack[-1]
                return result
            row = rows[state_stack[-1]]


def _split_bracket(token: Word, row: dict[str, Any]) -> tuple[Word, Word | None]:
    """``(a`` -> ``(`` + ``a`` and ``b)`` -> ``b`` + ``)`` where the parser takes a bracket there
    (crmsh allows brackets glued to names); otherwise the word stays whole."""
    value = str(token)
    opener = _OPEN.get(value[0])
    if opener is not None and opener in row:
        return (word_token(opener, value[0], token.line, token.column),
                word_token(bracket_kind(value[1:]), value[1:], token.line, token.column + 1))
    closer = _CLOSE.get(value[-1])
    if closer is not None and closer in row:
        return (word_token(bracket_kind(value[:-1]), value[:-1], token.line, token.column),
                word_token(closer, value[-1], token.line, token.column + len(value) - 1))
    return word_token(None, value, token.line, token.column), None


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
