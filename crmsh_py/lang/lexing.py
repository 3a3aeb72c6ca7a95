"""Words of the crm configuration language, and the contextual choice of their terminals.

crmsh reads its language as shell words (``shlex``): quotes group and disappear, a backslash at the end
of a line continues the statement on the next line, and a line starting with ``#`` is a comment.  Which
grammar terminal a word is depends on where it appears: ``group`` is a keyword at the start of a
statement but a plain resource name inside a group.  :func:`split_words` does the first part with
exact line/column positions; :func:`choose` does the second: the parser loop
(:func:`crmsh_py.lang.parser._run`) asks it for each word, given the terminals the LALR state accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from lark import Token
from lark.lexer import Lexer, LexerState

from crmsh_py.errors import ParseError

# Statement keywords and section keywords, by lower-case spelling.
KEYWORDS: dict[str, str] = {
    "node": "NODE",
    "primitive": "PRIMITIVE",
    "rsc_template": "RSC_TEMPLATE",
    "group": "GROUP",
    "clone": "CLONE",
    "ms": "MS",
    "master": "MS",
    "bundle": "BUNDLE",
    "location": "LOCATION",
    "colocation": "COLOCATION",
    "collocation": "COLOCATION",
    "order": "ORDER",
    "rsc_ticket": "RSC_TICKET",
    "property": "PROPERTY",
    "rsc_defaults": "RSC_DEFAULTS",
    "op_defaults": "OP_DEFAULTS",
    "fencing_topology": "FENCING_TOPOLOGY",
    "fencing-topology": "FENCING_TOPOLOGY",
    "tag": "TAG",
    "role": "ROLE",
    "acl_target": "ACL_TARGET",
    "acl_group": "ACL_GROUP",
    "user": "USER",
    "alert": "ALERT",
    "xml": "XML",
    "params": "PARAMS",
    "meta": "META",
    "utilization": "UTILIZATION",
    "attributes": "ATTRIBUTES",
    "operations": "OPERATIONS",
    "op": "OP",
    "op_params": "OP_PARAMS",
    "op_meta": "OP_META",
    "rule": "RULE",
    "and": "BOOLOP",
    "or": "BOOLOP",
    "date": "DATE",
    "defined": "UNARYOP",
    "not_defined": "UNARYOP",
    "docker": "CONTAINER",
    "rkt": "CONTAINER",
    "podman": "CONTAINER",
    "network": "NETWORK",
    "storage": "STORAGE",
    "read": "RIGHT",
    "write": "RIGHT",
    "deny": "RIGHT",
    "select": "SELECT",
    "nodes": "SELECTOR",
    "fencing": "SELECTOR",
    "resources": "SELECTOR",
    "to": "TO",
}

# Fields of date_spec / duration and of in_range (crmsh matches these by name after `date in|spec`).
DATE_FIELDS = frozenset(
    "hours monthdays weekdays yearsdays months weeks years weekyears moon start end".split()
)

_DOLLAR_TERMINALS = {"$id": "IDSPEC", "$id-ref": "IDREF", "$role": "ROLESPEC"}
_OPEN = {"(": "LPAR", "[": "LSQB", "{": "LBRACE"}
_CLOSE = {")": "RPAR", "]": "RSQB", "}": "RBRACE"}
_BRACKETS = {**_OPEN, **_CLOSE}

# One shell word: runs of unquoted characters, "double" or 'single' quoted parts, backslash escapes.
_WORD_RE = re.compile(r"""(?:[^\s"'\\]+|"(?:[^"\\]|\\.)*"|'[^']*'|\\.)+""")
_SPACE_RE = re.compile(r"\s*")
_PLAIN_RE = re.compile(r"\S+")
_DQ_ESCAPE_RE = re.compile(r'\\([\\"$`])')


def word_token(kind: str | None, value: str, line: int, col: int) -> Token:
    """A lark Token without lark's slow constructor; ``kind`` None means "decided by the parser"."""
    tok = str.__new__(Token, value)
    tok.type = kind  # type: ignore[assignment]
    tok.value = value
    tok.line = line
    tok.column = col
    tok.start_pos = None
    tok.end_line = tok.end_column = tok.end_pos = None
    return tok


@dataclass
class WordStream:
    """The words of a text as Tokens (type None for words, ``_NL`` ending each logical line, ``RAWXML``
    for the text of an ``xml`` statement), plus comments and the source lines for error messages."""

    words: list[Token]
    lines: list[str]
    comments: list[tuple[int, str]] = field(default_factory=list)
    source: str = ""


def _unquote(word: str) -> str:
    """Remove shell quoting from one word (the way ``shlex.split`` in POSIX mode does)."""
    if '"' not in word and "'" not in word and "\\" not in word:
        return word
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch == '"':
            end = i + 1
            while word[end] != '"':
                end += 2 if word[end] == "\\" else 1
            out.append(_DQ_ESCAPE_RE.sub(r"\1", word[i + 1 : end]))
            i = end + 1
        elif ch == "'":
            end = word.index("'", i + 1)
            out.append(word[i + 1 : end])
            i = end + 1
        elif ch == "\\":
            out.append(word[i + 1 : i + 2])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _error(stream_lines: list[str], source: str, line: int, col: int, text: str, expected: str = "") -> ParseError:
    context = stream_lines[line - 1] if 0 < line <= len(stream_lines) else ""
    return ParseError(text=text, line=line, col=col, context=context, expected=expected, source=source)


def split_words(text: str, source: str = "") -> WordStream:
    """Split ``text`` into word Tokens with 1-based positions; ``_NL`` tokens end logical lines.

    Raises ParseError for an unterminated quote.
    """
    lines = text.splitlines()
    stream = WordStream(words=[], lines=lines, source=source)
    words = stream.words
    continued = False  # the previous physical line ended with a backslash
    xml_words: list[Token] | None = None  # collecting the raw text of an `xml` statement
    for lineno, raw_line in enumerate(lines, 1):
        body = raw_line
        if not continued:
            stripped = body.lstrip()
            if stripped.startswith("#"):
                stream.comments.append((lineno, stripped.rstrip()))
                continue
        rstripped = body.rstrip()
        continues = (len(rstripped) - len(rstripped.rstrip("\\"))) % 2 == 1
        if continues:
            body = rstripped[:-1]
        pos = _SPACE_RE.match(body).end()
        if xml_words is None and not continued and body[pos : pos + 3].lower() == "xml" and (
            len(body) == pos + 3 or body[pos + 3].isspace()
        ):
            words.append(word_token(None, body[pos : pos + 3], lineno, pos + 1))
            xml_words = []
            pos = _SPACE_RE.match(body, pos + 3).end()
        if xml_words is not None:
            if pos < len(body):
                xml_words.append(word_token("RAWXML", body[pos:].rstrip(), lineno, pos + 1))
        elif '"' not in body and "'" not in body and "\\" not in body:
            for m in _PLAIN_RE.finditer(body, pos):
                words.append(word_token(None, m.group(), lineno, m.start() + 1))
        else:
            while pos < len(body):
                m = _WORD_RE.match(body, pos)
                if m is None or m.end() == pos:
                    raise _error(lines, source, lineno, pos + 1, f"unterminated quote {body[pos]}",
                                 "expected a closing quote on the same line")
                end = m.end()
                if end < len(body) and body[end] in "\"'":
                    raise _error(lines, source, lineno, end + 1, f"unterminated quote {body[end]}",
                                 "expected a closing quote on the same line")
                words.append(word_token(None, _unquote(m.group()), lineno, pos + 1))
                pos = _SPACE_RE.match(body, end).end()
        continued = continues
        if not continues:
            if xml_words is not None:
                if xml_words:
                    words.append(_joined(xml_words))
                xml_words = None
            if words and words[-1].type != "_NL":
                words.append(word_token("_NL", "", lineno, len(raw_line) + 1))
    if xml_words:
        words.append(_joined(xml_words))
    if words and words[-1].type != "_NL":
        words.append(word_token("_NL", "", len(lines), len(lines[-1]) + 1 if lines else 1))
    return stream


def _joined(parts: list[Token]) -> Token:
    return word_token("RAWXML", " ".join(parts), parts[0].line, parts[0].column)


@lru_cache(maxsize=4096)
def candidates(word: str) -> tuple[str, ...]:
    """Terminals this word could be, best first (a pure function of the word, hence cached)."""
    out: list[str] = []
    kw = KEYWORDS.get(word.lower())
    if kw:
        out.append(kw)
    eq = word.find("=")
    if eq > 0:
        name = word[:eq].lower()
        if name.startswith("$"):
            out.append(_DOLLAR_TERMINALS.get(name, "NVPAIR"))
            if name == "$role":
                out.append("NVPAIR")
        elif name == "description":
            out.append("DESC")
        elif name in DATE_FIELDS:
            out.append("DATEPAIR")
        out.append("NVPAIR")
        return tuple(out)  # like crmsh, a word with "=" is never a name or an id
    elif len(word) > 1 and word.endswith(":"):
        out.append("LABEL")
    out.append("WORD")
    return tuple(out)


def choose(word: str, acceptable: Any) -> str:
    """The terminal for ``word`` where the parser accepts ``acceptable`` (a mapping of terminals)."""
    cands = candidates(word)
    for cand in cands:
        if cand in acceptable:
            return cand
    return cands[0]


class CrmLexer(Lexer):
    """Placeholder lexer for building the Lark tables: :func:`crmsh_py.lang.parser.parse` drives the
    LALR tables itself and classifies words with :func:`choose` as it goes."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        self.lexer_conf = lexer_conf

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:  # type: ignore[override]
        raise NotImplementedError("use crmsh_py.lang.parser.parse")
