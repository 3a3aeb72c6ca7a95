"""Nodes and resources (primitive, template, group, clone/master, bundle): model <-> XML.

In the model a group, clone or bundle names its children by id and each child is an element of
its own; in XML the children are nested.  Writers get ``nest(child_id)`` to produce a child's
XML; readers return the element followed by its (flattened) descendants.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import ids
from crmsh_py.cib.vocabulary import RESOURCE_SECTION_TAGS
from crmsh_py.cib.model import (
    Agent,
    Bundle,
    BundlePart,
    Clone,
    Element,
    Group,
    Node,
    NVPair,
    Op,
    Primitive,
    RscTemplate,
)
from crmsh_py.cib.xml_rules import (
    NODE_SET_KINDS,
    OP_SET_KINDS,
    RESOURCE_SET_KINDS,
    attr_set_to_xml,
    attr_sets_from_xml,
    comments_from_xml,
    comments_to_xml,
    own_id,
    set_attrs,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, MutableSet

    Nest = Callable[[str], "ET.Element | None"]
    ReadChild = Callable[[ET.Element], list[Element]]

_CONTAINERS = ("docker", "podman", "rkt")
# Bundle parts that live inside another part's element.
_NESTED_PARTS: dict[str, str] = {"port-mapping": "network", "storage-mapping": "storage"}


# --------------------------------------------------------------------------- writing


def node_to_xml(node: Node, taken: MutableSet[str], nest: Nest | None = None) -> ET.Element:
    """``<node id uname [type] [description]>`` with attributes/utilization sets."""
    el = ET.Element("node")
    if node.node_id:
        set_attrs(el, [("id", node.node_id), ("uname", node.id)])
    else:
        # crmsh writes uname first when it made the id up from the uname
        set_attrs(el, [("uname", node.id), ("id", ids.node_id(node.id))])
    taken.add(el.get("id", ""))
    set_attrs(el, [("type", node.type), ("description", node.description)])
    comments_to_xml(el, node.comments)
    for aset in node.attr_sets:
        # node sets derive their ids from the uname, not from a numeric node id
        el.append(attr_set_to_xml(aset, node.id, taken))
    return el


def primitive_to_xml(prim: Primitive, taken: MutableSet[str], nest: Nest | None = None) -> ET.Element:
    """``<primitive>`` (or ``<template>`` for an rsc_template) with sets and operations."""
    el = ET.Element("template" if isinstance(prim, RscTemplate) else "primitive")
    el.set("id", prim.id)
    taken.add(prim.id)
    if prim.agent is not None:
        set_attrs(
            el,
            [("class", prim.agent.ra_class), ("provider", prim.agent.provider),
             ("type", prim.agent.ra_type)],
        )
    set_attrs(el, [("template", prim.template), ("description", prim.description)])
    comments_to_xml(el, prim.comments)
    before, after = prim.sets_around_ops()
    for aset in before:
        el.append(attr_set_to_xml(aset, prim.id, taken))
    if prim.ops or prim.operations_id or prim.operations_id_ref:
        el.append(_operations_to_xml(prim, taken))
    for aset in after:
        el.append(attr_set_to_xml(aset, prim.id, taken))
    return el


def _operations_to_xml(prim: Primitive, taken: MutableSet[str]) -> ET.Element:
    ops_el = ET.Element("operations")
    if prim.operations_id_ref:
        ops_el.set("id-ref", prim.operations_id_ref)
        return ops_el
    if prim.operations_id:
        ops_el.set("id", prim.operations_id)
        taken.add(prim.operations_id)
    op_prefix = prim.operations_id or prim.id
    for op in prim.ops:
        ops_el.append(op_to_xml(op, op_prefix, taken))
    return ops_el


def op_to_xml(op: Op, op_prefix: str, taken: MutableSet[str]) -> ET.Element:
    """``<op name interval ... id>``; a missing interval becomes ``interval="0"`` (as crmsh)."""
    el = ET.Element("op")
    el.set("name", op.name)
    pairs = [(a.name, a.value) for a in op.attributes]
    # crmsh keeps the attribute order of the text: interval where it was written, or a missing
    # one as interval="0" after the others.
    if op.interval is None:
        pairs.append(("interval", "0"))
    else:
        pairs.insert(min(max(op.interval_index, 0), len(pairs)), ("interval", op.interval))
    set_attrs(el, pairs)
    interval = el.get("interval")
    op_id = own_id(op.id, ids.op_id(op_prefix, op.name, interval), taken)
    el.set("id", op_id)
    for aset in op.attr_sets:
        el.append(attr_set_to_xml(aset, op_id, taken))
    return el


def _append_children(el: ET.Element, child_ids: list[str], nest: Nest | None) -> None:
    if nest is None:
        return
    for child_id in child_ids:
        child = nest(child_id)
        if child is not None:
            el.append(child)


def group_to_xml(group: Group, taken: MutableSet[str], nest: Nest | None = None) -> ET.Element:
    """``<group id [description]>``: sets first, then the member primitives."""
    el = ET.Element("group")
    el.set("id", group.id)
    taken.add(group.id)
    set_attrs(el, [("description", group.description)])
    comments_to_xml(el, group.comments)
    for aset in group.attr_sets:
        el.append(attr_set_to_xml(aset, group.id, taken))
    _append_children(el, group.children, nest)
    return el


def clone_to_xml(clone: Clone, taken: MutableSet[str], nest: Nest | None = None) -> ET.Element:
    """``<clone>``, or ``<master>`` for a legacy ``ms`` (crmsh 4.4 keeps the old tag)."""
    el = ET.Element("master" if clone.legacy_ms else "clone")
    el.set("id", clone.id)
    taken.add(clone.id)
    set_attrs(el, [("description", clone.description)])
    comments_to_xml(el, clone.comments)
    for aset in clone.attr_sets:
        el.append(attr_set_to_xml(aset, clone.id, taken))
    _append_children(el, [clone.child] if clone.child else [], nest)
    return el


def bundle_to_xml(bundle: Bundle, taken: MutableSet[str], nest: Nest | None = None) -> ET.Element:
    """``<bundle>``: container, network (+port-mappings), storage (+mappings), then the primitive
    and the sets in the order they were given."""
    el = ET.Element("bundle")
    el.set("id", bundle.id)
    taken.add(bundle.id)
    set_attrs(el, [("description", bundle.description)])
    comments_to_xml(el, bundle.comments)
    holders: dict[str, ET.Element] = {}
    for part in bundle.parts:
        holder_tag = _NESTED_PARTS.get(part.kind)
        if holder_tag is None:
            part_el = ET.SubElement(el, part.kind)
            holders[part.kind] = part_el
        else:
            if holder_tag not in holders:
                holders[holder_tag] = ET.SubElement(el, holder_tag)
            part_el = ET.SubElement(holders[holder_tag], part.kind)
        set_attrs(part_el, [(a.name, a.value) for a in part.attributes])
        if holder_tag is not None and "id" not in part_el.attrib:
            part_el.set("id", ids.claim(ids.prefix(bundle.id), taken))
        elif part_el.get("id"):
            taken.add(part_el.get("id", ""))
    if bundle.primitive_first:
        _append_children(el, [bundle.primitive] if bundle.primitive else [], nest)
    for aset in bundle.attr_sets:
        el.append(attr_set_to_xml(aset, bundle.id, taken))
    if not bundle.primitive_first:
        _append_children(el, [bundle.primitive] if bundle.primitive else [], nest)
    return el


# --------------------------------------------------------------------------- reading


def node_from_xml(el: ET.Element, read_child: ReadChild | None = None) -> list[Element]:
    """A ``<node>``; the model id is the uname (the XML id is kept unless it equals it)."""
    uname = el.get("uname") or el.get("id") or ""
    xml_id = el.get("id")
    return [
        Node(
            id=uname,
            node_id=xml_id if xml_id != uname else None,
            type=el.get("type"),
            description=el.get("description"),
            attr_sets=attr_sets_from_xml(el, NODE_SET_KINDS),
            comments=comments_from_xml(el),
        )
    ]


def _op_from_xml(el: ET.Element) -> Op:
    attributes: list[NVPair] = []
    interval_index = 0
    for key, value in el.attrib.items():
        if key == "interval":
            interval_index = len(attributes)  # how many attributes come before it
        elif key != "id" and key != "name":
            attributes.append(NVPair(key, value))
    return Op(
        name=el.get("name", ""),
        interval=el.get("interval"),
        attributes=attributes,
        attr_sets=attr_sets_from_xml(el, OP_SET_KINDS),
        id=el.get("id"),
        interval_index=interval_index,
    )


def _ops_index(el: ET.Element, set_count: int) -> int | None:
    """How many attribute sets precede ``<operations>`` (None when it comes after all of them)."""
    seen = 0
    for child in el:
        if child.tag == "operations":
            return seen if seen < set_count else None
        if child.tag in RESOURCE_SET_KINDS:
            seen += 1
    return None


def primitive_from_xml(el: ET.Element, read_child: ReadChild | None = None) -> list[Element]:
    """A ``<primitive>`` or ``<template>``."""
    cls = RscTemplate if el.tag == "template" else Primitive
    agent = None
    if el.get("type"):
        agent = Agent(ra_class=el.get("class", ""), ra_type=el.get("type", ""),
                      provider=el.get("provider"))
    ops_el = el.find("operations")
    ops = [] if ops_el is None else [_op_from_xml(o) for o in ops_el.findall("op")]
    attr_sets = attr_sets_from_xml(el, RESOURCE_SET_KINDS)
    return [
        cls(
            id=el.get("id", ""),
            agent=agent,
            template=el.get("template"),
            description=el.get("description"),
            attr_sets=attr_sets,
            ops=ops,
            operations_id=None if ops_el is None else ops_el.get("id"),
            operations_id_ref=None if ops_el is None else ops_el.get("id-ref"),
            ops_index=_ops_index(el, len(attr_sets)),
            comments=comments_from_xml(el),
        )
    ]


def _children(el: ET.Element, read_child: ReadChild | None) -> tuple[list[str], list[Element]]:
    ids_: list[str] = []
    flat: list[Element] = []
    for child in el:
        if child.tag in RESOURCE_SECTION_TAGS:
            ids_.append(child.get("id", ""))
            if read_child is not None:
                flat.extend(read_child(child))
    return ids_, flat


def group_from_xml(el: ET.Element, read_child: ReadChild | None = None) -> list[Element]:
    """A ``<group>`` followed by its members."""
    members, flat = _children(el, read_child)
    group = Group(
        id=el.get("id", ""),
        children=members,
        description=el.get("description"),
        attr_sets=attr_sets_from_xml(el, RESOURCE_SET_KINDS),
        comments=comments_from_xml(el),
    )
    return [group, *flat]


def clone_from_xml(el: ET.Element, read_child: ReadChild | None = None) -> list[Element]:
    """A ``<clone>`` or ``<master>`` followed by its child."""
    members, flat = _children(el, read_child)
    clone = Clone(
        id=el.get("id", ""),
        child=members[0] if members else "",
        description=el.get("description"),
        attr_sets=attr_sets_from_xml(el, RESOURCE_SET_KINDS),
        legacy_ms=el.tag == "master",
        comments=comments_from_xml(el),
    )
    return [clone, *flat]


def bundle_from_xml(el: ET.Element, read_child: ReadChild | None = None) -> list[Element]:
    """A ``<bundle>`` followed by its primitive; nested mappings become parts of their own."""
    parts: list[BundlePart] = []
    for child in el:
        if child.tag in _CONTAINERS or child.tag in ("network", "storage"):
            parts.append(BundlePart(child.tag, [NVPair(k, v) for k, v in child.attrib.items()]))
            for sub in child:
                if sub.tag in _NESTED_PARTS:
                    parts.append(BundlePart(sub.tag, [NVPair(k, v) for k, v in sub.attrib.items()]))
    members, flat = _children(el, read_child)
    tags = [child.tag for child in el]
    first_set = min((tags.index(t) for t in ("meta_attributes", "instance_attributes", "utilization")
                     if t in tags), default=len(tags))
    bundle = Bundle(
        id=el.get("id", ""),
        parts=parts,
        primitive=members[0] if members else None,
        description=el.get("description"),
        attr_sets=attr_sets_from_xml(el, RESOURCE_SET_KINDS),
        comments=comments_from_xml(el),
        primitive_first="primitive" not in tags or tags.index("primitive") < first_set,
    )
    return [bundle, *flat]
