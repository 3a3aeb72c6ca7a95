"""Differences between two ``<configuration>`` trees, by top-level element id, and patching.

A top-level element is a direct child of a section (``<primitive>``, ``<group>`` with its
members, ``<rsc_location>``, ``<cluster_property_set>``...); the ``<fencing-topology>`` section
counts as one element with id ``fencing_topology``.  Two elements are equal when their
canonical text (attributes sorted, whitespace ignored, comments kept) is equal.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from crmsh_py.cib.model import Configuration, Element
from crmsh_py.records import field, record

_WHOLE_SECTIONS = frozenset({"fencing-topology"})
_REQUIRED_SECTIONS = ("crm_config", "nodes", "resources", "constraints")
Key = tuple[str, str]  # (section, id)


@record
class ConfigDiff:
    """What changed from ``old`` to ``new``: keys are ``(section, id)``; ``added`` and
    ``changed`` carry the new XML element, ``removed`` the old one."""

    added: dict[Key, ET.Element] = field(default_factory=dict)
    changed: dict[Key, ET.Element] = field(default_factory=dict)
    removed: dict[Key, ET.Element] = field(default_factory=dict)

    def is_empty(self) -> bool:
        """True when the two trees have the same elements."""
        return not (self.added or self.changed or self.removed)

    def ids(self) -> dict[str, list[str]]:
        """``{"added": [...], "changed": [...], "removed": [...]}`` element ids, in tree order."""
        return {name: [key[1] for key in getattr(self, name)]
                for name in ("added", "changed", "removed")}


def _top_level(configuration: ET.Element) -> Iterator[tuple[Key, ET.Element]]:
    for section in configuration:
        if not isinstance(section.tag, str):
            continue
        if section.tag in _WHOLE_SECTIONS:
            yield (section.tag, "fencing_topology"), section
            continue
        for child in section:
            if isinstance(child.tag, str):
                yield (section.tag, child.get("id") or child.tag), child


def canonical_text(el: ET.Element) -> str:
    """A comparison key for an element: sorted attributes, no insignificant whitespace."""
    out: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.tag is ET.Comment:
            out.append(f"<!--{node.text}-->")
            return
        if not isinstance(node.tag, str):
            return
        attrs = "".join(f' {k}="{v}"' for k, v in sorted(node.attrib.items()))
        out.append(f"<{node.tag}{attrs}>")
        if node.text and node.text.strip():
            out.append(node.text.strip())
        for child in node:
            walk(child)
        out.append(f"</{node.tag}>")

    walk(el)
    return "".join(out)


def diff(old: ET.Element, new: ET.Element) -> ConfigDiff:
    """Compare two ``<configuration>`` elements by top-level element id."""
    old_map = dict(_top_level(old))
    new_map = dict(_top_level(new))
    result = ConfigDiff()
    for key, el in new_map.items():
        if key not in old_map:
            result.added[key] = el
        elif canonical_text(old_map[key]) != canonical_text(el):
            result.changed[key] = el
    for key, el in old_map.items():
        if key not in new_map:
            result.removed[key] = el
    return result


def patch(configuration: ET.Element, changes: ConfigDiff) -> ET.Element:
    """A copy of ``configuration`` with ``changes`` applied (remove, replace in place, append).

    Elements to change or remove that are not there are ignored (the result is the same as
    if they had been); missing sections are created.
    """
    result = copy.deepcopy(configuration)
    sections = {s.tag: s for s in result if isinstance(s.tag, str)}

    def section(name: str) -> ET.Element:
        if name not in sections:
            sections[name] = ET.SubElement(result, name)
        return sections[name]

    for (name, ident), _el in changes.removed.items():
        if name in _WHOLE_SECTIONS:
            if name in sections:
                result.remove(sections.pop(name))
            continue
        _remove(sections.get(name), ident)
    for key, el in [*changes.changed.items(), *changes.added.items()]:
        name, ident = key
        if name in _WHOLE_SECTIONS:
            if name in sections:
                result.remove(sections.pop(name))
            sections[name] = copy.deepcopy(el)
            result.append(sections[name])
            continue
        parent = section(name)
        position = _remove(parent, ident)
        new_el = copy.deepcopy(el)
        if position is None:
            parent.append(new_el)
        else:
            parent.insert(position, new_el)
    for name in _REQUIRED_SECTIONS:
        section(name)
    return result


def _remove(parent: ET.Element | None, ident: str) -> int | None:
    if parent is None:
        return None
    for position, child in enumerate(parent):
        if (child.get("id") or child.tag) == ident:
            parent.remove(child)
            return position
    return None


def changed_elements(old: Configuration, new: Configuration) -> dict[str, list[Element]]:
    """Model-level diff by element id (``configure show changed``): ``added``/``changed`` hold
    elements of ``new``, ``removed`` elements of ``old``; each in its model order."""
    old_by_id = {e.id: e for e in old.elements}
    new_ids = {e.id for e in new.elements}
    return {
        "added": [e for e in new.elements if e.id not in old_by_id],
        "changed": [e for e in new.elements if e.id in old_by_id and old_by_id[e.id] != e],
        "removed": [e for e in old.elements if e.id not in new_ids],
    }
