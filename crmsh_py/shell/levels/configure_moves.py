"""Constraints follow their resources into and out of containers, as crmsh moves them.

- Putting resources into a group or clone points the constraints on them at the container
  (``modified location:l1 from d1 to g1``); constraints left tying the container to itself go.
- Deleting a group or clone points its plain (non-set) constraints at its first child; deleting the
  only child of a clone deletes the clone first.
- Renaming says which constraints it changed.
"""

from __future__ import annotations

import copy

from crmsh_py.cib.model import Clone, Colocation, Group, Location, Order, ResourceRef, RscTicket
from crmsh_py.shell.levels.configure_refs import rename_references

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py.cib.model import Element
    from crmsh_py.session import Session

CONSTRAINTS = (Location, Colocation, Order, RscTicket)
_SENTINEL = "\x00crm-ref\x00"


def refers_to(element: "Element", target: str) -> bool:
    """Whether ``element`` mentions ``target`` (found by renaming it on a copy and seeing a change)."""
    from crmsh_py.lang.writer import write

    probe = copy.deepcopy(element)
    rename_references([probe], target, _SENTINEL)
    return write(probe) != write(element)


def label(element: "Element") -> str:
    """crmsh's name for an element in messages: ``location:l1``."""
    from crmsh_py.lang.writer import keyword

    return f"{keyword(element)}:{element.id}"


def _simple(element: "Element") -> bool:
    """A constraint on plain resource references (no resource sets)."""
    if isinstance(element, Location):
        return element.resource is not None and not element.resource_sets
    items = getattr(element, "items", [])
    return all(isinstance(i, ResourceRef) for i in items) and len(items) <= 2


def _silly(element: "Element") -> bool:
    """A colocation or order of a resource with itself."""
    items = getattr(element, "items", None)
    if not isinstance(element, (Colocation, Order)) or not items:
        return False
    ids = [i.id for i in items if isinstance(i, ResourceRef)]
    return len(ids) == 2 and ids[0] == ids[1]


def move(session: "Session", elements: list["Element"], old: str, new: str,
         only_simple: bool = False) -> list["Element"]:
    """Point the constraints on ``old`` at ``new`` (saying so); returns ``elements`` without the
    constraints that end up tying a resource to itself."""
    for element in elements:
        if isinstance(element, CONSTRAINTS) and (_simple(element) or not only_simple) \
                and refers_to(element, old):
            rename_references([element], old, new)
            session.info(f"modified {label(element)} from {old} to {new}")
    return [e for e in elements if not _silly(e)]


def into_container(session: "Session", elements: list["Element"], container: "Element") -> list["Element"]:
    """A new group or clone takes over the constraints of the resources it holds."""
    if isinstance(container, Group):
        children = list(container.children)
    elif isinstance(container, Clone):
        children = [container.child]
    else:
        return elements
    for child in children:
        elements = move(session, elements, child, container.id)
    return elements


def deletion_order(elements: list["Element"], ids: list[str]) -> list[str]:
    """The ids to delete, with the clone of a deleted only child added before it."""
    out: list[str] = []
    for rid in ids:
        for e in elements:
            if isinstance(e, Clone) and e.child == rid and e.id not in ids and e.id not in out:
                out.append(e.id)
        if rid not in out:
            out.append(rid)
    return out


def out_of_containers(session: "Session", elements: list["Element"], ids: list[str]) -> list["Element"]:
    """Containers about to be deleted hand their plain constraints to their first child."""
    by_id = {e.id: e for e in elements}
    containers: list[Clone | Group] = [c for i in ids if isinstance(c := by_id.get(i), (Clone, Group))]
    containers.sort(key=lambda c: 0 if isinstance(c, Clone) else 1)  # outermost first
    for container in containers:
        first = container.child if isinstance(container, Clone) else (container.children or [""])[0]
        if first:
            elements = move(session, elements, container.id, first, only_simple=True)
    return elements
