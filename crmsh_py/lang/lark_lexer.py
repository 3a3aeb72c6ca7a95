"""The placeholder lexer Lark needs to build the crm grammar's tables (imported only then, with lark).

Our parse loop (:func:`crmsh_py.lang.parser.parse`) drives the compiled tables itself and classifies
words with :func:`crmsh_py.lang.lexing.candidates` as it goes; this class exists because Lark wants
a lexer to build (and pickle into its cache), and so lives at module level.
"""

from __future__ import annotations

from typing import Any, Iterator

from lark import Token
from lark.lexer import Lexer, LexerState


class CrmLexer(Lexer):
    """Placeholder lexer for building the Lark tables; never lexes."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        self.lexer_conf = lexer_conf

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        raise NotImplementedError("use crmsh_py.lang.parser.parse")
