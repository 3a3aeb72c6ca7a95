"""Measurement aid (issue 15 item 6): the crm grammar parsed by Lark's own LALR parser instead of
the hand-compiled loop of :mod:`crmsh_py.lang.parser`, for valid input only (errors are not mapped).

The words and their contextual terminals are the same: a Lark lexer hands the parser the words of
:func:`crmsh_py.lang.lexing.split_words`, choosing each word's terminal from the parser's current
state as the hand loop does; :class:`CrmTransformer` runs inline (``transformer=``), so no tree is
built.  Used by ``benchmarks/bench_lark_native.py``; nothing in crmsh_py imports it.
"""

from __future__ import annotations

import gc
import os
from functools import lru_cache
from typing import Any, Iterator

from lark import Lark, Token
from lark.lexer import Lexer, LexerState

from crmsh_py.cib.model import Element
from crmsh_py.lang.fastpath import primitive_line
from crmsh_py.lang.lexing import GLUED, QUOTED, Word, candidates, split_words
from crmsh_py.lang.parser import _attach_comments, _line, _split_bracket
from crmsh_py.lang.tables import GRAMMAR_PATH, _cache_dir
from crmsh_py.lang.transform import CrmTransformer


class _Feed:
    """The words of the text being parsed (Lark's parse() takes text; the words are made before)."""

    words: list[Word] = []


class NativeLexer(Lexer):
    """Hands Lark's parser the prepared words, each typed by what the current LALR state accepts."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        self.lexer_conf = lexer_conf

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Any]:
        states = parser_state.parse_conf.parse_table.states
        stack = parser_state.state_stack
        memo: dict[str, tuple[str, ...]] = {}
        words = _Feed.words
        last = len(words) - 1
        pending: list[Word] = []
        index = 0
        while pending or index <= last:
            if pending:
                token = pending.pop()
            else:
                token = words[index]
                index += 1
            ttype = token.type
            row = states[stack[-1]]
            if ttype is None or ttype is QUOTED:
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
                first, rest = _split_bracket(token, row)
                if rest is not None:
                    pending.append(rest)
                pending.append(first)
                continue
            if index > last and not pending:  # Lark borrows the last token's position for $END
                yield Token(token.type, str(token), 0, token.line, token.column, token.line, token.column, 0)
            else:
                yield token


@lru_cache(maxsize=1)
def native_parser() -> Lark:
    """Lark's LALR parser of the crm grammar with the transformer inline (tables from Lark's cache)."""
    directory = _cache_dir()  # a file of its own: Lark rebuilds a cache made with other options
    return Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr", lexer=NativeLexer,
                maybe_placeholders=False, transformer=CrmTransformer(),
                cache=os.path.join(directory, "crm-grammar-native.lark-cache") if directory else False)


def parse_native(text: str, source: str = "") -> list[Element]:
    """:func:`crmsh_py.lang.parse` with Lark's own LALR parser in place of the hand loop."""
    parser = native_parser()
    collecting = gc.isenabled()
    gc.disable()
    try:
        stream = split_words(text, source, primitive_line)
        results: list[tuple[int, Any]] = []
        if stream.words:
            _Feed.words = stream.words
            results = parser.parse("")
        if stream.built:
            results = sorted(results + stream.built, key=_line) if results else stream.built
    finally:
        _Feed.words = []
        if collecting:
            gc.enable()
    return _attach_comments(results, stream.comments)
