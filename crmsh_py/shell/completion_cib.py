"""The CIB as completion reads it: its two sections parsed apart, each only when needed and only
when its text changed.

A CIB file is ``<cib ...><configuration>...</configuration><status>...</status></cib>``.  Most
completions need only the configuration (ids, element types), and most changes to a running
cluster's CIB touch only the status (operation results, attributes).  So the text is cut at the
section boundaries; a section whose text is the same as at the last parse keeps its parsed
element, and the status is parsed only when a completion asks for the whole CIB.  The text is
compared, not a version number: whatever changed, it shows.  Text that does not have that shape
(comments or other elements between the sections, no sections) is parsed whole, as before.
"""

from __future__ import annotations

import re
from crmsh_py import xmltree as ET
from typing import TypeVar

from crmsh_py.cib import load
from crmsh_py.errors import CibFileError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")
_SECTION = {"configuration": re.compile(r"<configuration[\s/>]"), "status": re.compile(r"<status[\s/>]")}


class CibSections:
    """One CIB text, cut into its head (the ``<cib>`` tag) and sections, parsed on demand."""

    def __init__(self, text: str, path: str, previous: CibSections | None = None) -> None:
        self.text = text
        self.path = path
        self._whole: ET.Element | None = None
        self._parsed: dict[str, ET.Element] = {}
        self._derived: dict[tuple[str, str], object] = {}
        self.memo: dict[str, object] = {}  # results from the whole text (both sections)
        # results for pieces of a section (one node's status), by the piece's text: those of the
        # previous read are taken over when the same text comes again, the others dropped
        self.pieces: dict[str, object] = {}
        self._earlier_pieces = previous.pieces if previous is not None else {}
        self.parts = _split(text)
        if previous is not None and self.parts is not None and previous.parts is not None:
            for name, part in self.parts[1].items():
                if previous.parts[1].get(name) != part:
                    continue
                if name in previous._parsed:
                    self._parsed[name] = previous._parsed[name]  # unchanged text: same element
                for key, value in previous._derived.items():
                    if key[0] == name:
                        self._derived[key] = value

    def derived(self, name: str, what: str, compute: Callable[[str], T]) -> T | None:
        """``compute(text of section name)``, kept with that text: a later read whose section
        text is the same (only the other section changed) reuses it; a missing section is
        empty text.  None when the CIB was not cut into sections."""
        key = (name, what)
        if key not in self._derived:
            if self.parts is None:
                return None
            self._derived[key] = compute(self.parts[1].get(name, ""))
        return self._derived[key]  # type: ignore[return-value]  # what compute gave for this key

    def piece(self, text: str, compute: Callable[[str], T]) -> T:
        """``compute(text)`` for a piece of a section, or what it gave for the same text at the
        previous read (a node whose status did not change is not read again)."""
        if text not in self.pieces:
            earlier = self._earlier_pieces
            self.pieces[text] = earlier[text] if text in earlier else compute(text)
        return self.pieces[text]  # type: ignore[return-value]  # what compute gave for this text

    def head(self) -> str | None:
        """The ``<cib ...>`` start tag, when the CIB was cut into sections."""
        return self.parts[0] if self.parts is not None else None

    def _section(self, name: str) -> ET.Element | None:
        if self.parts is None:
            return self.root().find(name)
        if name not in self._parsed:
            part = self.parts[1].get(name)
            if part is None:
                return None
            try:
                self._parsed[name] = load(part, self.path, root_tag=name)
            except CibFileError:  # cut at a look-alike (a closing tag in a comment): parse it whole
                self.parts = None
                return self.root().find(name)
        return self._parsed[name]

    def configuration(self) -> ET.Element | None:
        """The ``<configuration>`` element (the status is not parsed for it)."""
        return self._section("configuration")

    def root(self) -> ET.Element:
        """The whole ``<cib>``; raises :class:`crmsh_py.errors.CibFileError` on malformed XML."""
        if self._whole is None:
            if self.parts is not None:
                try:
                    head = load(self.parts[0] + "</cib>", self.path)
                    sections = [self._section(name) for name in ("configuration", "status")]
                except CibFileError:  # a '>' inside an attribute of <cib>, say: parse it whole
                    self.parts = None
                else:
                    if self._whole is None:  # a section may have given up and parsed it whole
                        head.extend(s for s in sections if s is not None)
                        self._whole = head
            if self._whole is None:
                self._whole = load(self.text, self.path)
        return self._whole


def _split(text: str) -> tuple[str, dict[str, str]] | None:
    """(``<cib ...>`` tag, section name -> its text), or None when the text is not a plain CIB
    (then it is parsed whole)."""
    start = text.find("<cib")
    if start < 0:
        return None
    sections: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    for name, opening in _SECTION.items():
        found = opening.search(text, start)
        if found is None:
            continue
        begin = found.start()
        close = text.find(f"</{name}>", begin)
        self_closed = text.find("/>", begin)
        tag_end = text.find(">", begin)
        if self_closed != -1 and self_closed + 1 == tag_end:
            end = tag_end + 1
        elif close != -1:
            end = close + len(name) + 3
        else:
            return None
        sections[name] = text[begin:end]
        spans.append((begin, end))
    if not spans:
        return None
    spans.sort()
    head_end = text.find(">", start)
    if head_end < 0 or head_end > spans[0][0] or text[head_end - 1] == "/":
        return None
    # between and after the sections only whitespace and the closing tag: anything else (a
    # comment, another element, a nested <status> inside the configuration) -> parse it whole
    gaps = [text[head_end + 1:spans[0][0]]] + [text[a[1]:b[0]] for a, b in zip(spans, spans[1:])]
    gaps.append(text[spans[-1][1]:])
    if any(gap.strip() for gap in gaps[:-1]) or gaps[-1].strip() != "</cib>":
        return None
    if any(b[0] < a[1] for a, b in zip(spans, spans[1:])):
        return None
    return text[start:head_end + 1], sections
