"""Elements addressed by the absolute paths of v2 patchsets (``/cib/configuration/resources/
primitive[@id='dummy']``): a one-off lookup, and a finder that applies a whole patchset in linear time.

A path step is a tag with ``[@attr='value']`` predicates; the first child that matches every step
is the one meant.  Looking a child up by scanning its siblings is fine once, but a patchset touching
each of 10,000 primitives under ``<resources>`` would scan 10,000 siblings 10,000 times; the
:class:`Finder` keeps, per parent, the children by ``(tag, id)`` (the usual step), kept current as
the patch removes and inserts children, so each step is a dictionary lookup.
"""

from __future__ import annotations

import re
from crmsh_py import xmltree as ET

_SEGMENT = re.compile(r"^(?P<tag>[\w:.-]+)(?P<preds>(\[[^\]]*\])*)$")
_PRED = re.compile(r"\[@(?P<attr>[\w:.-]+)=(?P<q>['\"])(?P<value>.*?)(?P=q)\]")
_Key = tuple[str, str]  # (tag, id)


def find_path(root: ET.Element, path: str) -> tuple[ET.Element | None, ET.Element | None]:
    """``(element, parent)`` addressed by an absolute path like
    ``/cib/configuration/resources/primitive[@id='dummy']`` (None when there is no such element)."""
    segments = [s for s in split_path(path) if s]
    if not segments:
        return None, None
    current: ET.Element | None = root if _matches(root, segments[0]) else None
    parent: ET.Element | None = None
    for segment in segments[1:]:
        if current is None:
            return None, None
        parent = current
        current = _scan(current, segment)
    return current, parent


def split_path(path: str) -> list[str]:
    """Split on ``/`` outside of ``[...]`` predicates (ids may contain slashes)."""
    if "[" not in path:
        return path.split("/")
    out, depth, buf = [], 0, ""
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "/" and depth == 0:
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return out


def _matches(element: ET.Element, segment: str) -> bool:
    match = _SEGMENT.match(segment)
    if match is None or element.tag != match.group("tag"):
        return False
    return all(element.get(p.group("attr")) == p.group("value") for p in _PRED.finditer(match.group("preds")))


def _scan(parent: ET.Element, segment: str) -> ET.Element | None:
    return next((child for child in parent if isinstance(child.tag, str) and _matches(child, segment)), None)


def _id_step(segment: str) -> _Key | None:
    """``(tag, id)`` when ``segment`` is exactly ``tag[@id='value']`` (a dictionary can answer it)."""
    match = _SEGMENT.match(segment)
    if match is None:
        return None
    preds = match.group("preds")
    pred = _PRED.fullmatch(preds) if preds else None
    if pred is None or pred.group("attr") != "id":
        return None
    return match.group("tag"), pred.group("value")


class Finder:
    """:func:`find_path` over one tree that a patchset is changing; tell it of every child removed
    or inserted and of every ``id`` changed (:meth:`removed`, :meth:`inserted`, :meth:`renamed`)."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        # parent -> its children by (tag, id); None: a key repeats, so the first match must be
        # scanned for (the element itself is the key: it stays alive, unlike an id())
        self._children: dict[ET.Element, dict[_Key, ET.Element] | None] = {}
        self._steps: dict[str, _Key | None] = {}

    def find(self, path: str) -> tuple[ET.Element | None, ET.Element | None]:
        """``(element, parent)`` at ``path``, as :func:`find_path` finds them."""
        segments = [s for s in split_path(path) if s]
        if not segments:
            return None, None
        current: ET.Element | None = self.root if _matches(self.root, segments[0]) else None
        parent: ET.Element | None = None
        for segment in segments[1:]:
            if current is None:
                return None, None
            parent = current
            current = self._child(current, segment)
        return current, parent

    def _child(self, parent: ET.Element, segment: str) -> ET.Element | None:
        if segment not in self._steps:
            self._steps[segment] = _id_step(segment)
        key = self._steps[segment]
        if key is None:
            return _scan(parent, segment)
        if parent not in self._children:
            self._children[parent] = _index(parent)
        children = self._children[parent]
        return _scan(parent, segment) if children is None else children.get(key)

    def removed(self, parent: ET.Element, child: ET.Element) -> None:
        """``child`` was taken out of ``parent``."""
        children = self._children.get(parent)
        if children is not None and isinstance(child.tag, str):
            key = (child.tag, child.get("id", ""))
            if children.get(key) is child:
                del children[key]

    def inserted(self, parent: ET.Element, child: ET.Element) -> None:
        """``child`` was put into ``parent`` (anywhere)."""
        children = self._children.get(parent)
        if children is None or not isinstance(child.tag, str) or child.get("id") is None:
            return
        key = (child.tag, child.get("id", ""))
        if key in children and children[key] is not child:
            del self._children[parent]  # a repeated key: which comes first is for a scan to say
        else:
            children[key] = child

    def renamed(self, parent: ET.Element | None) -> None:
        """A child of ``parent`` may have a new ``id``."""
        if parent is not None:
            self._children.pop(parent, None)


def _index(parent: ET.Element) -> dict[_Key, ET.Element] | None:
    """``parent``'s children by (tag, id); None when a key repeats."""
    children: dict[_Key, ET.Element] = {}
    for child in parent:
        ident = child.get("id") if isinstance(child.tag, str) else None
        if ident is None:
            continue
        key = (str(child.tag), ident)
        if key in children:
            return None
        children[key] = child
    return children
