"""Attribute storage shared by crm_attribute, crm_standby and crm_failcount.

Where Pacemaker keeps each kind of attribute, with the element ids its tools create:

=============  ===========================================================  ==============================
scope          container                                                    nvpair id
=============  ===========================================================  ==============================
crm_config     configuration/crm_config/cluster_property_set[cib-bootstrap-options]  ``cib-bootstrap-options-NAME``
rsc_defaults   configuration/rsc_defaults/meta_attributes[rsc-options]      ``rsc-options-NAME``
op_defaults    configuration/op_defaults/meta_attributes[op-options]        ``op-options-NAME``
nodes          configuration/nodes/node[UUID]/instance_attributes[nodes-UUID]  ``nodes-UUID-NAME``
utilization    configuration/nodes/node[UUID]/utilization[nodes-UUID-utilization]  ``...-utilization-NAME``
status         status/node_state[UUID]/transient_attributes/instance_attributes[status-UUID]  ``status-UUID-NAME``
=============  ===========================================================  ==============================
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.engine import facade
from crmsh_py.engine.facade import ClusterDefinition
from crmsh_py.records import record

# scope -> (section under configuration, set tag, default set id)
_CLUSTER_SCOPES: dict[str, tuple[str, str, str]] = {
    "crm_config": ("crm_config", "cluster_property_set", "cib-bootstrap-options"),
    "rsc_defaults": ("rsc_defaults", "meta_attributes", "rsc-options"),
    "op_defaults": ("op_defaults", "meta_attributes", "op-options"),
}
SCOPES = ("crm_config", "rsc_defaults", "op_defaults", "nodes", "status", "utilization")


@record
class Target:
    """Where an attribute lives: ``scope`` plus, for node scopes, the node's name and uuid."""

    scope: str
    node: str | None = None
    uuid: str | None = None
    set_id: str | None = None


def _configuration(root: ET.Element, name: str) -> ET.Element:
    configuration = root.find("configuration")
    if configuration is None:
        configuration = ET.SubElement(root, "configuration")
    section = configuration.find(name)
    if section is None:
        section = ET.SubElement(configuration, name)
    return section


def _node_element(root: ET.Element, target: Target, create: bool) -> ET.Element | None:
    nodes = _configuration(root, "nodes")
    for node in nodes.findall("node"):
        if node.get("id") == target.uuid or node.get("uname") == target.node:
            return node
    if not create:
        return None
    return ET.SubElement(nodes, "node", {"id": target.uuid or target.node or "", "uname": target.node or ""})


def _sets(root: ET.Element, target: Target, create: bool) -> list[ET.Element]:
    """The nvpair containers of ``target`` (the first one is where new values go)."""
    if target.scope in _CLUSTER_SCOPES:
        section_name, tag, default_id = _CLUSTER_SCOPES[target.scope]
        section = _configuration(root, section_name) if create else root.find(f"configuration/{section_name}")
        if section is None:
            return []
        found = [s for s in section.findall(tag) if target.set_id in (None, s.get("id"))]
        preferred = [s for s in found if s.get("id") == (target.set_id or default_id)]
        found = preferred + [s for s in found if s not in preferred]
        if not found and create:
            found = [ET.SubElement(section, tag, {"id": target.set_id or default_id})]
        return found
    if target.scope in ("nodes", "utilization"):
        node = _node_element(root, target, create)
        if node is None:
            return []
        tag = "instance_attributes" if target.scope == "nodes" else "utilization"
        default_id = f"nodes-{target.uuid}" + ("" if tag == "instance_attributes" else "-utilization")
        found = [s for s in node.findall(tag) if target.set_id in (None, s.get("id"))]
        if not found and create:
            found = [ET.SubElement(node, tag, {"id": target.set_id or default_id})]
        return found
    if target.scope == "status":
        status = root.find("status")
        for state in status.findall("node_state") if status is not None else []:
            if state.get("uname") == target.node or state.get("id") == target.uuid:
                return state.findall("transient_attributes/instance_attributes")
        return []
    raise ValueError(f"unknown scope {target.scope}")


def query(root: ET.Element, target: Target, name: str | None) -> list[tuple[str, str, str]]:
    """``(id, name, value)`` of the attribute ``name`` (or of all attributes when None)."""
    out = []
    for attr_set in _sets(root, target, create=False):
        for nvpair in attr_set.findall("nvpair"):
            if name is None or nvpair.get("name") == name:
                out.append((nvpair.get("id", ""), nvpair.get("name", ""), nvpair.get("value", "")))
    return out


def update(root: ET.Element, definition: ClusterDefinition, target: Target, name: str, value: str,
           nv_id: str | None = None) -> None:
    """Set ``name=value`` (changing the first existing nvpair, else creating one)."""
    if target.scope == "status":
        state = facade.node_state_element(root, definition, target.node or "")
        if target.uuid:
            state.set("id", state.get("id") or target.uuid)
        facade.set_transient_attribute(root, definition, target.node or "", name, value)
        return
    sets = _sets(root, target, create=True)
    for attr_set in sets:
        for nvpair in attr_set.findall("nvpair"):
            if nvpair.get("name") == name and nv_id in (None, nvpair.get("id")):
                nvpair.set("value", value)
                return
    attr_set = sets[0]
    ET.SubElement(attr_set, "nvpair", {"id": nv_id or f"{attr_set.get('id')}-{name}", "name": name,
                                       "value": value})


def delete(root: ET.Element, target: Target, name: str) -> list[str]:
    """Remove every nvpair ``name`` of ``target``; returns the removed ids."""
    removed = []
    for attr_set in _sets(root, target, create=False):
        for nvpair in list(attr_set.findall("nvpair")):
            if nvpair.get("name") == name:
                attr_set.remove(nvpair)
                removed.append(nvpair.get("id", ""))
    return removed
