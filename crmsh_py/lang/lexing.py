"""Words of the crm configuration language, and the contextual choice of their terminals.

crmsh reads its language as shell words (``shlex``): quotes group and disappear, a backslash at the end
of a line continues the statement on the next line, and a line starting with ``#`` is a comment.  Which
grammar terminal a word is depends on where it appears: ``group`` is a keyword at the start of a
statement but a plain resource name inside a group.  :func:`split_words` does the first part with
exact line/column positions; :func:`candidates` lists the terminals a word may be, and the parser loop
(:func:`crmsh_py.lang.parser._run`) takes the first that its LALR state accepts.
"""

from __future__ import annotations

import re
from typing import Any, Callable, cast

from crmsh_py.errors import ParseError
from crmsh_py.lang.keywords import KEYWORDS as KEYWORDS  # the words of the language: a module without Lark
from crmsh_py.records import field, record

# Fields of date_spec / duration and of in_range (crmsh matches these by name after `date in|spec`).
DATE_FIELDS = frozenset(
    "hours monthdays weekdays yearsdays months weeks years weekyears moon start end".split()
)

# Token types the parser finishes: a word that had quotes or escapes (its terminal is chosen by
# shape only, its brackets are text), and a word with a bracket glued to it (``(a``, ``b)``), which
# is split where the parser takes a bracket.
QUOTED = "?quoted"
GLUED = "?glued"

_DOLLAR_TERMINALS = {"$id": "IDSPEC", "$id-ref": "IDREF", "$role": "ROLESPEC"}
_OPEN = {"(": "LPAR", "[": "LSQB", "{": "LBRACE"}
_CLOSE = {")": "RPAR", "]": "RSQB", "}": "RBRACE"}
_BRACKETS = {**_OPEN, **_CLOSE}

# One shell word: runs of unquoted characters, "double" or 'single' quoted parts, backslash escapes.
_WORD_RE = re.compile(r"""(?:[^\s"'\\]+|"(?:[^"\\]|\\.)*"|'[^']*'|\\.)+""")
_SPACE_RE = re.compile(r"\s*")
# ``\s*`` matches everywhere: its match is never None (typed so, at no cost per call)
_space = cast("Callable[..., re.Match[str]]", _SPACE_RE.match)
_PLAIN_RE = re.compile(r"\S+")
_DQ_ESCAPE_RE = re.compile(r'\\([\\"$`])')


class Word(str):
    """A word of the text with what the parser and error messages need: its terminal ``type``
    (None until the parser decides it), ``line`` and ``column`` (1-based).

    Loading a large configuration makes hundreds of thousands of words: a str with three slots
    costs a third of a lark Token, and only the parser ever sees one.
    """

    __slots__ = ("type", "line", "column")
    type: str | None
    line: int
    column: int

    @property
    def value(self) -> str:
        """The word as a plain string."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Word({self.type!r}, {str.__str__(self)!r})"


_new_word = str.__new__


def word_token(kind: str | None, value: str, line: int, col: int) -> Word:
    """A Word; ``kind`` None means "decided by the parser"."""
    tok = _new_word(Word, value)
    tok.type = kind
    tok.line = line
    tok.column = col
    return tok


@record
class WordStream:
    """The words of a text as Words (type None for words, ``_NL`` ending each logical line, ``RAWXML``
    for the text of an ``xml`` statement), plus comments and the source lines for error messages."""

    words: list[Word]
    lines: list[str]
    comments: list[tuple[int, str]] = field(default_factory=list)
    source: str = ""
    built: list[tuple[int, Any]] = field(default_factory=list)  # (line, element) made by a shortcut


Shortcut = Callable[[list[str]], Any]  # a statement's words -> its element, or None


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


def split_words(text: str, source: str = "", shortcut: Shortcut | None = None) -> WordStream:
    """Split ``text`` into Words with 1-based positions; ``_NL`` tokens end logical lines.

    ``shortcut`` may build the element of a one-line statement from its words directly (returning
    None when it cannot): such statements go to ``stream.built`` instead of ``stream.words``.
    Raises ParseError for an unterminated quote.
    """
    lines = text.splitlines()
    stream = WordStream(words=[], lines=lines, source=source)
    if "\\" not in text and '"' not in text and "'" not in text:
        _split_simple(stream, shortcut)  # no quoting and no continuation: one statement a line
        return stream
    words = stream.words
    continued = False  # the previous physical line ended with a backslash
    xml_words: list[Word] | None = None  # collecting the raw text of an `xml` statement
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
        pos = _space(body).end()
        if xml_words is None and not continued and body[pos : pos + 3].lower() == "xml" and (
            len(body) == pos + 3 or body[pos + 3].isspace()
        ):
            words.append(word_token(None, body[pos : pos + 3], lineno, pos + 1))
            xml_words = []
            pos = _space(body, pos + 3).end()
        if xml_words is not None:
            if pos < len(body):
                xml_words.append(word_token("RAWXML", body[pos:].rstrip(), lineno, pos + 1))
        elif '"' not in body and "'" not in body and "\\" not in body:
            _plain_words(words, body, pos, lineno)
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
                raw = m.group()
                value = _unquote(raw)
                # A quoted word is a plain word: its brackets are text, never set delimiters.
                words.append(word_token(bracket_kind(value) if value == raw else QUOTED, value, lineno, pos + 1))
                pos = _space(body, end).end()
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


def _split_simple(stream: WordStream, shortcut: Shortcut | None) -> None:
    """:func:`split_words` for a text without quotes or backslashes (the usual large file): each
    line is one statement or comment, and words are what ``str.split`` finds."""
    words, comments, built = stream.words, stream.comments, stream.built
    append, new, word_cls, find = words.append, _new_word, Word, str.find
    brackets = _BRACKET_CHARS
    for lineno, body in enumerate(stream.lines, 1):
        parts = body.split()
        if not parts:
            continue
        first = parts[0]
        if first[0] == "#":
            comments.append((lineno, body.strip()))
            continue
        if shortcut is not None and brackets.isdisjoint(body):
            element = shortcut(parts)
            if element is not None:
                built.append((lineno, element))
                continue
        if first.lower() == "xml":
            pos = body.find(first)
            append(word_token(None, first, lineno, pos + 1))
            pos = _space(body, pos + 3).end()
            if pos < len(body):
                append(word_token("RAWXML", body[pos:].rstrip(), lineno, pos + 1))
        else:
            col = 0
            for part in parts:
                col = find(body, part, col)
                tok = new(word_cls, part)
                tok.type = None
                tok.line = lineno
                tok.column = col + 1
                append(tok)
                col += len(part)
            if not _BRACKET_CHARS.isdisjoint(body):
                for tok in words[len(words) - len(parts):]:
                    tok.type = bracket_kind(tok)
        append(word_token("_NL", "", lineno, len(body) + 1))


_BRACKET_CHARS = frozenset("()[]{}")


def bracket_kind(word: str) -> str | None:
    """The terminal of a bracket word, GLUED for a word with a bracket at an end, else None."""
    kind = _BRACKETS.get(word)
    if kind is not None:
        return kind
    if word[0] in _OPEN or word[-1] in _CLOSE:
        return GLUED
    return None


def _plain_words(words: list[Word], body: str, pos: int, lineno: int) -> None:
    """Append the words of a line without quotes (the common case: kept lean, it is the hot path)."""
    new, word_cls, append, find = _new_word, Word, words.append, body.find
    first = len(words)
    col = pos
    for part in body[pos:].split():
        col = find(part, col)
        tok = new(word_cls, part)
        tok.type = None
        tok.line = lineno
        tok.column = col + 1
        append(tok)
        col += len(part)
    if not _BRACKET_CHARS.isdisjoint(body):
        for tok in words[first:]:
            tok.type = bracket_kind(tok)


def _joined(parts: list[Word]) -> Word:
    return word_token("RAWXML", " ".join(parts), parts[0].line, parts[0].column)


def candidates(word: str) -> tuple[str, ...]:
    """Terminals this word could be, best first (a pure function of the word: callers memoise it)."""
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
