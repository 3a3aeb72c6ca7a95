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

from crmsh_py import xmltree as ET
from crmsh_py.xmltree import NotPlain, escape_text, is_comment, is_processing_instruction, write_open_tag, write_plain


def _blank(text: str | None) -> bool:
    return not text or not text.strip()


def _laid_out(elem: ET.Element, out: list[str], level: int, space: str) -> None:
    """``elem`` without its tail, laid out as ``ET.indent`` lays out a tree whose whitespace-only
    text between tags was dropped: children one per line, indented by ``space`` per level; text
    that is not only white space is kept where it is."""
    tag: object = elem.tag  # a str, or the Comment / ProcessingInstruction factory
    text = elem.text
    if tag.__class__ is not str:
        if is_comment(tag):
            out.append(f"<!--{text}-->")
            return
        if is_processing_instruction(tag):
            out.append(f"<?{text}?>")
            return
        raise NotPlain
    name = write_open_tag(elem, out)
    count = len(elem)
    if not count:
        if text:
            out.append(">" + escape_text(text) + f"</{name}>")
        else:
            out.append(" />")
        return
    inner = "\n" + space * (level + 1)
    out.append(">" + (inner if _blank(text) else escape_text(text)))  # type: ignore[arg-type]
    last = count - 1
    for index, child in enumerate(elem):
        _laid_out(child, out, level + 1, space)
        tail = child.tail
        if not _blank(tail):
            out.append(escape_text(tail))  # type: ignore[arg-type]
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
            write_plain(elem, out)
        else:
            _laid_out(elem, out, 0, indent)
            if not _blank(elem.tail):
                out.append(escape_text(elem.tail))  # type: ignore[arg-type]
    except (NotPlain, TypeError):
        return _fallback(elem, indent)
    return "".join(out)


def to_bytes(elem: ET.Element) -> bytes:
    """``ET.tostring(elem)``: US-ASCII, anything else as character references."""
    return to_text(elem).encode("ascii", "xmlcharrefreplace")


def _fallback(elem: ET.Element, indent: str | None) -> str:
    if indent is None:
        return ET.tostring(elem, encoding="unicode")
    import copy  # (only for the unusual trees above)

    tree = copy.deepcopy(elem)
    for sub in tree.iter():
        if sub.text is not None and not sub.text.strip() and len(sub):
            sub.text = None
        if sub.tail is not None and not sub.tail.strip():
            sub.tail = None
    ET.indent(tree, space=indent)
    return ET.tostring(tree, encoding="unicode")
