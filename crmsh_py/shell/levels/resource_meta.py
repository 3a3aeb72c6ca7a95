"""crmsh's "deep" meta attributes: ``resource maintenance|manage|unmanage`` and ``node maintenance``.

crmsh does not just set one meta attribute.  ``maintenance`` and ``is-managed`` contradict each
other, so setting one removes the other where it would override the new value; on a group (or a
cloned group) the children's own copies are removed too, as the ``manage-children`` option says
(``ask``: ask, and answer no when nobody can be asked; ``-F`` answers yes).  A resource inside a
clone is changed on the clone.  These functions edit a ``<cib>`` element in place; the caller
writes the difference with :func:`crmsh_py.shell.cibedit.edit_configuration`.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

from crmsh_py.errors import CommandError
from crmsh_py.shell.cibedit import all_ids, ask, drop_empty_sets, find_by_id, nvpair_in, parent_map, set_nvpair

if TYPE_CHECKING:
    from crmsh_py.session import Session

CONFLICTS = {"maintenance": "is-managed", "is-managed": "maintenance"}
CONTAINERS = ("group", "clone", "master", "bundle")
CLONES = ("clone",)  # crmsh's test for "is a clone" looks at this tag only
RESOURCES = ("primitive", "group", "clone", "master", "template", "bundle")
CHILD_RESOURCES = ("group", "primitive")
NVPAIR_SETS = ("meta_attributes", "instance_attributes", "utilization")


def _drop_empty_everywhere(element: ET.Element) -> None:
    """Remove attribute sets left empty anywhere under ``element`` (crmsh tidies the subtree)."""
    for sub in [element, *element.iter()]:
        for tag in NVPAIR_SETS:
            for attr_set in sub.findall(tag):
                if len(attr_set) == 0:
                    sub.remove(attr_set)


def _collect(element: ET.Element, name: str, found: list[ET.Element], every_child: bool = False) -> None:
    """Meta nvpairs called ``name`` of ``element``'s children (crmsh's rm_meta_attribute walk):
    meta sets directly under it; child resources below unless ``element`` is a group."""
    for child in element:
        if child.tag == "meta_attributes":
            nvpair = nvpair_in(child, name)
            if nvpair is not None:
                found.append(nvpair)
        elif every_child or (child.tag in CHILD_RESOURCES and element.tag != "group"):
            _collect(child, name, found, every_child)


def _primitives_with(element: ET.Element, name: str) -> list[ET.Element]:
    return [p for p in element.iter("primitive")
            if any(nvpair_in(s, name) is not None for s in p.findall("meta_attributes"))]


def _remove(found: list[ET.Element], parents: dict[ET.Element, ET.Element]) -> None:
    seen: set[int] = set()
    for nvpair in found:
        if id(nvpair) in seen or nvpair not in parents:
            continue
        seen.add(id(nvpair))
        parent = parents[nvpair]
        if nvpair in list(parent):
            parent.remove(nvpair)


def _cloned_tag(element: ET.Element) -> str | None:
    for child in element:
        if child.tag in RESOURCES:
            return child.tag
    return None


def set_deep_meta_on(session: "Session", root: ET.Element, target: ET.Element, name: str, value: str) -> None:
    """crmsh's set_deep_meta_attr_node: set ``name=value`` on ``target``, clearing what overrides it."""
    parents = parent_map(root)
    reserved = all_ids(root)
    conflicting = CONFLICTS.get(name)
    manage_children = session.options.get("manage-children", "ask")
    found: list[ET.Element] = []
    if target.tag in CLONES:
        for child in target:
            if child.tag in CHILD_RESOURCES:
                _collect(child, name, found)
    grouped = target.tag == "group" or (target.tag in CLONES and _cloned_tag(target) == "group")
    if manage_children != "never" and grouped:
        def wanted(question: str) -> bool:
            return manage_children == "always" or (manage_children == "ask" and ask(session, question))

        if conflicting:
            for child in _primitives_with(target, conflicting):
                if wanted(f"'{name}' conflicts with '{conflicting}' attribute. Remove '{conflicting}' "
                          f"for child resource {child.get('id')}?"):
                    _collect(child, conflicting, found, every_child=True)
        for child in _primitives_with(target, name):
            if wanted(f"Do you want to override '{name}' for child resource {child.get('id')}?"):
                _collect(child, name, found, every_child=True)
    _remove(found, parents)
    if conflicting:
        own = [p for s in target.findall("meta_attributes") for p in s.findall("nvpair")
               if p.get("name") == conflicting]
        if own and ask(session, f"'{name}' conflicts with '{conflicting}' attribute. Remove "
                                f"'{conflicting}' for resource {target.get('id')}?"):
            _remove(own, parent_map(root))
    _drop_empty_everywhere(target)
    set_nvpair(root, target, "meta_attributes", name, value, reserved=reserved,
               first=target.tag in ("clone", "master"))


def _topmost(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> ET.Element:
    while element in parents and parents[element].tag in CONTAINERS:
        element = parents[element]
    return element


def _resolve(root: ET.Element, ident: str) -> list[ET.Element]:
    """The resources ``ident`` names: itself, or a tag's members (tags of tags too)."""
    element = find_by_id(root, ident)
    if element is None:
        return []
    if element.tag != "tag":
        return [element] if element.tag in RESOURCES else []
    out: list[ET.Element] = []
    for ref in element.findall("obj_ref"):
        out.extend(_resolve(root, ref.get("id") or ""))
    return out


def set_deep_meta(session: "Session", root: ET.Element, rsc: str, name: str, value: str) -> None:
    """crmsh's set_deep_meta_attr for ``rsc`` (a resource or a tag of resources) in ``root``."""
    targets = _resolve(root, rsc)
    if not targets:
        raise CommandError(f"Resource not found: {rsc}")
    parents = parent_map(root)
    for element in targets:
        in_group = element.tag == "primitive" and parents.get(element) is not None \
            and parents[element].tag == "group"
        set_deep_meta_on(session, root, element if in_group else _topmost(element, parents), name, value)


# ---------------------------------------------------------------------- nodes


def _resources_for_node(root: ET.Element, uname: str) -> list[ET.Element]:
    """crmsh's get_resources_on_nodes: every primitive, group and clone, except those with a
    ``cli-prefer-`` constraint pointing at another node."""
    conf = root.find("configuration")
    assert conf is not None
    excluded = {(c.get("id") or "").replace("cli-prefer-", "") for c in conf.iter("rsc_location")
                if c.get("node") not in (uname,)}
    resources = conf.find("resources")
    if resources is None:
        return []
    kinds = ("primitive", "group", "clone")  # crmsh's processing order: simple objects first
    found = [e for e in resources.iter() if e.tag in kinds and e.get("id") not in excluded]
    return sorted(found, key=lambda e: kinds.index(e.tag))  # stable: document order within a kind


def set_node_attr(session: "Session", root: ET.Element, uname: str, name: str, value: str) -> None:
    """crmsh's update_xml_node: set a node attribute, first removing the same (and the
    conflicting) meta attribute from the resources that could run there."""
    conf = root.find("configuration")
    node = None
    if conf is not None:
        node = next((n for n in conf.iterfind("nodes/node") if n.get("uname") == uname), None)
    if node is None:
        raise CommandError(f"node {uname} not found in the CIB")
    conflicting = CONFLICTS.get(name)
    manage_children = session.options.get("manage-children", "ask")
    parents = parent_map(root)
    reserved = all_ids(root)

    def wanted(question: str) -> bool:
        return manage_children == "always" or (manage_children == "ask" and ask(session, question))

    for rsc in _resources_for_node(root, uname):
        for meta in rsc.findall("meta_attributes"):
            nvpair = nvpair_in(meta, name)
            if nvpair is not None and wanted(f"'{name}' attribute already exists in {rsc.get('id')}. Remove it?"):
                _remove([nvpair], parents)
                _drop_empty_everywhere(rsc)
            other = nvpair_in(meta, conflicting) if conflicting else None
            if other is not None and wanted(f"'{conflicting}' conflicts with '{name}' in {rsc.get('id')}. "
                                            "Remove it?"):
                _remove([other], parents)
                _drop_empty_everywhere(rsc)
    own = [p for s in node.findall("instance_attributes") for p in s.findall("nvpair")
           if conflicting and p.get("name") == conflicting]
    if own and ask(session, f"'{conflicting}' conflicts with '{name}' in {uname}. Remove it?"):
        _remove(own, parent_map(root))
        drop_empty_sets(node, "instance_attributes")
    set_nvpair(root, node, "instance_attributes", name, value, new_set_id=f"nodes-{node.get('id')}",
                reserved=reserved)
