"""Model -> canonical crm text, exactly as crmsh 4.4 ``configure show`` prints it.

Each element is a head line followed by continuation lines joined with ``" \\\\\\n\\t"``;
comments attached to the element are printed above it.  ``write_all`` sorts elements the way
crmsh does: by element type (:data:`DISPLAY_ORDER`), then by id within a type rank.
"""

from __future__ import annotations

from crmsh_py.collector import paused
from crmsh_py.records import replace
from crmsh_py.cib import ids
from crmsh_py.cib.model import (
    AclGroup,
    AclTarget,
    Agent,
    Alert,
    Bundle,
    Clone,
    ClusterSet,
    Colocation,
    Element,
    FencingTopology,
    Group,
    Location,
    Node,
    Op,
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
from crmsh_py.lang.quoting import is_bare, nvpair, shown_score
from crmsh_py.lang.write_extras import (  # noqa: F401  (acl_rule_text and legacy_acl_rule_text re-exported)
    acl_rule_text,
    acl_target_lines,
    alert_lines,
    bundle_lines,
    legacy_acl_rule_text,
    role_lines,
    user_lines,
)
from crmsh_py.lang.write_parts import NODE_SETS as _NODE_SETS
from crmsh_py.lang.write_parts import OP_SETS as _OP_SETS
from crmsh_py.lang.write_parts import RESOURCE_SETS as _RESOURCE_SETS
from crmsh_py.lang.write_parts import description_lines as _description
from crmsh_py.lang.write_parts import element_sets as _sets
from crmsh_py.lang.write_parts import (
    WriteContext,
    ref_text,
    rule_text,
    sets_text,
    uses_sets,
)

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable
    from typing import Any

CONTINUATION = " \\\n\t"

# crm element keywords in display order; keywords in one tuple share a rank and are sorted by
# id together (crmsh interleaves location/colocation/order by id, likewise rsc_ticket and
# fencing_topology, and the ACL target kinds).
DISPLAY_ORDER: tuple[tuple[str, ...], ...] = (
    ("node",),
    ("rsc_template",),
    ("primitive",),
    ("bundle",),
    ("group",),
    ("ms",),
    ("clone",),
    ("tag",),
    ("location", "colocation", "order"),
    ("rsc_ticket", "fencing_topology"),
    ("property",),
    ("rsc_defaults",),
    ("op_defaults",),
    ("role",),
    ("acl_target", "acl_group", "user"),
    ("alert",),
)

_RANK: dict[str, int] = {kw: rank for rank, kws in enumerate(DISPLAY_ORDER) for kw in kws}
_LAST_RANK = len(DISPLAY_ORDER)


def keyword(element: Element) -> str:
    """The crm keyword of an element (``primitive``, ``ms``, ``property``, ``xml``, ...)."""
    if isinstance(element, Clone):
        return "ms" if element.legacy_ms else "clone"
    if isinstance(element, ClusterSet):
        return element.kind
    if isinstance(element, RawXml):
        return "xml"
    return _KEYWORDS[type(element)]


_KEYWORDS: dict[type, str] = {
    Node: "node",
    RscTemplate: "rsc_template",
    Primitive: "primitive",
    Group: "group",
    Bundle: "bundle",
    Location: "location",
    Colocation: "colocation",
    Order: "order",
    RscTicket: "rsc_ticket",
    FencingTopology: "fencing_topology",
    Tag: "tag",
    Role: "role",
    AclTarget: "acl_target",
    AclGroup: "acl_group",
    User: "user",
    Alert: "alert",
}


# --------------------------------------------------------------------------- resources and nodes


def _node(e: Node, ctx: WriteContext) -> list[str]:
    head = "node"
    if e.node_id is not None and e.node_id != e.id:
        head += f" {e.node_id}:" if is_bare(e.node_id) else f' $id="{e.node_id}"'
    head += f" {e.id}"
    if e.type and e.type != "normal":
        head += f":{e.type}"
    return [head, *_description(e.description), *_sets(_NODE_SETS, e.attr_sets, ctx)]


def agent_text(agent: Agent) -> str:
    """``Dummy`` for ocf:heartbeat agents (crmsh's "unique" agents), else ``class:[provider:]type``."""
    if agent.provider == "heartbeat" or (agent.ra_class == "ocf" and agent.provider is None):
        return agent.ra_type
    return str(agent)


def op_text(op: Op) -> str:
    """``op NAME attr=value ...`` (the op's own line, without op_params/op_meta).

    ``interval`` goes where it was written among the attributes (``op_text`` honours
    ``Op.interval_index``); a missing interval is shown as ``interval=0`` after them, as crmsh stores it.
    """
    words = ["op", op.name]
    words.extend(nvpair(a.name, a.value) for a in op.attributes)
    if op.interval is None:
        words.append("interval=0")
    else:
        words.insert(2 + min(max(op.interval_index, 0), len(op.attributes)), nvpair("interval", op.interval))
    return " ".join(words)


def _primitive(e: Primitive, ctx: WriteContext) -> list[str]:
    spec = f"@{e.template}" if e.template and not isinstance(e, RscTemplate) else ""
    if not spec and e.agent is not None:
        spec = agent_text(e.agent)
    lines = [f"{keyword(e)} {e.id} {spec}".rstrip()]
    lines += _description(e.description)
    before, after = e.sets_around_ops()
    lines += _sets(_RESOURCE_SETS, before, ctx)
    if e.operations_id or e.operations_id_ref:
        words = ""
        if e.operations_id:
            words = nvpair("$id", e.operations_id)
        if e.operations_id_ref:
            words = f"{words} {nvpair('$id-ref', e.operations_id_ref)}".strip()
        lines.append(f"operations {words}")
    for op in e.ops:
        lines.append(op_text(op))
        lines += _sets(_OP_SETS, op.attr_sets, ctx)
    return lines + _sets(_RESOURCE_SETS, after, ctx)


def _group(e: Group, ctx: WriteContext) -> list[str]:
    head = " ".join(["group", e.id, *e.children])
    return [head, *_description(e.description), *_sets(_RESOURCE_SETS, e.attr_sets, ctx)]


def _clone(e: Clone, ctx: WriteContext) -> list[str]:
    head = f"{keyword(e)} {e.id} {e.child}"
    return [head, *_description(e.description), *_sets(_RESOURCE_SETS, e.attr_sets, ctx)]


# --------------------------------------------------------------------------- constraints


def _location(e: Location, ctx: WriteContext) -> list[str]:
    if e.resource_sets:
        rsc = "{ " + " ".join(sets_text(list(e.resource_sets), "location")) + " }"
    elif e.rsc_pattern is not None:
        rsc = f"/{e.rsc_pattern}/"
    else:
        rsc = e.resource.id if e.resource else ""
    head = f"location {e.id} {rsc}"
    role = e.role or (e.resource.role_or_action if e.resource else None)
    if role is not None:
        head += f" role={role}"
    if e.resource_discovery is not None:
        head += f" resource-discovery={e.resource_discovery}"
    if e.node is not None:
        head += f" {e.score_attribute or shown_score(e.score or '')}: {e.node}"
    return [head, *(f"rule {rule_text(r, ctx)}" for r in e.rules)]


def _constraint_words(items: list[Any], obj_type: str) -> list[str]:
    if uses_sets(items, obj_type):
        return sets_text(items, obj_type)
    return [ref_text(i) for i in items if isinstance(i, ResourceRef)]


def order_kind(e: Order) -> str:
    """The kind shown for an order: its kind, or the legacy score turned into one the way crmsh
    does when it stores it (0 is Optional, any other number Mandatory)."""
    if e.kind:
        return e.kind
    if e.score is None or e.score == "":
        return ""
    lowered = e.score.lower()
    if lowered in ("advisory", "mandatory"):
        return "Optional" if lowered == "advisory" else "Mandatory"
    return "Optional" if e.score.lstrip("+") == "0" else "Mandatory"


def _colocation(e: Colocation, ctx: WriteContext) -> list[str]:
    words = _constraint_words(list(e.items), "colocation")
    if e.node_attribute:
        words.append(f"node-attribute={e.node_attribute}")
    return [f"colocation {e.id} {shown_score(e.score)}: " + " ".join(words)]


def _order(e: Order, ctx: WriteContext) -> list[str]:
    words = _constraint_words(list(e.items), "order")
    if e.symmetrical:
        words.append(f"symmetrical={e.symmetrical}")
    kind = order_kind(e)
    prefix = f"order {e.id} " + (f"{kind}: " if kind else "")
    return [prefix + " ".join(words)]


def _ticket(e: RscTicket, ctx: WriteContext) -> list[str]:
    words = _constraint_words(list(e.items), "rsc_ticket")
    if e.loss_policy:
        words.append(f"loss-policy={e.loss_policy}")
    return [f"rsc_ticket {e.id} {e.ticket}: " + " ".join(words)]


# --------------------------------------------------------------------------- cluster-wide


def _cluster_set(e: ClusterSet, ctx: WriteContext) -> list[str]:
    set_id = e.id or ids.default_set_id(e.kind)
    head = f"{e.kind} {set_id}:" if is_bare(set_id) else f'{e.kind} $id="{set_id}"'
    lines = [head]
    lines += [f"rule {rule_text(r, ctx)}" for r in e.rules]
    lines += [nvpair(p.name, p.value) for p in e.nvpairs]
    return lines


def _fencing(e: FencingTopology, ctx: WriteContext) -> list[str]:
    by_target: dict[str, dict[int, str]] = {}
    for level in e.levels:
        if level.target_pattern is not None:
            target = f"pattern:{level.target_pattern}"
        elif level.target_attribute is not None:
            target = f"attr:{level.target_attribute}={level.target_value}"
        elif level.target is not None:
            target = f"{level.target}:"
        else:
            target = ""
        by_target.setdefault(target, {})[level.index] = ",".join(level.devices)
    devices = {t: " ".join(v[i] for i in sorted(v)) for t, v in by_target.items()}
    same = len(set(devices.values())) == 1
    # crmsh's short form: one device list for as many targets as there are nodes, whatever the
    # targets (when they are not those nodes, crmsh shows the element as XML: lang/nocli.py)
    if same and (set(devices) == {""} or len(devices) == ctx.node_count):
        return ["fencing_topology " + next(iter(devices.values()))]
    return ["fencing_topology", *(f"{t} {d}".lstrip() for t, d in devices.items())]


def _tag(e: Tag, ctx: WriteContext) -> list[str]:
    return [" ".join(["tag", e.id, *e.refs])]


def _raw_xml(e: RawXml, ctx: WriteContext) -> list[str]:
    lines = [line for line in e.xml.splitlines() if line.strip()]
    # crmsh joins raw XML lines without the tab.
    return ["xml " + " \\\n".join(lines)]


_WRITERS: dict[type, Callable[..., list[str]]] = {
    Node: _node,
    RscTemplate: _primitive,
    Primitive: _primitive,
    Group: _group,
    Clone: _clone,
    Bundle: bundle_lines,
    Location: _location,
    Colocation: _colocation,
    Order: _order,
    RscTicket: _ticket,
    ClusterSet: _cluster_set,
    FencingTopology: _fencing,
    Tag: _tag,
    Role: role_lines,
    AclTarget: acl_target_lines,
    AclGroup: acl_target_lines,
    User: user_lines,
    Alert: alert_lines,
    RawXml: _raw_xml,
}


# --------------------------------------------------------------------------- public API


def write(element: Element, context: WriteContext | None = None) -> str:
    """Canonical crm text of one element (comments above it), without a trailing newline.

    ``context`` carries whole-configuration facts (see :class:`WriteContext`); ``write_all``
    builds it, a lone element is written without it.
    """
    ctx = context or WriteContext()
    lines = _WRITERS[type(element)](element, ctx)
    text = CONTINUATION.join(lines)
    if element.comments:
        return "\n".join([*element.comments, text])
    return text


def sort_key(element: Element) -> tuple[int, str]:
    """crmsh's display order: type rank, then id."""
    kw = keyword(element)
    if isinstance(element, RawXml):  # crmsh ranks raw XML with the kind of element it is
        from crmsh_py.lang.nocli import RAW_KEYWORDS

        kw = RAW_KEYWORDS.get(element.tag, kw)
    element_id = element.id
    if isinstance(element, Node) and element.node_id:
        element_id = element.node_id  # crmsh sorts nodes by their XML id
    if isinstance(element, ClusterSet) and not element_id:
        element_id = ids.default_set_id(element.kind)
    if isinstance(element, FencingTopology):
        element_id = ids.FENCING_TOPOLOGY_ID
    return _RANK.get(kw, _LAST_RANK), element_id or ""


def context_for(elements: Iterable[Element]) -> WriteContext:
    """The :class:`WriteContext` of a whole configuration."""
    items = list(elements)
    node_count = sum(1 for e in items if isinstance(e, Node))
    referenced: set[str] = set()
    for e in items:
        for rule in _all_rules(e):
            if rule.id_ref:
                referenced.add(rule.id_ref)
    return WriteContext(node_count=node_count, referenced_rule_ids=frozenset(referenced))


def _all_rules(e: Element) -> list[Any]:
    rules = list(getattr(e, "rules", []) or [])
    if isinstance(e, (Location, ClusterSet)):
        return rules
    if isinstance(e, Role | User):
        return []
    for aset in getattr(e, "attr_sets", []) or []:
        rules.extend(aset.rules)
    for op in getattr(e, "ops", []) or []:
        for aset in op.attr_sets:
            rules.extend(aset.rules)
    return rules


def has_typed_strings(elements: Iterable[Element]) -> bool:
    """Whether any rule of ``elements`` has a ``string:`` comparison (which ``fresh`` changes)."""
    return any(getattr(x, "type", None) == "string"
               for e in elements for rule in _all_rules(e) for x in rule.expressions)


def write_all(elements: Iterable[Element], fresh: Collection[str] = (), node_count: int | None = None) -> str:
    """All elements in crmsh's display order, each on its own line block, ending with a newline
    (empty string for no elements).  ``fresh``: ids of elements written in this session, which
    crmsh shows as parsed (``string:`` comparisons), not as read back from the CIB;
    ``node_count``: the configuration's nodes, when ``elements`` are only some of its elements."""
    items = list(elements)
    if not items:
        return ""
    with paused():  # many small acyclic strings: collector passes would only add time
        ctx = context_for(items)
        if node_count is not None:
            ctx = replace(ctx, node_count=node_count)
        typed = replace(ctx, typed_strings=True) if fresh else ctx
        ordered = sorted(items, key=sort_key)
        return "\n".join(write(e, typed if e.id in fresh else ctx) for e in ordered) + "\n"
