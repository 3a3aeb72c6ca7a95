"""Differences between two ``<configuration>`` trees, by top-level element id (what changed meanwhile;
patchsets are :mod:`crmsh_py.cib.patch`).

A top-level element is a direct child of a section (``<primitive>``, ``<group>`` with its
members, ``<rsc_location>``, ``<cluster_property_set>``...); the ``<fencing-topology>`` section
counts as one element with id ``fencing_topology``.  Two elements are equal when their
canonical text (attributes sorted, whitespace ignored, comments kept) is equal.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterator

_WHOLE_SECTIONS = frozenset({"fencing-topology"})
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
        if ET.is_comment(node.tag):
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
