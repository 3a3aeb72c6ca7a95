"""Hiding secret values in ``configure show`` output, as crmsh 4.4 does (``obscure:GLOB``).

crmsh shows ``params passwd="******"`` by default (its ``obscure_pattern`` option defaults to
``passw*``); ``show obscure:GLOB ...`` replaces that pattern with the given ones (``obscure:none``
or any glob matching nothing shows every value).  ``save`` and ``edit`` always see real values, so
round trips keep working.  Text (``name=value``) and XML (``<nvpair name=... value=...>``) are
both covered.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    import re

DEFAULT_PATTERNS = ("passw*",)
HIDDEN = "******"
PREFIX = "obscure:"
# Patterns, not compiled ones: re compiles them on first use, and a configuration without any name
# the globs could match (the usual case: no passwords) is returned without using them at all.
# name=value / name="value" in crm text
_TEXT_PAIR = r'(?P<name>[\w.-]+)=(?P<value>"(?:[^"\\]|\\.)*"|\S+)'
# an nvpair's name and value attributes (either order)
_XML_PAIR = r'<nvpair\b[^>]*>'


def split_patterns(words: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """``show`` words without the ``obscure:GLOB`` ones, and the patterns in force."""
    globs = tuple(w[len(PREFIX):] for w in words if w.startswith(PREFIX))
    rest = [w for w in words if not w.startswith(PREFIX)]
    return rest, (globs or DEFAULT_PATTERNS)


def _may_match(text: str, patterns: tuple[str, ...]) -> bool:
    """False when no name in ``text`` can match any of ``patterns``: a name a glob matches starts
    with the glob's literal head (up to its first wildcard), so a head absent from the whole text
    rules the glob out; a glob that starts with a wildcard could match anything."""
    for pattern in patterns:
        if not pattern:
            continue
        cut = min((i for i in (pattern.find(c) for c in "*?[") if i >= 0), default=len(pattern))
        if cut == 0 or pattern[:cut] in text:
            return True
    return False


def _hidden(name: str, patterns: tuple[str, ...]) -> bool:
    import fnmatch  # here: only text that may hold a secret (see _may_match) gets this far

    return any(fnmatch.fnmatchcase(name, p) for p in patterns if p)


def obscure_text(text: str, patterns: tuple[str, ...] = DEFAULT_PATTERNS) -> str:
    """``passwd=secret`` → ``passwd="******"`` for names matching ``patterns``."""
    def repl(match: re.Match[str]) -> str:
        if _hidden(match.group("name"), patterns):
            return f'{match.group("name")}="{HIDDEN}"'
        return match.group(0)

    if not _may_match(text, patterns):
        return text
    import re  # (only for text that may hold a secret: re costs a one-shot ~5 ms)

    return re.sub(_TEXT_PAIR, repl, text)


def obscure_xml(text: str, patterns: tuple[str, ...] = DEFAULT_PATTERNS) -> str:
    """``<nvpair name="passwd" value="secret"/>`` → ``value="******"`` for matching names."""
    if not _may_match(text, patterns):
        return text
    import re  # (only for text that may hold a secret: re costs a one-shot ~5 ms)

    def repl(match: re.Match[str]) -> str:
        tag = match.group(0)
        name = re.search(r'\bname="([^"]*)"', tag)
        if name is None or not _hidden(name.group(1), patterns):
            return tag
        return re.sub(r'\bvalue="[^"]*"', f'value="{HIDDEN}"', tag)

    return re.sub(_XML_PAIR, repl, text)
