"""Turning parser failures into ParseErrors that say, in words, what was expected."""

from __future__ import annotations

from typing import Iterable

from crmsh_py.errors import ParseError
from crmsh_py.lang.lexing import KEYWORDS, Word, WordStream
from crmsh_py.lang.values import SCORE_WORDS, SemanticError

STATEMENT_TERMINALS = ("NODE", "PRIMITIVE", "RSC_TEMPLATE", "GROUP", "CLONE", "MS", "BUNDLE", "LOCATION",
                       "COLOCATION", "ORDER", "RSC_TICKET", "PROPERTY", "RSC_DEFAULTS", "OP_DEFAULTS",
                       "FENCING_TOPOLOGY", "TAG", "ROLE", "ACL_TARGET", "ACL_GROUP", "USER", "ALERT", "XML")

# Keyword terminals in words: every spelling that maps to them.
_KEYWORD_WORDS: dict[str, str] = {}
for _word, _term in KEYWORDS.items():
    _KEYWORD_WORDS[_term] = f"{_KEYWORD_WORDS[_term]}/{_word}" if _term in _KEYWORD_WORDS else _word

_SHAPE_WORDS = {
    "NVPAIR": "name=value",
    "DESC": "description=TEXT",
    "IDSPEC": "$id=ID",
    "IDREF": "$id-ref=ID",
    "ROLESPEC": "$role=ROLE",
    "DATEPAIR": "date fields like hours=9-16 or start=2009-01-01",
    "RAWXML": "XML text",
    "LPAR": "(",
    "RPAR": ")",
    "LSQB": "[",
    "RSQB": "]",
    "LBRACE": "{",
    "RBRACE": "}",
    "_NL": "the end of the line",
    "$END": "the end of the input",
}
# Most helpful first.
_ORDER = ["LABEL", "WORD", "RULE", "OP", "NVPAIR", "PARAMS", "META"]


def _word_phrase(words: list[str]) -> str:
    """What a plain word means at this point of a statement, from the words before it."""
    if not words:
        return "a name"
    first = words[0].lower()
    if words[-1].lower() == "op":
        return "an operation name such as monitor"
    if first in ("primitive", "rsc_template") and len(words) == 2:
        return "a resource agent such as ocf:heartbeat:Dummy"
    if len(words) == 1:
        return "an id"
    if first in ("location", "colocation", "order", "rsc_ticket", "group", "clone", "ms", "master", "tag"):
        return "a resource name"
    return "a name"


def _label_phrase(words: list[str]) -> str:
    first = words[0].lower() if words else ""
    if first == "rsc_ticket":
        return "a ticket name with a colon like ticketA:"
    if first in ("node", "property", "rsc_defaults", "op_defaults", "tag"):
        return "an id with a colon like name:"
    if first == "fencing_topology" or first == "fencing-topology":
        return "a target with a colon like node1:"
    return SCORE_WORDS


def expected_words(expected: Iterable[str], words_before: list[str]) -> str:
    """``expected ...`` text for a set of acceptable terminals."""
    terms = set(expected)
    if terms & set(STATEMENT_TERMINALS) and not words_before:
        return "expected an element type: " + ", ".join(_KEYWORD_WORDS[t].split("/")[0] for t in STATEMENT_TERMINALS)
    ranked = sorted(terms, key=lambda t: (_ORDER.index(t) if t in _ORDER else len(_ORDER), t))
    phrases: list[str] = []
    for term in ranked:
        if term == "WORD":
            phrase = _word_phrase(words_before)
        elif term == "LABEL":
            phrase = _label_phrase(words_before)
        elif term in _KEYWORD_WORDS:
            phrase = _KEYWORD_WORDS[term]
        else:
            phrase = _SHAPE_WORDS.get(term, term)
        if phrase not in phrases:
            phrases.append(phrase)
    if len(phrases) > 7:
        phrases = phrases[:7] + ["..."]
    if len(phrases) == 1:
        return "expected " + phrases[0]
    return "expected " + ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _statement_words(stream: WordStream, line: int, col: int) -> list[str]:
    """The words of the statement that contains position (line, col), before that position."""
    before: list[str] = []
    for w in stream.words:
        if (w.line, w.column) >= (line, col):
            break
        if w.type == "_NL":
            before = []
        else:
            before.append(str(w))
    return before


def _context(stream: WordStream, line: int) -> str:
    return stream.lines[line - 1] if 0 < line <= len(stream.lines) else ""


def from_unexpected(tok: Word, expected: set[str], stream: WordStream) -> ParseError:
    """A ParseError for a token the parser cannot take where it is."""
    line, col = tok.line or 1, tok.column or 1
    if tok.type in ("_NL", "$END"):
        text = "unexpected end of line"
    else:
        text = f'unexpected "{tok}"'
        if not _statement_words(stream, line, col) and tok.type not in STATEMENT_TERMINALS:
            text = f'unknown element "{tok}"'
    return ParseError(text=text, line=line, col=col, context=_context(stream, line),
                      expected=expected_words(expected, _statement_words(stream, line, col)),
                      source=stream.source)


def from_semantic(err: SemanticError, stream: WordStream) -> ParseError:
    """A ParseError for a word with a bad meaning."""
    line, col = err.token.line or 1, err.token.column or 1
    expected = f"expected {err.expected}" if err.expected else ""
    return ParseError(text=err.text, line=line, col=col, context=_context(stream, line),
                      expected=expected, source=stream.source)
