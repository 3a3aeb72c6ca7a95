"""An XML document given to a low-level tool's standard input as a tree, not as text.

The shell sends a tool XML on its standard input (``crm_verify --xml-pipe``, ``cibadmin --patch
--xml-pipe``).  When the tool runs in-process (the bundled backend), writing a large tree out only
for the tool to parse it back costs more than the rest of a ``configure load update``; so the shell
hands over an :class:`XmlInput`, and the bundled backend gives the tool a standard input that holds
the tree itself (:func:`stdin_for`).  A tool that knows takes the tree (:func:`handed_tree`); one that
does not reads the text, written out on first read.  Any other backend sends the text.

The tool must see exactly what it would have parsed, so a tree is handed over only when writing it
out and parsing it back gives the same tree, layout white space aside (:func:`round_trips`): no
character XML forbids, no carriage return in text (a parser turns it into a line feed), no comment
XML cannot hold, no processing instruction, namespace or odd name.  Anything else goes as text, and
the tool fails on it exactly as it did before.  ``cibadmin`` may change the tree it is handed
(a patch's elements move into the CIB), so whoever hands it one does not use it afterwards;
``crm_verify`` only reads its input.
"""

from __future__ import annotations

import io
import re
from crmsh_py import xmltree as ET
from typing import TextIO, cast

from crmsh_py.records import record


@record
class XmlInput:
    """A document for a tool's standard input: the tree, written out only if a backend needs text."""

    tree: ET.Element

    def text(self) -> str:
        """The document as the shell writes XML for a tool (``crmsh_py.cib.dump``)."""
        from crmsh_py.cib import dump

        return dump(self.tree)


class HandedStdin(io.TextIOBase):
    """A tool's standard input holding a tree; reading it gives the tree written out."""

    def __init__(self, tree: ET.Element) -> None:
        super().__init__()
        self._tree: ET.Element | None = tree
        self._buffer: io.StringIO | None = None

    def take_tree(self) -> ET.Element | None:
        """The tree, once (None when it was taken already or the text has been read)."""
        tree, self._tree = (self._tree, None) if self._buffer is None else (None, None)
        return tree

    def _text(self) -> io.StringIO:
        if self._buffer is None:
            from crmsh_py.cib import dump

            self._buffer = io.StringIO(dump(self._tree) if self._tree is not None else "")
        return self._buffer

    def readable(self) -> bool:
        """Always: this is an input stream."""
        return True

    def read(self, size: int | None = -1) -> str:
        """The text, written out on first read."""
        return self._text().read(size)

    def readline(self, size: int = -1) -> str:  # type: ignore[override]  # (typeshed types it as bytes)
        """One line of the text."""
        return self._text().readline(size)


def stdin_for(tree: ET.Element) -> TextIO:
    """A standard input for an in-process tool: the tree itself when it round-trips, else its text."""
    if round_trips(tree):
        return cast(TextIO, HandedStdin(tree))
    from crmsh_py.cib import dump

    return io.StringIO(dump(tree))


def handed_tree(stdin: object) -> ET.Element | None:
    """The tree an in-process tool was handed on ``stdin``, or None: read and parse the text."""
    if isinstance(stdin, HandedStdin):
        return stdin.take_tree()
    return None


# characters XML 1.0 forbids (a document holding one does not parse)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# ... and in character data or comments, a carriage return (parsing turns it into a line feed)
_FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# a name the writer writes as it is and the parser reads back as it was (no namespace prefix)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def round_trips(tree: ET.Element) -> bool:
    """Whether ``dump(tree)`` parses back into ``tree`` (layout white space aside)."""
    names: set[str] = set()
    values: list[str] = []
    texts: list[str] = []
    for element in tree.iter():
        tag = element.tag
        if ET.is_comment(tag):
            body = element.text or ""
            if "--" in body or body.endswith("-"):
                return False
            texts.append(body)
        elif type(tag) is not str:
            return False  # a processing instruction, a QName
        else:
            names.add(tag)
            names.update(element.attrib)
            values.extend(element.attrib.values())
            if element.text:
                texts.append(element.text)
        if element.tail:
            texts.append(element.tail)
    try:
        if _FORBIDDEN.search(" ".join(values)) or _FORBIDDEN_IN_TEXT.search(" ".join(texts)):
            return False
    except TypeError:  # a value that is not a string: the writer's own error, as before
        return False
    return all(type(name) is str and _NAME.fullmatch(name) for name in names)
