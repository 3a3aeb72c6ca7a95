"""Configuration model <-> ``<configuration>`` XML.

The per-type writers and readers live in ``xml_resources``, ``xml_constraints``, ``xml_misc`` and
``xml_rules``; this module places elements in their CIB sections, nests group/clone/bundle
children and keeps the set of taken ids so generated ids are unique across the document.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import xml_constraints, xml_misc, xml_resources
from crmsh_py.collector import without_gc
from crmsh_py.cib.model import (
    AclGroup,
    AclTarget,
    Alert,
    Bundle,
    ClusterSet,
    Clone,
    Colocation,
    Configuration,
    Element,
    FencingTopology,
    Group,
    Location,
    Node,
    Order,
    Primitive,
    RawXml,
    ResourceRef,
    Role,
    RscTemplate,
    RscTicket,
    Tag,
    User,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, MutableSet
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])
    Lookup = Callable[[str], "Element | None"]
    ReadFn = Callable[..., list[Element]]

# Sections in the order crmsh 4.4 writes them; the first four always exist (the schema wants them).
SECTIONS: tuple[str, ...] = (
    "crm_config", "nodes", "resources", "constraints", "tags", "fencing-topology",
    "rsc_defaults", "op_defaults", "acls", "alerts",
)
_REQUIRED_SECTIONS = SECTIONS[:4]

_WRITERS: dict[type, Callable[..., ET.Element]] = {
    Node: xml_resources.node_to_xml,
    Primitive: xml_resources.primitive_to_xml,
    RscTemplate: xml_resources.primitive_to_xml,
    Group: xml_resources.group_to_xml,
    Clone: xml_resources.clone_to_xml,
    Bundle: xml_resources.bundle_to_xml,
    **xml_constraints.WRITERS,
    **xml_misc.WRITERS,
}

_SECTION_BY_TYPE: dict[type, str] = {
    Node: "nodes",
    Primitive: "resources",
    RscTemplate: "resources",
    Group: "resources",
    Clone: "resources",
    Bundle: "resources",
    Location: "constraints",
    Colocation: "constraints",
    Order: "constraints",
    RscTicket: "constraints",
    FencingTopology: "fencing-topology",
    Tag: "tags",
    Role: "acls",
    AclTarget: "acls",
    AclGroup: "acls",
    User: "acls",
    Alert: "alerts",
}
_SECTION_BY_CLUSTER_SET: dict[str, str] = {
    "property": "crm_config",
    "rsc_defaults": "rsc_defaults",
    "op_defaults": "op_defaults",
}
_SECTION_BY_RAW_TAG: dict[str, str] = {
    "cluster_property_set": "crm_config",
    "node": "nodes",
    "primitive": "resources",
    "template": "resources",
    "group": "resources",
    "clone": "resources",
    "master": "resources",
    "bundle": "resources",
    "rsc_location": "constraints",
    "rsc_colocation": "constraints",
    "rsc_order": "constraints",
    "rsc_ticket": "constraints",
    "tag": "tags",
    "fencing-level": "fencing-topology",
    "acl_role": "acls",
    "acl_target": "acls",
    "acl_group": "acls",
    "acl_user": "acls",
    "alert": "alerts",
}
_NESTABLE = (Primitive, Group, Clone, Bundle)

def _cluster_sets(kind: str) -> ReadFn:
    """The reader of a section's property or defaults sets (``kind``: property, rsc_defaults,
    op_defaults)."""
    def read(el: ET.Element, read_child: object = None) -> list[Element]:
        return xml_misc.cluster_set_from_xml(el, read_child, kind=kind)

    return read


_RESOURCE_READERS: dict[str, ReadFn] = {
    "primitive": xml_resources.primitive_from_xml,
    "template": xml_resources.primitive_from_xml,
    "group": xml_resources.group_from_xml,
    "clone": xml_resources.clone_from_xml,
    "master": xml_resources.clone_from_xml,
    "bundle": xml_resources.bundle_from_xml,
}
_READERS_BY_SECTION: dict[str, dict[str, ReadFn]] = {
    "crm_config": {"cluster_property_set": _cluster_sets("property")},
    "nodes": {"node": xml_resources.node_from_xml},
    "resources": _RESOURCE_READERS,
    "constraints": xml_constraints.READERS,
    "tags": {"tag": xml_misc.tag_from_xml},
    "rsc_defaults": {"meta_attributes": _cluster_sets("rsc_defaults")},
    "op_defaults": {"meta_attributes": _cluster_sets("op_defaults")},
    "acls": {
        "acl_role": xml_misc.role_from_xml,
        "acl_target": xml_misc.acl_target_from_xml,
        "acl_group": xml_misc.acl_group_from_xml,
        "acl_user": xml_misc.user_from_xml,
    },
    "alerts": {"alert": xml_misc.alert_from_xml},
}
# Every reader by tag, for element_from_xml without a section (meta_attributes: rsc_defaults).
_ALL_READERS: dict[str, ReadFn] = {
    tag: reader
    for section in reversed(list(_READERS_BY_SECTION.values()))
    for tag, reader in section.items()
}


# --------------------------------------------------------------------------- writing


def section_of(element: Element) -> str:
    """The ``<configuration>`` section an element belongs in."""
    if isinstance(element, ClusterSet):
        return _SECTION_BY_CLUSTER_SET[element.kind]
    if isinstance(element, RawXml):
        return _SECTION_BY_RAW_TAG.get(element.tag, "resources")
    return _SECTION_BY_TYPE[type(element)]


def _make_nest(lookup: Lookup, taken: MutableSet[str], emitted: set[str]) -> Callable[[str], ET.Element | None]:
    def nest(child_id: str) -> ET.Element | None:
        child = lookup(child_id)
        if not isinstance(child, _NESTABLE) or isinstance(child, RscTemplate) or child_id in emitted:
            return None
        emitted.add(child_id)
        return _WRITERS[type(child)](child, taken, nest)

    return nest


def explicit_ids(elements: Iterable[Element]) -> set[str]:
    """Every id given in the model (top-level and nested), so generated ids avoid them."""
    found: set[str] = set()
    stack: list[object] = list(elements)
    for _step in range(_MAX_NODES):
        if not stack:
            break
        obj = stack.pop()
        kind = type(obj)
        if kind is list:
            stack.extend(obj)  # type: ignore[arg-type]
            continue
        if kind is ResourceRef:  # its id names another element
            continue
        for name in getattr(kind, "__record_names__", ()):
            value = getattr(obj, name)
            if value is None:
                continue
            value_kind = type(value)
            if value_kind is str:
                if value and name in ID_FIELDS:
                    found.add(value)
            elif value_kind is list:
                if value and type(value[0]) is not str:
                    stack.extend(value)
            elif hasattr(value_kind, "__record_names__"):
                stack.append(value)
    # a Node's model id is its uname; only node_id or the uname-as-id is an XML id
    return found


# the model fields that hold XML ids (explicit_ids, and validation's duplicate-id check, read them)
ID_FIELDS = frozenset({"id", "node_id", "operations_id"})
_MAX_NODES = 10_000_000  # the model is a tree: this only bounds the loop


def held_by(element: Element) -> list[str]:
    """The ids of the resources a group, clone or bundle holds, in order (none for any other element)."""
    if isinstance(element, Group):
        return list(element.children)
    if isinstance(element, Clone) and element.child:
        return [element.child]
    if isinstance(element, Bundle) and element.primitive:
        return [element.primitive]
    return []


def contained_ids(elements: Iterable[Element]) -> list[str]:
    """The ids of the resources inside a group, clone or bundle of ``elements``, container by
    container, in order."""
    return [ident for element in elements for ident in held_by(element)]




@without_gc
def configuration_to_xml(cfg: Configuration, reserved: Collection[str] = ()) -> ET.Element:
    """The whole ``<configuration>`` for a model, with crmsh's generated ids (none of which is one
    of ``reserved``)."""
    by_id: dict[str, Element] = {}
    for element in cfg.elements:
        if isinstance(element, _NESTABLE):
            by_id.setdefault(element.id, element)
    taken = explicit_ids(cfg.elements) | set(reserved)
    emitted: set[str] = set()
    nest = _make_nest(by_id.get, taken, emitted)
    nested = set(contained_ids(cfg.elements))
    root = ET.Element("configuration")
    sections: dict[str, ET.Element] = {}
    node_names = [e.id for e in cfg.elements if isinstance(e, Node)]
    for element in cfg.elements:
        if isinstance(element, _NESTABLE) and not isinstance(element, RscTemplate):
            if element.id in nested or element.id in emitted:
                continue  # written inside its parent
            emitted.add(element.id)
        name = section_of(element)
        if name not in sections:
            sections[name] = ET.Element(name)
        if isinstance(element, FencingTopology):
            sections[name].extend(xml_misc.fencing_levels_to_xml(element, taken, node_names))
        else:  # (templates too, where they are: crmsh appends new elements, a load's templates first)
            sections[name].append(_WRITERS[type(element)](element, taken, nest))
    # children whose parent is missing are still written, at the top of <resources>
    for element in cfg.elements:
        if isinstance(element, _NESTABLE) and element.id not in emitted and element.id in nested:
            sections.setdefault("resources", ET.Element("resources")).append(
                nest(element.id) or ET.Element("primitive", {"id": element.id}))
    for name in _REQUIRED_SECTIONS:
        made = sections.pop(name, None)
        root.append(made if made is not None else ET.Element(name))
    # the others as crmsh makes them: each appended when its first element is (dicts keep order)
    root.extend(sections.values())
    return root


# --------------------------------------------------------------------------- reading


def _read_resource(el: ET.Element) -> list[Element]:
    reader = _RESOURCE_READERS.get(el.tag)
    if reader is None:
        return xml_misc.raw_from_xml(el)
    return reader(el, _read_resource)


def element_from_xml(el: ET.Element, section: str | None = None) -> Element:
    """One XML element as a model element (container children are named, not included).

    ``section`` disambiguates ``meta_attributes`` (rsc_defaults or op_defaults); a
    ``<fencing-topology>`` gives the FencingTopology; unknown tags give RawXml.
    """
    if el.tag == "fencing-topology":
        return xml_misc.fencing_topology_from_xml(el)
    readers = _READERS_BY_SECTION.get(section or "", _ALL_READERS)
    reader = readers.get(el.tag, xml_misc.raw_from_xml)
    return reader(el, None)[0]


@without_gc
def configuration_from_xml(configuration: ET.Element) -> Configuration:
    """The model of a ``<configuration>``: sections in document order, containers before
    their children (a group, then its primitives)."""
    elements: list[Element] = []
    for section in configuration:
        if not isinstance(section.tag, str):
            continue
        if section.tag == "fencing-topology":
            topo = xml_misc.fencing_topology_from_xml(section)
            if topo.levels or topo.comments:
                elements.append(topo)
            continue
        readers = _READERS_BY_SECTION.get(section.tag)
        if readers is None:
            continue
        for child in section:
            if not isinstance(child.tag, str):
                continue
            reader = readers.get(child.tag, xml_misc.raw_from_xml)
            elements.extend(reader(child, _read_resource))
    return Configuration(elements=elements)
