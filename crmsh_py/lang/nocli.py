"""Elements crmsh 4.4.1 cannot show in its own language, and shows as raw XML instead.

crmsh checks every element by writing it in the crm language and reading that back: when the XML
it gets differs, it shows the element as ``xml <...>`` (pretty-printed, one XML line a continuation
line).  These kinds of element fail that check in 4.4.1 and so show as XML, and a user (or a script
diffing ``configure show``) sees them so:

- an element with a character outside ASCII in one of its own attribute values (a parameter, a
  description, a location's node): the text reads back differently.  A group's or clone's members
  are elements of their own and do not count for their container.
- a ``fencing_topology`` whose text does not read back the same (see :mod:`crmsh_py.lang.fencing_form`):
  one device list for as many targets as there are nodes, but not aimed at those nodes.
- a node whose XML id (not its name) has a dot: crmsh writes ``node ID: NAME`` and cannot read a
  dotted ID back.
- an ACL role without permissions, a group or clone without members: crmsh cannot read
  ``role ID`` (``group ID``, ``clone ID``) alone.
- an order or colocation whose only resource is in a set (``_rsc_set_ RSC``).

The XML is written as crmsh's libxml2 does with an ASCII encoding: characters outside ASCII become
character references, hexadecimal on the element's own attributes and decimal further down.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import ids
from crmsh_py.cib.model import Element, FencingTopology, Node, RawXml

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

MAX_DEPTH = 64  # the CIB is shallow; this only bounds the walk
_MAX_ELEMENTS = 10_000_000  # bounds the index's loop
# members of a container: elements of their own, checked on their own
_MEMBER_TAGS = frozenset({"primitive", "group"})
_CONTAINER_TAGS = frozenset({"group", "clone", "master", "bundle"})
_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}

# what element of the crm language a raw XML tag stands for (the display order's rank)
RAW_KEYWORDS: dict[str, str] = {
    "node": "node", "template": "rsc_template", "primitive": "primitive", "bundle": "bundle",
    "group": "group", "master": "ms", "clone": "clone", "tag": "tag", "rsc_location": "location",
    "rsc_colocation": "colocation", "rsc_order": "order", "rsc_ticket": "rsc_ticket",
    "fencing-topology": "fencing_topology", "cluster_property_set": "property", "acl_role": "role",
    "acl_target": "acl_target", "acl_group": "acl_group", "acl_user": "user", "alert": "alert",
}


def _non_ascii_own(el: ET.Element, depth: int = 0) -> bool:
    """Whether ``el`` or what it holds (its members aside) has an attribute value outside ASCII."""
    if any(not value.isascii() for value in el.attrib.values()):
        return True
    if depth >= MAX_DEPTH:
        return False
    skip_members = el.tag in _CONTAINER_TAGS
    return any(_non_ascii_own(child, depth + 1) for child in el
               if isinstance(child.tag, str) and not (skip_members and child.tag in _MEMBER_TAGS))


def _fencing_differs(el: ET.Element, nodes: list[str]) -> bool:
    from crmsh_py.lang.fencing_form import reads_back

    return not reads_back(el, nodes)


def _dotted_node_id(el: ET.Element, nodes: list[str]) -> bool:
    # crmsh writes `node ID: NAME`, and its parser takes no dot in ID
    node_id = el.get("id", "")
    return "." in node_id and node_id != el.get("uname")


def _empty_role(el: ET.Element, nodes: list[str]) -> bool:
    # `role ID` alone is not a role crmsh can read
    return el.get("description") is None and not any(isinstance(c.tag, str) for c in el)


def _no_members(el: ET.Element, nodes: list[str]) -> bool:
    # `group ID` or `clone ID` alone is not one crmsh can read
    return not any(isinstance(c.tag, str) and c.tag in _MEMBER_TAGS for c in el)


def _one_member_set(el: ET.Element, nodes: list[str]) -> bool:
    # crmsh writes a lone resource in a set as `_rsc_set_ RSC`, which does not read back the same
    sets = [c for c in el if isinstance(c.tag, str) and c.tag == "resource_set"]
    return bool(sets) and sum(1 for s in sets for r in s if r.tag == "resource_ref") == 1


_CHECKS: dict[str, Callable[[ET.Element, list[str]], bool]] = {
    "fencing-topology": _fencing_differs, "node": _dotted_node_id, "acl_role": _empty_role,
    "group": _no_members, "clone": _no_members, "master": _no_members,
    "rsc_order": _one_member_set, "rsc_colocation": _one_member_set}


def _no(_el: ET.Element, _nodes: list[str]) -> bool:
    return False


def node_names(configuration: ET.Element) -> list[str]:
    """The unames of the configuration's nodes."""
    return [n.get("uname") or n.get("id") or "" for n in configuration.findall("nodes/node")]


def shown_as_xml(xml: ET.Element, nodes: list[str]) -> bool:
    """Whether crmsh 4.4.1 shows the element whose XML is ``xml`` as ``xml <...>`` (``nodes``: the
    unames of the configuration's nodes)."""
    return _non_ascii_own(xml) or _CHECKS.get(xml.tag, _no)(xml, nodes)


def _attr(value: str, hexadecimal: bool) -> str:
    out = []
    for ch in value:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(f"&#x{ord(ch):X};" if hexadecimal else f"&#{ord(ch)};")
    return "".join(out)


def _lines(el: ET.Element, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    attrs = "".join(f' {k}="{_attr(v, depth == 0)}"' for k, v in el.attrib.items())
    if not isinstance(el.tag, str):  # a comment
        out.append(f"{pad}<!--{ascii_refs(el.text or '')}-->")
        return
    children = list(el)
    if not children or depth >= MAX_DEPTH:
        out.append(f"{pad}<{el.tag}{attrs}/>")
        return
    out.append(f"{pad}<{el.tag}{attrs}>")
    for child in children:
        _lines(child, depth + 1, out)
    out.append(f"{pad}</{el.tag}>")


def xml_lines(xml: ET.Element) -> list[str]:
    """``xml`` pretty-printed as crmsh shows it (two spaces a level, ASCII only)."""
    out: list[str] = []
    _lines(xml, 0, out)
    return out


def ascii_refs(text: str) -> str:
    """``text`` with every character outside ASCII as a decimal character reference (how crmsh's
    ``show xml`` writes them)."""
    if text.isascii():
        return text
    return "".join(ch if ch.isascii() else f"&#{ord(ch)};" for ch in text)


def _index(configuration: ET.Element) -> dict[tuple[str, str], ET.Element]:
    """Each top-level element of ``configuration`` by (section, id); nodes also by uname."""
    found: dict[tuple[str, str], ET.Element] = {}
    for section in configuration:
        if section.tag == "fencing-topology":
            found[(section.tag, ids.FENCING_TOPOLOGY_ID)] = section
            continue
        stack = [child for child in section if isinstance(child.tag, str)]
        for _step in range(_MAX_ELEMENTS):
            if not stack:
                break
            child = stack.pop()
            found[(section.tag, child.get("id", ""))] = child
            if child.tag == "node" and child.get("uname"):
                found[(section.tag, "uname:" + child.get("uname", ""))] = child
            if child.tag in _CONTAINER_TAGS:  # members are elements of their own
                stack.extend(c for c in child if isinstance(c.tag, str) and c.tag in _MEMBER_TAGS)
    return found


def _key(element: Element) -> tuple[str, str]:
    from crmsh_py.cib.xmlio import section_of

    if isinstance(element, FencingTopology):
        return "fencing-topology", ids.FENCING_TOPOLOGY_ID
    if isinstance(element, Node):
        return "nodes", "uname:" + element.id
    return section_of(element), element.id


def element_xml(element: Element, configuration: ET.Element) -> ET.Element | None:
    """The XML of ``element`` in ``configuration`` (the same configuration's XML), or None."""
    return _index(configuration).get(_key(element))


def as_crmsh_shows(elements: Iterable[Element], configuration: ET.Element,
                   fencing_nodes: list[str] | None = None) -> list[Element]:
    """``elements`` with each one crmsh would show as XML replaced by a :class:`RawXml` holding its
    XML from ``configuration`` (the same configuration's XML; comments are inside it, as crmsh).
    ``fencing_nodes``: the nodes when the fencing topology was read (default: the configuration's)."""
    items = list(elements)
    if not items:
        return items
    index = _index(configuration)
    nodes = node_names(configuration) if fencing_nodes is None else fencing_nodes
    out: list[Element] = []
    for element in items:
        xml = None if isinstance(element, RawXml) else index.get(_key(element))
        if xml is not None and shown_as_xml(xml, nodes):
            raw_id = ids.FENCING_TOPOLOGY_ID if isinstance(element, FencingTopology) else xml.get("id", "")
            out.append(RawXml(raw_id, tag=xml.tag, xml="\n".join(xml_lines(xml))))
        else:
            out.append(element)
    return out
