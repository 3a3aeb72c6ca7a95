"""A shortcut for the commonest statement of a large configuration: a plain ``primitive`` line.

``primitive ID AGENT [params k=v ..] [meta k=v ..] [utilization k=v ..] [op NAME k=v ..] ..``
written without quotes, brackets, ``$`` names, labels, bare words, descriptions, templates or
op-level sections is built straight into a :class:`~crmsh_py.cib.model.Primitive`, without Word
objects or the LALR loop.  Anything else (or anything that would be an error) returns None and goes
through the full parser, so results and error messages are exactly the parser's; the equivalence is
tested in ``tests/lang/test_fastpath.py``.
"""

from __future__ import annotations

from crmsh_py.cib.model import AttrSet, NVPair, Op, Primitive
from crmsh_py.lang.lexing import DATE_FIELDS, KEYWORDS, word_token
from crmsh_py.cib.vocabulary import OP_ATTRIBUTES
from crmsh_py.lang.values import SemanticError, agent_of

# Sections the shortcut knows; any other keyword sends the line to the parser.
_SET_SECTIONS = {"params": "params", "meta": "meta", "utilization": "utilization"}


def _plain_name(word: str) -> bool:
    """A word the parser can only take as a WORD (not a keyword, pair, label or bracket)."""
    return "=" not in word and not word.endswith(":") and word.lower() not in KEYWORDS and word[0] not in "$@#"


# Pair names the parser may read as something else than an NVPAIR (DESC, DATEPAIR).
_SPECIAL_NAMES = frozenset(("description", *DATE_FIELDS))


def _pair(word: str) -> NVPair | None:
    """``name=value`` that the parser would classify as a plain NVPAIR, else None."""
    name, sep, value = word.partition("=")
    if not name or not sep or name[0] == "$" or name.lower() in _SPECIAL_NAMES:
        return None
    return NVPair(name, value)


def _op(name: str, words: list[str]) -> Op | None:
    """An op as :meth:`ResourceCallbacks.op` builds it, or None where that would raise."""
    op = Op(name, None, [], [])
    attributes = op.attributes
    extra: list[NVPair] = []
    for word in words:
        pair = _pair(word)
        if pair is None:
            return None
        key = pair.name
        if key not in OP_ATTRIBUTES:
            extra.append(pair)
        elif extra:
            return None  # an op attribute after instance attributes: the parser reports it
        elif key == "interval":
            op.interval = pair.value
            op.interval_index = len(attributes)
        elif key == "id":
            op.id = pair.value
        else:
            attributes.append(pair)
    if extra:
        op.attr_sets.insert(0, AttrSet("op_params", extra))
    return op


def primitive_line(parts: list[str]) -> Primitive | None:
    """The Primitive of one statement's words (already split on white space), or None when the
    full parser must read it."""
    if len(parts) < 3 or parts[0] != "primitive":
        return None
    ident, agent_word = parts[1], parts[2]
    if not _plain_name(ident) or not _plain_name(agent_word):
        return None
    try:
        agent = agent_of(word_token("WORD", agent_word, 0, 0))  # a Word only for the error we discard
    except SemanticError:
        return None
    elem = Primitive(ident, agent=agent)
    ops, attr_sets = elem.ops, elem.attr_sets
    ops_index: int | None = None
    i, count = 3, len(parts)
    while i < count:
        section = parts[i]
        i += 1
        start = i
        while i < count and ("=" in parts[i] or parts[i].lower() not in KEYWORDS):  # pairs are never keywords
            i += 1
        if section == "op":
            if start >= count or not _plain_name(parts[start]):
                return None
            op = _op(parts[start], parts[start + 1 : i])
            if op is None:
                return None
            ops.append(op)
            if ops_index is None:
                ops_index = len(attr_sets)
            continue
        kind = _SET_SECTIONS.get(section)
        if kind is None or start == i:
            return None
        nvpairs = []
        for word in parts[start:i]:
            pair = _pair(word)
            if pair is None:
                return None
            nvpairs.append(pair)
        attr_sets.append(AttrSet(kind, nvpairs))
    if ops_index is not None and ops_index < len(attr_sets):
        elem.ops_index = ops_index
    return elem
