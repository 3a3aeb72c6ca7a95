"""crmsh's warnings about what a constraint refers to (``verify``, ``commit``).

For each resource a constraint names, in the order it names them: one that does not exist; a group
member named by a colocation (the group should be named); a member of a clone or bundle (the
container should be named).  A location also warns about a node it names (``SCORE: NODE`` or a
``#uname eq NODE`` expression of its rules) that the configuration has no node for.  A fencing
topology warns, level by level, about a target node that does not exist, then about each device
that does not exist or is not a stonith resource.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.cib.model import (Bundle, Clone, Colocation, Expression, FencingTopology, Group, Location, Node,
                                Order, Primitive, ResourceRef, ResourceSet, RscTicket)

if TYPE_CHECKING:
    from crmsh_py.cib.model import ConstraintItem, Element


class References:
    """What the checks look up in the whole configuration."""

    def __init__(self, elements: list["Element"], ids: set[str]) -> None:
        self.ids = ids
        self.parents: dict[str, str] = {}
        for e in elements:
            if isinstance(e, Group):
                self.parents.update({child: "group" for child in e.children})
            elif isinstance(e, Clone):
                self.parents[e.child] = "clone"
            elif isinstance(e, Bundle) and e.primitive:
                self.parents[e.primitive] = "bundle"
        self.nodes = {n.lower() for e in elements if isinstance(e, Node) for n in (e.id, e.node_id or e.id)}
        self.unames = {e.id.lower() for e in elements if isinstance(e, Node)}
        self.stonith = {e.id for e in elements if isinstance(e, Primitive) and e.agent is not None
                        and e.agent.ra_class == "stonith"}


def _named(items: list["ConstraintItem"]) -> list[str]:
    ids: list[str] = []
    for item in items:
        if isinstance(item, ResourceRef):
            ids.append(item.id)
        elif isinstance(item, ResourceSet):
            ids.extend(item.resources)
    return ids


def _resources(element: "Element") -> list[str]:
    if isinstance(element, (Colocation, Order, RscTicket)):
        return _named(element.items)
    if isinstance(element, Location):
        if element.resource_sets:
            return _named(list(element.resource_sets))
        return [element.resource.id] if element.resource is not None else []
    return []


def _node_warnings(element: "Element", refs: References) -> list[str]:
    if not isinstance(element, Location):
        return []
    named = [element.node] if element.node else []
    named += [e.value for rule in element.rules for e in rule.expressions
              if isinstance(e, Expression) and e.attribute == "#uname" and e.value]
    return [f"{element.id}: referenced node {name} does not exist" for name in named
            if name.lower() not in refs.nodes]


def _fencing_warnings(element: "Element", refs: References) -> list[str]:
    if not isinstance(element, FencingTopology):
        return []
    out = [f"fencing_topology: target {level.target} not a node" for level in element.levels
           if level.target is not None and level.target.lower() not in refs.unames]
    for device in (d for level in element.levels for d in level.devices):
        if device not in refs.ids:
            out.append(f"fencing_topology: resource {device} does not exist")
        elif device not in refs.stonith:
            out.append(f"fencing_topology: {device} not a stonith resource")
    return out


def reference_warnings(element: "Element", refs: References) -> list[str]:
    """crmsh's warnings about the resources and nodes ``element`` refers to."""
    out = _node_warnings(element, refs) + _fencing_warnings(element, refs)
    if isinstance(element, Location) and element.rsc_pattern is not None and not element.resource_sets:
        # crmsh looks the location's rsc up, finds none (it has a pattern) and names it None
        out.append(f"{element.id}: resource None does not exist")
    for rid in _resources(element):
        parent = refs.parents.get(rid)
        if rid not in refs.ids:
            out.append(f"{element.id}: resource {rid} does not exist")
        elif parent == "group":
            if isinstance(element, Colocation):
                out.append(f"{element.id}: resource {rid} is grouped, constraints should apply to the group")
        elif parent is not None:
            out.append(f"{element.id}: resource {rid} ambiguous, apply constraints to container")
    return out
