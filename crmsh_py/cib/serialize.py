"""Writing CIB elements out: the exact text ElementTree's writer gives, in one pass and without a copy.

ElementTree's writer is generic: before writing a single tag it walks the whole tree collecting XML
namespaces, and the two-space layout needs a deep copy of the tree (``ET.indent`` edits the tree in
place).  A CIB has no namespaces, and a 1,000-primitive ``configure load update`` writes the CIB out
six to eight times (the store's unchanged check, the file, the tools' patches), so this module writes
it directly: same escaping, same ``" />"`` for empty elements, same layout as ``ET.indent`` would give
after whitespace-only text between tags is dropped.  Anything unusual (a namespaced tag or
attribute, a ``QName``, a tag-less element) goes to ElementTree itself, so the output never differs
(``tests/cib/test_serialize.py`` compares both on Pacemaker's whole scheduler suite).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

_COMMENT = ET.Comment
_PI = ET.ProcessingInstruction


class _Unusual(Exception):
    """Something only ElementTree's own writer handles (namespaces, QName, a tag-less element)."""


def _text(text: str) -> str:
    # ElementTree's character-data escaping (no quote, no line-end escaping)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attr(value: str) -> str:
    # ElementTree's attribute escaping: line ends and tabs as character references too
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#09;")
    return value


def _open_tag(elem: ET.Element, out: list[str]) -> str:
    # (a QName or another non-string tag, key or value fails the slicing or the escaping with a
    # TypeError: to_text hands those to ElementTree)
    tag = elem.tag
    if tag[:1] == "{":
        raise _Unusual
    out.append("<" + tag)
    for key, value in elem.attrib.items():
        if key[:1] == "{":
            raise _Unusual
        out.append(f' {key}="{_attr(value)}"')
    return tag


def _plain(elem: ET.Element, out: list[str]) -> None:
    """``elem`` (and its tail) as written, text and tails untouched."""
    tag: object = elem.tag  # a str, or the Comment / ProcessingInstruction factory
    text = elem.text
    if tag is _COMMENT:
        out.append(f"<!--{text}-->")
    elif tag is _PI:
        out.append(f"<?{text}?>")
    else:
        name = _open_tag(elem, out)
        if text or len(elem):
            out.append(">")
            if text:
                out.append(_text(text))
            for child in elem:
                _plain(child, out)
            out.append(f"</{name}>")
        else:
            out.append(" />")
    if elem.tail:
        out.append(_text(elem.tail))


def _blank(text: str | None) -> bool:
    return not text or not text.strip()


def _laid_out(elem: ET.Element, out: list[str], level: int, space: str) -> None:
    """``elem`` without its tail, laid out as ``ET.indent`` lays out a tree whose whitespace-only
    text between tags was dropped: children one per line, indented by ``space`` per level; text
    that is not only white space is kept where it is."""
    tag: object = elem.tag  # a str, or the Comment / ProcessingInstruction factory
    text = elem.text
    if tag is _COMMENT:
        out.append(f"<!--{text}-->")
        return
    if tag is _PI:
        out.append(f"<?{text}?>")
        return
    name = _open_tag(elem, out)
    count = len(elem)
    if not count:
        if text:
            out.append(">" + _text(text) + f"</{name}>")
        else:
            out.append(" />")
        return
    inner = "\n" + space * (level + 1)
    out.append(">" + (inner if _blank(text) else _text(text)))  # type: ignore[arg-type]
    last = count - 1
    for index, child in enumerate(elem):
        _laid_out(child, out, level + 1, space)
        tail = child.tail
        if not _blank(tail):
            out.append(_text(tail))  # type: ignore[arg-type]
        else:
            out.append(inner if index < last else "\n" + space * level)
    out.append(f"</{name}>")


def to_text(elem: ET.Element, indent: str | None = None) -> str:
    """``ET.tostring(elem, encoding="unicode")``; with ``indent``, of the tree laid out as
    :func:`crmsh_py.cib.dump` lays it out (whitespace-only text between tags dropped, then
    ``ET.indent(space=indent)``), without changing ``elem``."""
    out: list[str] = []
    try:
        if indent is None:
            _plain(elem, out)
        else:
            _laid_out(elem, out, 0, indent)
            if not _blank(elem.tail):
                out.append(_text(elem.tail))  # type: ignore[arg-type]
    except (_Unusual, TypeError):
        return _fallback(elem, indent)
    return "".join(out)


def to_bytes(elem: ET.Element) -> bytes:
    """``ET.tostring(elem)``: US-ASCII, anything else as character references."""
    return to_text(elem).encode("ascii", "xmlcharrefreplace")


def _fallback(elem: ET.Element, indent: str | None) -> str:
    if indent is None:
        return ET.tostring(elem, encoding="unicode")
    import copy

    tree = copy.deepcopy(elem)
    for sub in tree.iter():
        if sub.text is not None and not sub.text.strip() and len(sub):
            sub.text = None
        if sub.tail is not None and not sub.tail.strip():
            sub.tail = None
    ET.indent(tree, space=indent)
    return ET.tostring(tree, encoding="unicode")
