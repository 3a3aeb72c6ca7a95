"""Semantic checks of a configuration model: what the grammar cannot see.

Each check is a function ``(cfg, index) -> Iterable[ValidationError]`` listed in ``_CHECKS``; every
message names the element and the problem.  Checks are linear in the size of the model.
"""

from __future__ import annotations

import re
from collections import Counter

from crmsh_py.cib import scores, validate_remote
from crmsh_py.cib.model import (
    AclGroup,
    AclTarget,
    Bundle,
    Clone,
    ClusterSet,
    Colocation,
    ConstraintItem,
    Configuration,
    Element,
    Expression,
    Group,
    Location,
    NVPair,
    Node,
    Order,
    Primitive,
    ResourceRef,
    Role,
    RscTemplate,
    RscTicket,
    Rule,
    Tag,
    User,
)
from crmsh_py.cib.xmlio import ID_FIELDS
from crmsh_py.errors import ValidationError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

KNOWN_CLASSES = frozenset({"ocf", "lsb", "service", "systemd", "stonith", "nagios", "upstart"})
_RESOURCES = (Primitive, Group, Clone, Bundle)


class _Index:
    """Lookups shared by the checks, built once."""

    def __init__(self, cfg: Configuration) -> None:
        self.by_id: dict[str, Element] = {}
        for element in cfg.elements:
            if not isinstance(element, (Node, ClusterSet)):
                self.by_id.setdefault(element.id, element)
        self._contents: list[tuple[set[str], list[str]]] | None = None

    def contents(self, cfg: Configuration) -> list[tuple[set[str], list[str]]]:
        """Per element: the ids given inside it and its nvpair names (one walk, shared by the
        duplicate-id and the attribute-name checks)."""
        if self._contents is None:
            fields_of: dict[type, tuple[str, ...]] = {}
            self._contents = [_ids_and_names(element, fields_of) for element in cfg.elements]
        return self._contents

    def is_resource(self, rid: str) -> bool:
        return isinstance(self.by_id.get(rid), _RESOURCES) and not isinstance(
            self.by_id.get(rid), RscTemplate)

    def is_constrainable(self, rid: str) -> bool:
        # Pacemaker also accepts tags and templates in constraints (they expand to resources)
        return isinstance(self.by_id.get(rid), (*_RESOURCES, Tag))


def _ids_and_names(element: Element, fields_of: dict[type, tuple[str, ...]]) -> tuple[set[str], list[str]]:
    """``explicit_ids([element])`` and ``model_nvpair_names(element)`` in one walk of the model
    (a tree of records and lists): the ids of every record but resource references, which name
    another element; the names of the ``NVPair`` records, in document order.  ``fields_of``
    caches each record class's field names, last first (the walk pushes them on a stack)."""
    ids: set[str] = set()
    names: list[str] = []
    stack: list[object] = [element]
    pop, push = stack.pop, stack.append
    for _step in range(_MAX_NODES):
        if not stack:
            break
        item = pop()
        kind = type(item)
        if kind is list:
            if item and type(item[0]) is not str:  # type: ignore[index]
                stack.extend(reversed(item))  # type: ignore[call-overload]
            continue
        if kind is ResourceRef:
            continue
        if kind is NVPair:
            names.append(item.name)  # type: ignore[attr-defined]
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(reversed(getattr(kind, "__record_names__", ())))
        for name in fields:
            value = getattr(item, name)
            if value is None:
                continue
            if type(value) is str:
                if value and name in ID_FIELDS:
                    ids.add(value)
            else:
                push(value)
    return ids, names


_MAX_NODES = 10_000_000  # the model is a tree: this only bounds the loop


# a reference to an id the configuration does not have: crmsh takes such an element (with a
# warning) and leaves it to the schema (crm_verify) to refuse the commit
DANGLING = "dangling-reference"


def _err(element: Element, text: str) -> ValidationError:
    return ValidationError(text=text, element_id=element.id)


def _check_duplicate_ids(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    counts: Counter[str] = Counter()
    for element in cfg.elements:
        if isinstance(element, Node):
            counts[element.node_id or element.id] += 1
        else:
            counts[element.id] += 1
    for element, (found, _names) in zip(cfg.elements, index.contents(cfg)):
        nested = found - {element.id}
        if isinstance(element, Node):
            nested.discard(element.node_id or "")
        counts.update(nested)
    for ident, count in counts.items():
        if count > 1:
            yield ValidationError(text=f"id is used {count} times", element_id=ident)


def _check_children(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    parent_of: dict[str, str] = {}
    allowed: tuple[type[Element], ...]
    for element in cfg.elements:
        if isinstance(element, Group):
            kids, allowed, what = element.children, (Primitive,), "a primitive"
        elif isinstance(element, Clone):
            kids, allowed, what = [element.child], (Primitive, Group), "a primitive or group"
        elif isinstance(element, Bundle):
            kids, allowed, what = [element.primitive] if element.primitive else [], (Primitive,), \
                "a primitive"
        else:
            continue
        for kid in kids:
            target = index.by_id.get(kid)
            if target is None:
                yield _err(element, f"child resource {kid!r} does not exist")
            elif not isinstance(target, allowed) or isinstance(target, RscTemplate):
                yield _err(element, f"child {kid!r} must be {what}")
            if kid in parent_of:
                yield _err(element, f"resource {kid!r} is already in {parent_of[kid]!r}")
            else:
                parent_of[kid] = element.id


def _check_agents(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    for element in cfg.elements:
        if not isinstance(element, Primitive):
            continue
        if element.template is not None:
            if not isinstance(index.by_id.get(element.template), RscTemplate):
                # left to crm_verify at commit, as a rename can leave it (crmsh's rename does)
                yield ValidationError(text=f"template {element.template!r} does not exist",
                                      element_id=element.id, code=DANGLING)
        elif element.agent is None:
            yield _err(element, "no resource agent given")
        if element.agent is None:
            continue
        if element.agent.ra_class not in KNOWN_CLASSES:
            known = ", ".join(sorted(KNOWN_CLASSES))
            yield _err(element, f"unknown resource agent class {element.agent.ra_class!r} "
                                f"(known: {known})")
        elif element.agent.ra_class == "ocf" and not element.agent.provider:
            yield _err(element, f"ocf agent {element.agent.ra_type!r} needs a provider")
        if not element.agent.ra_type:
            yield _err(element, "resource agent type is empty")


# An id is an XML NCName as crmsh checks it: a letter or _, then letters, digits, _ . -
_ID = re.compile(r"[^\W\d][\w.-]*")
# agent names are file names: one path component of ordinary characters (stonith types such as
# external/ssh have one inner slash); never "..", never absolute
_AGENT_PART = re.compile(r"[\w][\w.+-]*")
MAX_SCORE_DIGITS = 18  # Pacemaker reads scores as 64-bit integers; anything longer is a mistake


def _agent_name_ok(ra_type: str, ra_class: str) -> bool:
    parts = ra_type.split("/")
    if ra_class != "stonith" and len(parts) != 1:
        return False
    return all(_AGENT_PART.fullmatch(p) and p not in (".", "..") for p in parts)


def _check_ids(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    for element in cfg.elements:
        if isinstance(element, Node):
            continue  # node names are host names; their ids may be numbers
        if not _ID.fullmatch(element.id):
            yield _err(element, f"{element.id!r} is not a valid id (a letter or _ first, then letters, "
                                f"digits, _ . or -)")


def _check_agent_names(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    for element in cfg.elements:
        agent = getattr(element, "agent", None)
        if agent is None:
            continue
        if not _agent_name_ok(agent.ra_type, agent.ra_class) or \
                (agent.provider is not None and not _AGENT_PART.fullmatch(agent.provider)):
            yield _err(element, f"invalid resource agent name {str(agent)!r}")


def _expressions(rules: Iterable[Rule]) -> Iterator[Expression]:
    for rule in rules:
        for expr in rule.expressions:
            if isinstance(expr, Rule):
                yield from _expressions([expr])
            elif isinstance(expr, Expression):
                yield expr


def _all_rules(element: Element) -> list[Rule]:
    rules = [r for r in getattr(element, "rules", []) if isinstance(r, Rule)]  # (not ACL rules)
    sets = list(getattr(element, "attr_sets", []))
    sets += [s for op in getattr(element, "ops", []) for s in op.attr_sets]
    return rules + [r for s in sets for r in s.rules]


def _check_rule_attributes(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    for element in cfg.elements:
        for expr in _expressions(_all_rules(element)):
            if "(" in expr.attribute or ")" in expr.attribute:
                yield _err(element, f"rule attribute {expr.attribute!r} is not a name: parentheses "
                                    f"are not supported in rules")


def interval_ms(text: str) -> int | None:
    """An op interval in milliseconds (``10``, ``10s``, ``1min``, ISO 8601's ``PT10S`` as Pacemaker
    and crmsh take it), None if unreadable."""
    from crmsh_py.cib.durations import parse_ms

    return parse_ms(text)


def _item_ids(items: Iterable[ConstraintItem]) -> Iterator[str]:
    for item in items:
        if isinstance(item, ResourceRef):
            yield item.id
        else:
            yield from item.resources


def _constraint_refs(element: Element) -> list[str]:
    if isinstance(element, Location):
        refs = [element.resource.id] if element.resource else []
        return refs + list(_item_ids(element.resource_sets))
    if isinstance(element, (Colocation, Order, RscTicket)):
        return list(_item_ids(element.items))
    return []


def _check_references(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    roles = {e.id for e in cfg.elements if isinstance(e, Role)}
    for element in cfg.elements:
        for ref in _constraint_refs(element):
            if not index.is_constrainable(ref) and ref not in index.by_id:
                yield ValidationError(text=f"resource {ref!r} does not exist", element_id=element.id, code=DANGLING)
            elif not index.is_constrainable(ref):
                yield _err(element, f"resource {ref!r} does not exist")
        # a tag may name what does not exist (crmsh and crm_verify take it; rename leaves tags alone)
        if isinstance(element, (AclTarget, AclGroup, User)):
            for role in element.roles:
                if role not in roles:
                    yield ValidationError(text=f"ACL role {role!r} does not exist", element_id=element.id,
                                          code=DANGLING)


def _rule_scores(rules: Iterable[Rule]) -> Iterator[str]:
    for rule in rules:
        if rule.score is not None:
            yield rule.score
        yield from _rule_scores(e for e in rule.expressions if isinstance(e, Rule))


def _element_scores(element: Element) -> list[str]:
    found: list[str] = []
    if isinstance(element, Location):
        found += [element.score] if element.score is not None else []
        found += _rule_scores(element.rules)
    elif isinstance(element, Colocation):
        found.append(element.score)
    elif isinstance(element, Order) and element.score is not None:
        found.append(element.score)
    elif isinstance(element, ClusterSet):
        found += _rule_scores(element.rules)
    return found


def _check_scores(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    for element in cfg.elements:
        for text in _element_scores(element):
            try:
                scores.score_value(text)
            except ValueError as err:
                yield _err(element, str(err))
                continue
            if len(text.strip().lstrip("+-")) > MAX_SCORE_DIGITS:
                yield _err(element, f"score {text} is out of range (scores beyond INFINITY, 1000000, "
                                    f"are written INFINITY)")


def _check_locations(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    for element in cfg.elements:
        if not isinstance(element, Location):
            continue
        if element.resource is None and not element.rsc_pattern and not element.resource_sets:
            yield _err(element, "location has no resource")
        if element.node is None and not element.rules:
            yield _err(element, "location needs a node with a score, or rules")


def _check_names(cfg: Configuration, index: _Index) -> Iterator[ValidationError]:
    from crmsh_py.cib.attr_names import describe, invalid_names

    for element, (_ids, names) in zip(cfg.elements, index.contents(cfg)):
        for name in invalid_names(names):
            yield _err(element, describe(name))


_CHECKS: tuple[Callable[[Configuration, _Index], Iterable[ValidationError]], ...] = (
    _check_ids,
    _check_agent_names,
    _check_rule_attributes,
    _check_duplicate_ids,
    _check_children,
    _check_agents,
    # (an op's name and interval are not checked: crmsh and crm_verify take any, even twice)
    _check_references,
    _check_scores,
    _check_locations,
    _check_names,
    validate_remote.check_bundles,
    validate_remote.check_remote_names,
)


def validate(cfg: Configuration) -> list[ValidationError]:
    """Every problem found in ``cfg`` (empty list: valid)."""
    index = _Index(cfg)
    errors: list[ValidationError] = []
    for check in _CHECKS:
        errors.extend(check(cfg, index))
    return errors
