"""Constraints (location, colocation, order, rsc_ticket): model <-> XML.

Mapping facts (crmsh 4.4.1):
- two plain resources in a colocation/order (one in a ticket) use the attribute form
  (``rsc``/``with-rsc``, ``first``/``then``, ``rsc``); anything else becomes resource sets;
- consecutive plain members with the same role/action share one ``resource_set`` (no
  ``sequential`` attribute); ``( )`` is ``sequential="false"``; ``[ ]`` is
  ``require-all="false" sequential="false"``; set ids are ``CONSTRAINT-0``, ``CONSTRAINT-1``...;
- an order score becomes a kind: 0 is ``Optional``, any other score ``Mandatory``.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib import ids, scores
from crmsh_py.cib.model import (
    Colocation,
    ConstraintItem,
    Element,
    Location,
    NVPair,
    Order,
    ResourceRef,
    ResourceSet,
    RscTicket,
)
from crmsh_py.cib.xml_rules import (
    comments_from_xml,
    comments_to_xml,
    own_id,
    rule_from_xml,
    rule_to_xml,
    set_attrs,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, MutableSet

# Bracket -> the set attributes it stands for, and back.
_BRACKET_ATTRS: dict[str, list[tuple[str, str]]] = {
    "(": [("sequential", "false")],
    "[": [("require-all", "false"), ("sequential", "false")],
    "{": [],
    "": [],
}
_ATTRS_BRACKET: dict[tuple[str | None, str | None], str] = {
    ("false", None): "(",
    ("false", "false"): "[",
}
# How many plain resources a constraint takes in its attribute (non-set) form.
_PAIR_FORM: dict[str, int] = {"rsc_colocation": 2, "rsc_order": 2, "rsc_ticket": 1}


def _start(tag: str, element: Element, taken: MutableSet[str]) -> ET.Element:
    el = ET.Element(tag)
    el.set("id", element.id)
    taken.add(element.id)
    return el


# --------------------------------------------------------------------------- writing


def _sets_to_xml(
    el: ET.Element, cid: str, items: list[ConstraintItem], member_attr: str, taken: MutableSet[str]
) -> None:
    """Append ``resource_set`` children for ``items``; plain refs are grouped by role/action."""
    groups: list[tuple[ResourceSet, bool]] = []  # (set, made from plain refs)
    for item in items:
        if isinstance(item, ResourceSet):
            groups.append((item, False))
            continue
        last = groups[-1] if groups else None
        if last is not None and last[1] and _set_qualifier(last[0]) == item.role_or_action:
            last[0].resources.append(item.id)
            continue
        qualifier = {member_attr: item.role_or_action}
        groups.append((ResourceSet([item.id], "", **qualifier), True))  # type: ignore[arg-type]
    for rset, _plain in groups:
        el.append(_set_to_xml(rset, cid, taken))


def _set_qualifier(rset: ResourceSet) -> str | None:
    return rset.role if rset.role is not None else rset.action


def _set_to_xml(rset: ResourceSet, cid: str, taken: MutableSet[str]) -> ET.Element:
    set_el = ET.Element("resource_set")
    pairs: list[tuple[str, str | None]] = list(_BRACKET_ATTRS.get(rset.bracket, []))
    pairs += [("role", rset.role), ("action", rset.action)]
    pairs.extend((a.name, a.value) for a in rset.attributes)
    set_attrs(set_el, pairs)
    set_el.set("id", own_id(rset.id, ids.prefix(cid), taken))
    for rsc in rset.resources:
        ET.SubElement(set_el, "resource_ref", {"id": rsc})
    return set_el


def _is_pair(items: list[ConstraintItem], count: int) -> bool:
    return len(items) == count and all(isinstance(i, ResourceRef) for i in items)


def location_to_xml(loc: Location, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<rsc_location>`` with a resource, a pattern or sets; a node score or rules."""
    el = _start("rsc_location", loc, taken)
    pattern = loc.rsc_pattern
    if pattern and len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
        pattern = pattern[1:-1]
    set_attrs(
        el,
        [
            ("rsc", loc.resource.id if loc.resource else None),
            ("rsc-pattern", pattern),
            ("role", loc.role or (loc.resource.role_or_action if loc.resource else None)),
            ("resource-discovery", loc.resource_discovery),
            ("score", loc.score),
            ("score-attribute", loc.score_attribute),
            ("node", loc.node),
        ],
    )
    comments_to_xml(el, loc.comments)
    for rset in loc.resource_sets:
        el.append(_set_to_xml(rset, loc.id, taken))
    for rule in loc.rules:
        el.append(rule_to_xml(rule, loc.id, taken))
    return el


def colocation_to_xml(col: Colocation, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<rsc_colocation>``: ``rsc``/``with-rsc`` for two resources, else resource sets."""
    el = _start("rsc_colocation", col, taken)
    set_attrs(el, [("score", col.score), ("node-attribute", col.node_attribute), ("influence", col.influence)])
    comments_to_xml(el, col.comments)
    if _is_pair(col.items, 2):
        rsc, with_rsc = col.items
        assert isinstance(rsc, ResourceRef) and isinstance(with_rsc, ResourceRef)
        set_attrs(el, [("rsc", rsc.id), ("rsc-role", rsc.role_or_action),
                       ("with-rsc", with_rsc.id), ("with-rsc-role", with_rsc.role_or_action)])
    else:
        _sets_to_xml(el, col.id, col.items, "role", taken)
    return el


def order_kind(order: Order) -> str | None:
    """The ``kind`` crmsh writes: the given kind, else Optional for score 0, else Mandatory."""
    if order.kind:
        return order.kind
    if order.score is None:
        return None
    try:
        return "Optional" if scores.score_value(order.score) == 0 else "Mandatory"
    except ValueError:
        return "Mandatory"


def order_to_xml(order: Order, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<rsc_order>``: ``first``/``then`` for two resources, else resource sets."""
    el = _start("rsc_order", order, taken)
    set_attrs(el, [("kind", order_kind(order)), ("symmetrical", order.symmetrical),
                   ("require-all", order.require_all)])
    comments_to_xml(el, order.comments)
    if _is_pair(order.items, 2):
        first, then = order.items
        assert isinstance(first, ResourceRef) and isinstance(then, ResourceRef)
        set_attrs(el, [("first", first.id), ("first-action", first.role_or_action),
                       ("then", then.id), ("then-action", then.role_or_action)])
    else:
        _sets_to_xml(el, order.id, order.items, "action", taken)
    return el


def ticket_to_xml(ticket: RscTicket, taken: MutableSet[str], nest: object = None) -> ET.Element:
    """``<rsc_ticket>``: ``rsc`` for a single resource, else resource sets."""
    el = _start("rsc_ticket", ticket, taken)
    set_attrs(el, [("ticket", ticket.ticket)])
    comments_to_xml(el, ticket.comments)
    if _is_pair(ticket.items, 1):
        (rsc,) = ticket.items
        assert isinstance(rsc, ResourceRef)
        set_attrs(el, [("rsc", rsc.id), ("rsc-role", rsc.role_or_action)])
        set_attrs(el, [("loss-policy", ticket.loss_policy)])
    else:
        set_attrs(el, [("loss-policy", ticket.loss_policy)])
        _sets_to_xml(el, ticket.id, ticket.items, "role", taken)
    return el


# --------------------------------------------------------------------------- reading

_SET_SPECIAL = ("sequential", "require-all", "role", "action", "id")


def _set_from_xml(set_el: ET.Element, default_bracket: str) -> ResourceSet:
    seq, req = set_el.get("sequential"), set_el.get("require-all")
    bracket = _ATTRS_BRACKET.get((seq, req))
    extra: list[NVPair] = []
    if bracket is None:
        bracket = default_bracket
        extra = [NVPair(k, v) for k, v in (("sequential", seq), ("require-all", req)) if v]
    extra += [NVPair(k, v) for k, v in set_el.attrib.items() if k not in _SET_SPECIAL]
    return ResourceSet(
        resources=[r.get("id", "") for r in set_el.findall("resource_ref")],
        bracket=bracket,  # type: ignore[arg-type]
        role=set_el.get("role"),
        action=set_el.get("action"),
        attributes=extra,
        id=set_el.get("id"),
    )


def _items_from_sets(el: ET.Element) -> list[ConstraintItem]:
    """Sets as crm items: plain sets with generated ids become plain resource refs, unless that
    would change the XML when written back (merging with a neighbour, or the pair form)."""
    cid = el.get("id", "")
    sets = [_set_from_xml(s, "") for s in el.findall("resource_set")]
    items: list[ConstraintItem] = []
    prev_plain_role: object = object()  # role of the previous set turned into refs
    for index, rset in enumerate(sets):
        role = rset.role if rset.role is not None else rset.action
        plain = (
            rset.bracket == ""
            and not rset.attributes
            and rset.resources
            and rset.id == f"{ids.prefix(cid)}-{index}"
            and not (rset.role is not None and rset.action is not None)
            and role != prev_plain_role
        )
        if plain:
            items.extend(ResourceRef(r, role) for r in rset.resources)
            prev_plain_role = role
        else:
            items.append(rset)
            prev_plain_role = object()
    if _is_pair(items, _PAIR_FORM.get(el.tag, 0)):
        return list(sets)
    return items


def sets_as_read(el: ET.Element) -> list[ConstraintItem]:
    """A colocation's, order's or ticket's ``resource_set`` children as sets, each with the id it
    has (none turned back into plain references): what keeps those ids when the constraint is
    renamed, as crmsh keeps them.  Empty when it has no sets (the attribute form)."""
    return [_set_from_xml(s, "") for s in el.findall("resource_set")]


def _ref(el: ET.Element, rsc_attr: str, role_attr: str) -> ResourceRef:
    return ResourceRef(el.get(rsc_attr, ""), el.get(role_attr))


def location_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """A ``<rsc_location>``."""
    return [
        Location(
            id=el.get("id", ""),
            resource=ResourceRef(el.get("rsc", "")) if el.get("rsc") else None,
            rsc_pattern=el.get("rsc-pattern"),
            resource_sets=[_set_from_xml(s, "{") for s in el.findall("resource_set")],
            score=el.get("score"),
            node=el.get("node"),
            role=el.get("role"),
            resource_discovery=el.get("resource-discovery"),
            rules=[rule_from_xml(r) for r in el.findall("rule")],
            score_attribute=el.get("score-attribute"),
            comments=comments_from_xml(el),
        )
    ]


def colocation_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """A ``<rsc_colocation>``."""
    if el.get("rsc"):
        items: list[ConstraintItem] = [_ref(el, "rsc", "rsc-role"),
                                       _ref(el, "with-rsc", "with-rsc-role")]
    else:
        items = _items_from_sets(el)
    return [
        Colocation(
            id=el.get("id", ""),
            score=el.get("score", el.get("score-attribute", "INFINITY")),
            items=items,
            node_attribute=el.get("node-attribute"),
            influence=el.get("influence"),
            comments=comments_from_xml(el),
        )
    ]


def order_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """A ``<rsc_order>``."""
    if el.get("first"):
        items: list[ConstraintItem] = [_ref(el, "first", "first-action"),
                                       _ref(el, "then", "then-action")]
    else:
        items = _items_from_sets(el)
    return [
        Order(
            id=el.get("id", ""),
            kind=el.get("kind"),
            score=el.get("score"),
            items=items,
            symmetrical=el.get("symmetrical"),
            require_all=el.get("require-all"),
            comments=comments_from_xml(el),
        )
    ]


def ticket_from_xml(el: ET.Element, read_child: object = None) -> list[Element]:
    """A ``<rsc_ticket>``."""
    items = [_ref(el, "rsc", "rsc-role")] if el.get("rsc") else _items_from_sets(el)
    return [
        RscTicket(
            id=el.get("id", ""),
            ticket=el.get("ticket", ""),
            items=items,  # type: ignore[arg-type]
            loss_policy=el.get("loss-policy"),
            comments=comments_from_xml(el),
        )
    ]


WRITERS: dict[type, Callable[..., ET.Element]] = {
    Location: location_to_xml,
    Colocation: colocation_to_xml,
    Order: order_to_xml,
    RscTicket: ticket_to_xml,
}
READERS: dict[str, Callable[..., list[Element]]] = {
    "rsc_location": location_from_xml,
    "rsc_colocation": colocation_from_xml,
    "rsc_order": order_from_xml,
    "rsc_ticket": ticket_from_xml,
}
