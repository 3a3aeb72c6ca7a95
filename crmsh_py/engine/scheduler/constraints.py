"""Constraints indexed for the scheduler: location scores per node, colocation and order pairs.

Colocation semantics: ``colocation c SCORE: A B`` places A with B (B is placed first).  More than
two plain resources of one role are one resource_set in the CIB: as inside any sequential resource
set, each member is placed with the one before it (A first); plain resources of mixed roles chain
(A with B, B with C).  Consecutive sets: each member of a set with each member of the next set.  Order: ``order o A B`` starts B after A (and, when symmetrical, stops A after B);
chains and sets work the same way.
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.cib.model import (Colocation, Configuration, Location, Order, Primitive, ResourceRef, ResourceSet, Rule,
                                Tag)
from crmsh_py.records import field, record, replace

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any, Mapping

INF = scores.INFINITY
ROLE_NAMES = {"master": "Promoted", "promoted": "Promoted", "slave": "Unpromoted",
              "unpromoted": "Unpromoted", "started": "Started"}
ACTIONS = frozenset({"start", "stop", "promote", "demote"})
ORDER_KINDS = {"mandatory": "Mandatory", "optional": "Optional", "serialize": "Serialize"}


def _score(text: str | None, default: int = INF) -> int:
    if text is None:
        return default
    try:
        return scores.score_value(text)
    except ValueError:
        return 0


@record
class ColocationPair:
    dependent: str
    primary: str
    score: int
    dependent_role: str | None = None
    primary_role: str | None = None
    # the constraint's ``influence`` (None: not given or not a boolean, so the dependent's
    # ``critical`` meta attribute decides)
    influence: bool | None = None


@record
class OrderPair:
    first: str
    then: str
    first_action: str = "start"
    then_action: str = "start"
    kind: str = "Mandatory"
    symmetrical: bool = True
    # a first set with require-all=false: the then may start once any of these can ("one-or-more")
    any_of: tuple[str, ...] = ()
    any_label: str = ""
    id: str = ""  # the order constraint's id


@record
class Constraints:
    """Location scores by target id and role, colocations, orders."""

    location: dict[str, dict[str, int]] = field(default_factory=dict)  # target -> node -> score
    promoted_location: dict[str, dict[str, int]] = field(default_factory=dict)
    colocations: list[ColocationPair] = field(default_factory=list)
    orders: list[OrderPair] = field(default_factory=list)


def _role(text: str | None) -> str | None:
    return ROLE_NAMES.get(text.lower()) if text else None


def _add(table: dict[str, dict[str, int]], target: str, node: str, value: int) -> None:
    per_node = table.setdefault(target, {})
    per_node[node] = scores.add(per_node.get(node, 0), value) if node in per_node else value


def _rule_score(rule: Rule, attrs: Mapping[str, str]) -> int | None:
    if rule.score_attribute:
        value = attrs.get(rule.score_attribute)
        return _score(value, 0) if value is not None else None
    return _score(rule.score, 0)


def _location_targets(loc: Location, known: set[str]) -> list[tuple[str, str | None]]:
    role = _role(loc.role)
    targets: list[tuple[str, str | None]] = []
    if loc.resource is not None:
        targets.append((loc.resource.id, _role(loc.resource.role_or_action) or role))
    if loc.rsc_pattern:
        # Pacemaker matches the pattern anywhere in the id of each top-level resource (POSIX
        # regexec, not anchored); a leading "!" selects the resources that do not match.
        invert = loc.rsc_pattern.startswith("!")
        import re  # (only here: re and enum cost a one-shot that never needs them ~5 ms)

        try:
            pattern = re.compile(loc.rsc_pattern[1:] if invert else loc.rsc_pattern)
        except re.error:
            pattern = None
        if pattern is not None:
            targets.extend((rid, role) for rid in sorted(known) if (pattern.search(rid) is None) == invert)
    for rset in loc.resource_sets:
        targets.extend((rid, _role(rset.role) or role) for rid in rset.resources)
    return targets


def index_constraints(cfg: Configuration, node_attrs: Mapping[str, Mapping[str, str]], now: int,
                      known: set[str]) -> Constraints:
    """Evaluate location rules per node and flatten colocations and orders into pairs."""
    out = Constraints()
    rules_by_id: dict[str, Rule] = {}
    for loc in cfg.of_type(Location):
        for rule in loc.rules:
            if rule.id:
                rules_by_id[rule.id] = rule
    exclusive: dict[str, set[str]] = {}  # resource-discovery=exclusive: target -> nodes it names
    templated: dict[str, list[str]] = {}
    for element in cfg.elements:
        if isinstance(element, Primitive) and element.template:
            templated.setdefault(element.template, []).append(element.id)
        elif isinstance(element, Tag):
            # a tag stands for the resources it names, as an unordered set (Pacemaker's tag_to_set)
            templated.setdefault(element.id, []).extend(element.refs)
    for element in cfg.elements:
        if templated and isinstance(element, (Location, Colocation, Order)):
            element = _expand_templates(element, templated)
        if isinstance(element, Location):
            _index_location(out, element, node_attrs, now, known, rules_by_id,
                            exclusive if (element.resource_discovery or "").lower() == "exclusive" else None)
        elif isinstance(element, Colocation):
            before = len(out.colocations)
            _index_colocation(out, element)
            influence = _boolean(element.influence)
            if influence is not None:
                out.colocations[before:] = [replace(p, influence=influence) for p in out.colocations[before:]]
        elif isinstance(element, Order):
            _index_order(out, element)
    # Exclusive discovery: the resource may only run where one of its exclusive constraints applies.
    for target, allowed in exclusive.items():
        for node in node_attrs:
            if node not in allowed:
                _add(out.location, target, node, -INF)
    return out


def _expand_templates(element, templated: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """A constraint naming a resource template (or a tag) stands for every primitive made from
    it (every resource tagged) as an unordered set, the way Pacemaker expands it."""

    def in_set(rset: ResourceSet) -> ResourceSet:
        members = [m for rid in rset.resources for m in templated.get(rid, [rid])]
        return replace(rset, resources=members) if members != rset.resources else rset

    if isinstance(element, Location):
        sets = [in_set(r) for r in element.resource_sets]
        if element.resource is not None and element.resource.id in templated:
            sets.append(ResourceSet(list(templated[element.resource.id]), "("))
            return replace(element, resource=None, resource_sets=sets)
        return replace(element, resource_sets=sets)
    items = []
    for item in element.items:
        if isinstance(item, ResourceRef) and item.id in templated:
            items.append(ResourceSet(list(templated[item.id]), "(", role=item.role_or_action))
        elif isinstance(item, ResourceSet):
            items.append(in_set(item))
        else:
            items.append(item)
    return replace(element, items=items)


def _index_location(out: Constraints, loc: Location, node_attrs: Mapping[str, Mapping[str, str]],
                    now: int, known: set[str], rules_by_id: Mapping[str, Rule],
                    exclusive: dict[str, set[str]] | None = None) -> None:
    for target, role in _location_targets(loc, known):
        named = exclusive.setdefault(target, set()) if exclusive is not None else set()
        if loc.node is not None:
            table = out.promoted_location if role == "Promoted" else out.location
            _add(table, target, loc.node, _score(loc.score))
            named.add(loc.node)
            continue
        for rule in loc.rules:
            from crmsh_py.cib.rules import eval_rule  # here: most configurations have no location rule

            rule_role = _role(rule.role) or role
            table = out.promoted_location if rule_role == "Promoted" else out.location
            for node, attrs in node_attrs.items():
                if eval_rule(rule, attrs, now, rules_by_id):
                    named.add(node)
                    value = _rule_score(rule, attrs)
                    if value is not None:
                        _add(table, target, node, value)


def _as_sets(items: list[Any]) -> list[tuple[list[tuple[str, str | None]], bool]]:
    """Constraint items as (members with role/action, sequential) sets."""
    sets = []
    for item in items:
        if isinstance(item, ResourceRef):
            sets.append(([(item.id, item.role_or_action)], True))
        elif isinstance(item, ResourceSet):
            extra = {p.name: p.value for p in item.attributes}
            # "( )" is sequential=false, "[ ]" require-all=false and sequential=false
            sequential = item.bracket not in ("(", "[") and (extra.get("sequential") or "true").lower() != "false"
            label = item.role or item.action or extra.get("role") or extra.get("action")
            sets.append(([(rid, label) for rid in item.resources], sequential))
    return sets


_BOOLEANS = {"true": True, "on": True, "yes": True, "y": True, "1": True,
             "false": False, "off": False, "no": False, "n": False, "0": False}


def _boolean(text: str | None) -> bool | None:
    """A boolean as Pacemaker reads one, or None when absent or not a boolean."""
    return None if text is None else _BOOLEANS.get(text.strip().lower())


def _index_colocation(out: Constraints, col: Colocation) -> None:
    score = _score(col.score)
    sets = _as_sets(col.items)
    plain = all(isinstance(i, ResourceRef) for i in col.items)
    if plain:
        members = [m for s, _ in sets for m in s]
        if len(members) > 2 and len({role for _, role in members}) == 1:
            # more than two with one role are one resource_set in the CIB: Pacemaker places each
            # with the one before it
            _index_colocation_set(out, members, score, None)
            return
        for (dep, dep_role), (pri, pri_role) in zip(members, members[1:]):
            out.colocations.append(ColocationPair(dep, pri, score, _role(dep_role), _role(pri_role)))
        return
    for (members, sequential), item in zip(sets, col.items):
        if sequential:
            _index_colocation_set(out, members, _set_score(item, score), _set_attr(item, "ordering"))
    for (deps, _), (pris, _) in zip(sets, sets[1:]):
        for dep, dep_role in deps:
            for pri, pri_role in pris:
                out.colocations.append(ColocationPair(dep, pri, score, _role(dep_role), _role(pri_role)))


def _set_attr(item: ResourceRef | ResourceSet, name: str) -> str | None:
    if not isinstance(item, ResourceSet):
        return None
    return next((p.value for p in item.attributes if p.name == name), None)


def _set_score(item: ResourceRef | ResourceSet, score: int) -> int:
    text = _set_attr(item, "score")
    return _score(text) if text is not None else score


def _index_colocation_set(out: Constraints, members: list[tuple[str, str | None]], score: int,
                          ordering: str | None) -> None:
    """One sequential colocation set, as Pacemaker reads it: with a positive score each member
    is placed with the one before it (``ordering=listed``: each with the one after it); with a
    negative score each member keeps away from every member before it."""
    if score == 0:
        return
    if score < 0:
        for i, (dep, dep_role) in enumerate(members):
            for pri, pri_role in members[:i]:
                out.colocations.append(ColocationPair(dep, pri, score, _role(dep_role), _role(pri_role)))
        return
    listed = (ordering or "group").lower() != "group"
    for (before, before_role), (after, after_role) in zip(members, members[1:]):
        dep, dep_role, pri, pri_role = ((before, before_role, after, after_role) if listed
                                        else (after, after_role, before, before_role))
        out.colocations.append(ColocationPair(dep, pri, score, _role(dep_role), _role(pri_role)))


def _action(label: str | None) -> str:
    return label.lower() if label and label.lower() in ACTIONS else "start"


def _index_order(out: Constraints, order: Order) -> None:
    kind = order.kind or ("Optional" if order.score is not None and _score(order.score) == 0 else "Mandatory")
    # Pacemaker reads the kind case-insensitively and resets an unknown one to Mandatory
    kind = ORDER_KINDS.get(kind.lower(), "Mandatory")
    default_sym = kind != "Serialize"
    symmetrical = default_sym if order.symmetrical is None else order.symmetrical.lower() in ("true", "yes", "1", "on")
    sets = _as_sets(order.items)
    plain = all(isinstance(i, ResourceRef) for i in order.items)
    if not plain:
        _index_one_or_more(out, order, kind, symmetrical)
    pairs: list[tuple[tuple[str, str | None], tuple[str, str | None]]] = []
    if plain:
        members = [m for s, _ in sets for m in s]
        pairs.extend(zip(members, members[1:]))
    else:
        for members, sequential in sets:
            if sequential:
                pairs.extend(zip(members, members[1:]))
        for (firsts, _), (thens, _), first_set in zip(sets, sets[1:], order.items):
            if isinstance(first_set, ResourceSet) and not _requires_all(first_set):
                continue  # see _index_one_or_more
            pairs.extend((f, t) for f in firsts for t in thens)
    # require-all=false on a plain order: the then waits for any one instance of a cloned first
    one_or_more = plain and (order.require_all or "true").lower() in ("false", "no", "0", "off")
    for (first, fa), (then, ta) in pairs:
        any_of, label = ((first,), f"clone-one-or-more:{order.id}") if one_or_more else ((), "")
        out.orders.append(OrderPair(first, then, _action(fa), _action(ta), kind, symmetrical, any_of, label,
                                    id=order.id or ""))


def _requires_all(rset: ResourceSet) -> bool:
    extra = {p.name: (p.value or "") for p in rset.attributes}
    return rset.bracket != "[" and extra.get("require-all", "true").lower() not in ("false", "no", "0", "off")


def _index_one_or_more(out: Constraints, order: Order, kind: str, symmetrical: bool) -> None:
    """Sets with require-all=false: the next set waits for any one of their members."""
    items = [i for i in order.items if isinstance(i, (ResourceSet, ResourceRef))]
    for first_set, then_set in zip(items, items[1:]):
        if not isinstance(first_set, ResourceSet) or _requires_all(first_set) or not first_set.resources:
            continue
        thens = then_set.resources if isinstance(then_set, ResourceSet) else [then_set.id]
        label = f"one-or-more:{first_set.id or order.id}"
        for then in thens:
            out.orders.append(OrderPair(first_set.resources[0], then, "start", "start", kind, symmetrical,
                                        tuple(first_set.resources), label))
