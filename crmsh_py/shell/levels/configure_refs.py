"""Which ids an element refers to, and how to rename or drop those references.

One table per concern, keyed by element type: rename walks every reference, drop removes
references to deleted elements and says whether what is left still means anything.
"""

from __future__ import annotations

from crmsh_py.cib.model import (
    AclGroup,
    AclTarget,
    Bundle,
    Clone,
    Colocation,
    Element,
    FencingTopology,
    Group,
    Location,
    Order,
    Primitive,
    ResourceRef,
    ResourceSet,
    RscTemplate,
    RscTicket,
    Tag,
    User,
)

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def _items_rename(items: list[Any], old: str, new: str) -> None:
    for item in items:
        if isinstance(item, ResourceRef) and item.id == old:
            item.id = new
        elif isinstance(item, ResourceSet):
            item.resources = [new if r == old else r for r in item.resources]


def _items_drop(items: list[Any], gone: set[str]) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        if isinstance(item, ResourceRef):
            if item.id not in gone:
                kept.append(item)
        elif isinstance(item, ResourceSet):
            item.resources = [r for r in item.resources if r not in gone]
            if item.resources:
                kept.append(item)
        else:
            kept.append(item)
    return kept


def _count(items: list[Any]) -> int:
    return sum(1 if isinstance(i, ResourceRef) else len(i.resources) for i in items)


def _sub(values: list[str], old: str, new: str) -> list[str]:
    return [new if v == old else v for v in values]


# ---------------------------------------------------------------------- rename


def _rename_location(e: Location, old: str, new: str) -> None:
    if e.resource is not None and e.resource.id == old:
        e.resource.id = new
    _items_rename(e.resource_sets, old, new)


def _rename_fencing(e: FencingTopology, old: str, new: str) -> None:
    for level in e.levels:
        level.devices = _sub(level.devices, old, new)


def _rename_template(e: Primitive, old: str, new: str) -> None:
    if e.template == old:
        e.template = new


RENAMERS: dict[type, Callable[..., None]] = {
    Primitive: _rename_template,
    RscTemplate: _rename_template,
    Group: lambda e, o, n: setattr(e, "children", _sub(e.children, o, n)),
    Clone: lambda e, o, n: setattr(e, "child", n if e.child == o else e.child),
    Bundle: lambda e, o, n: setattr(e, "primitive", n if e.primitive == o else e.primitive),
    Location: _rename_location,
    Colocation: lambda e, o, n: _items_rename(e.items, o, n),
    Order: lambda e, o, n: _items_rename(e.items, o, n),
    RscTicket: lambda e, o, n: _items_rename(e.items, o, n),
    Tag: lambda e, o, n: setattr(e, "refs", _sub(e.refs, o, n)),
    FencingTopology: _rename_fencing,
    AclTarget: lambda e, o, n: setattr(e, "roles", _sub(e.roles, o, n)),
    AclGroup: lambda e, o, n: setattr(e, "roles", _sub(e.roles, o, n)),
    User: lambda e, o, n: setattr(e, "roles", _sub(e.roles, o, n)),
}


# what the user's `rename` leaves naming the old id: crmsh's renames the element and the
# constraints on it (and a container holds the element itself), nothing else; commit then tells
# (crm_verify about a role or template, a warning about a fencing device; delete does drop a
# tag's reference)
LEFT_BY_RENAME = (Tag, FencingTopology, AclTarget, AclGroup, User, Primitive, RscTemplate)


def rename_references(elements: list[Element], old: str, new: str, skip: tuple[type, ...] = ()) -> None:
    """Point every reference to ``old`` at ``new`` (not in elements of the types in ``skip``)."""
    for element in elements:
        renamer = RENAMERS.get(type(element))
        if renamer is not None and not isinstance(element, skip):
            renamer(element, old, new)


# ---------------------------------------------------------------------- drop


def _drop_group(e: Group, gone: set[str]) -> bool:
    e.children = [c for c in e.children if c not in gone]
    return bool(e.children)


def _drop_location(e: Location, gone: set[str]) -> bool:
    if e.resource is not None and e.resource.id in gone:
        e.resource = None
    e.resource_sets = _items_drop(e.resource_sets, gone)
    return e.resource is not None or bool(e.resource_sets) or e.rsc_pattern is not None


def _drop_items(minimum: int) -> Callable[..., bool]:
    def drop(e: Colocation | Order | RscTicket, gone: set[str]) -> bool:
        e.items = _items_drop(e.items, gone)
        return _count(e.items) >= minimum

    return drop


def _drop_tag(e: Tag, gone: set[str]) -> bool:
    e.refs = [r for r in e.refs if r not in gone]
    return bool(e.refs)


def _drop_bundle_primitive(e: Bundle, gone: set[str]) -> bool:
    if e.primitive in gone:
        e.primitive = None
    return True  # a bundle without its primitive is still a bundle


DROPPERS: dict[type, Callable[..., bool]] = {
    Group: _drop_group,
    Clone: lambda e, gone: e.child not in gone,
    Bundle: _drop_bundle_primitive,
    Location: _drop_location,
    Colocation: _drop_items(2),
    Order: _drop_items(2),
    RscTicket: _drop_items(1),
    Tag: _drop_tag,
}
# a fencing topology is left as it is by rename and delete, as crmsh leaves it (commit's checks
# then warn about a device that no longer exists)


def drop_references(elements: list[Element], gone: set[str]) -> tuple[list[Element], list[str]]:
    """Remove references to ``gone`` ids; elements left meaningless are removed too (cascading).

    Returns the remaining elements and the ids removed on the way (besides ``gone``).
    """
    removed: list[str] = []
    remaining = [e for e in elements if e.id not in gone]
    while True:
        dropped = []
        for element in remaining:
            dropper = DROPPERS.get(type(element))
            if dropper is not None and not dropper(element, gone):
                dropped.append(element.id)
        if not dropped:
            return remaining, removed
        removed.extend(dropped)
        gone = gone | set(dropped)
        remaining = [e for e in remaining if e.id not in gone]
