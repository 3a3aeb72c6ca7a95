"""The scheduler's view of the resources: the configuration tree expanded into instances.

``Leaf`` is one primitive instance (``dummy``, ``c:0``, ``member:1``); ``Unit`` is what is placed on
one node as a whole (a primitive, a group, or one clone instance of either); ``Top`` is a
top-level resource (primitive, group or clone) with its units.  Meta attributes are resolved once
here (rsc_defaults < clone < group < primitive) so later stages only read dictionaries.
"""

from __future__ import annotations

from crmsh_py.cib import attr_sets
from crmsh_py.cib.durations import duration_ms as duration_ms  # re-exported: its users import it from here
from crmsh_py.cib.vocabulary import is_true as is_true  # the scheduler modules import it from here
from crmsh_py.cib.model import AttrSet, Bundle, ClusterSet, Clone, Configuration, Group, Node, Op, Primitive, RscTemplate
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any, Callable

    from crmsh_py.cib.rules import AgentKey






def nvpairs(sets: list[AttrSet], kind: str, now: int | None = None, rsc: AgentKey | None = None) -> dict[str, str]:
    """The pairs of all sets of ``kind``.  With ``now``, as Pacemaker resolves them (scores, rules:
    see ``attr_sets``); without it every set counts and the first one wins."""
    if now is not None:
        return attr_sets.resolve([s for s in sets if s.kind == kind], now, rsc)
    out: dict[str, str] = {}
    for attr_set in sets:
        if attr_set.kind != kind:
            continue
        for pair in attr_set.nvpairs:
            if pair.value is not None and pair.value.lower() == attr_sets.DEFAULT:
                out.pop(pair.name, None)
            elif pair.value is not None:
                out.setdefault(pair.name, pair.value)
    return out


@record
class Leaf:
    """One primitive instance."""

    id: str
    base: str  # the primitive's configured id
    top: str
    prim: Primitive
    meta: dict[str, str]
    ops: list[Op]
    utilization: dict[str, int]
    group: str | None = None  # group (instance) id, e.g. ``grp`` or ``grp:0``
    clone: str | None = None
    instance: int | None = None
    promotable: bool = False
    index: int = 0  # position among all leaves (stable ordering)
    # instance attributes of the enclosing group/clone: Pacemaker hands them to the agent too
    parent_params: dict[str, str] = field(default_factory=dict)

    @property
    def is_stonith(self) -> bool:
        agent = self.prim.agent
        return agent is not None and agent.ra_class == "stonith"


@record
class Unit:
    """What is placed on a node as a whole."""

    id: str
    leaves: list[Leaf]
    top: str
    instance: int | None = None


@record
class Top:
    """A top-level resource with its units and clone settings."""

    id: str
    kind: str  # primitive / group / clone
    meta: dict[str, str]
    units: list[Unit] = field(default_factory=list)
    index: int = 0
    clone_max: int = 1
    clone_node_max: int = 1
    promotable: bool = False
    promoted_max: int = 1
    promoted_node_max: int = 1
    interleave: bool = False
    child_kind: str = "primitive"
    child_id: str = ""
    # a clone's primitive ids (known even with clone-max=0, when it has no unit to read them from)
    child_bases: list[str] = field(default_factory=list)


@record
class ResourceTree:
    """Every top-level resource, unit and leaf, plus lookups from any configured id."""

    tops: list[Top]
    leaves: list[Leaf]
    top_of: dict[str, str]  # any id (primitive, group, clone, instance) -> top id
    leaf_by_id: dict[str, Leaf]
    members_of: dict[str, list[str]]  # primitive/group id -> leaf ids carrying it
    leaves_by_top: dict[str, list[str]] = field(default_factory=dict)
    bundles: list[Any] = field(default_factory=list)  # scheduler.bundles.BundleInfo, one per bundle


def _merge_template(prim: Primitive, templates: dict[str, RscTemplate],
                    shared_ops: dict[str, list[Op]] | None = None) -> tuple[list[AttrSet], list[Op]]:
    """Attribute sets and ops of a primitive, with its template's underneath (written before the
    primitive's own, as Pacemaker expands a template); ``<operations id-ref=X>`` takes the ops of
    the ``<operations id=X>`` it names (``shared_ops``), as Pacemaker expands the reference."""
    own_ops = prim.ops
    if not own_ops and prim.operations_id_ref and shared_ops:
        own_ops = shared_ops.get(prim.operations_id_ref, [])
    template = templates.get(prim.template or "")
    if template is None:
        return prim.attr_sets, own_ops
    own = {(o.name, duration_ms(o.interval)) for o in own_ops}
    ops = [o for o in template.ops if (o.name, duration_ms(o.interval)) not in own] + own_ops
    return template.attr_sets + prim.attr_sets, ops


def agent_key(prim: Primitive, templates: dict[str, RscTemplate]) -> AgentKey:
    """A primitive's class, provider and type (from its template when it has one)."""
    template = templates.get(prim.template or "")
    agent = prim.agent or (template.agent if template is not None else None)
    if agent is None:
        return ("", None, "")
    return (agent.ra_class, agent.provider, agent.ra_type)


NO_AGENT: AgentKey = ("", None, "")  # a group or clone has no agent of its own


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def build_tree(cfg: Configuration, node_count: int, bundle_expander: Callable[..., Any] | None = None,
               now: int = 0) -> ResourceTree:
    """Expand the configuration's resources into tops, units and leaves.  ``bundle_expander``
    (``scheduler.bundles.add_bundle``) expands a bundle in place; without it bundles are left out.
    ``now`` (UNIX seconds) decides the date rules of meta attribute blocks and rsc_defaults."""
    by_id = {e.id: e for e in cfg.elements}
    templates = {e.id: e for e in cfg.elements if isinstance(e, RscTemplate)}
    # <operations id=X> blocks that others reference (rare: looked for only when one is referenced)
    shared_ops: dict[str, list[Op]] = {}
    if any(isinstance(e, Primitive) and e.operations_id_ref for e in cfg.elements):
        shared_ops = {e.operations_id: e.ops for e in cfg.elements
                      if isinstance(e, Primitive) and e.operations_id is not None}
    default_blocks = [cs for cs in cfg.elements if isinstance(cs, ClusterSet) and cs.kind == "rsc_defaults"]
    defaults = attr_sets.resolve(default_blocks, now, NO_AGENT)
    nested: set[str] = set()
    for e in cfg.elements:
        if isinstance(e, Group):
            nested.update(e.children)
        elif isinstance(e, Clone):
            nested.add(e.child)
        elif isinstance(e, Bundle) and e.primitive:
            nested.add(e.primitive)
    tree = ResourceTree([], [], {}, {}, {})

    def make_leaf(prim: Primitive, top: str, inherited: dict[str, str], group: str | None,
                  clone: str | None, instance: int | None, promotable: bool,
                  parent_params: dict[str, str] | None = None) -> Leaf:
        sets, ops = _merge_template(prim, templates, shared_ops)
        meta = attr_sets.resolve(default_blocks, now, agent_key(prim, templates))
        meta.update(inherited)
        meta.update(nvpairs(sets, "meta", now))
        util = {k: _int(v, 0) for k, v in nvpairs(sets, "utilization", now).items()}
        leaf_id = prim.id if instance is None else f"{prim.id}:{instance}"
        leaf = Leaf(leaf_id, prim.id, top, prim, meta, ops, util, group, clone, instance, promotable,
                    len(tree.leaves))
        leaf.parent_params = dict(parent_params or {})
        tree.leaves.append(leaf)
        tree.leaf_by_id[leaf_id] = leaf
        tree.leaves_by_top.setdefault(top, []).append(leaf_id)
        tree.top_of[leaf_id] = top
        tree.top_of[prim.id] = top
        tree.members_of.setdefault(prim.id, []).append(leaf_id)
        return leaf

    def make_unit(element: Primitive | Group, top: str, inherited: dict[str, str], clone: str | None,
                  instance: int | None, promotable: bool, parent_params: dict[str, str] | None = None) -> Unit:
        suffix = "" if instance is None else f":{instance}"
        if isinstance(element, Group):
            meta = dict(inherited)
            meta.update(nvpairs(element.attr_sets, "meta", now))
            params = {**(parent_params or {}), **nvpairs(element.attr_sets, "params")}
            gid = element.id + suffix
            leaves = []
            for child in element.children:
                prim = by_id.get(child)
                if isinstance(prim, Primitive):
                    leaves.append(make_leaf(prim, top, meta, gid, clone, instance, promotable, params))
            tree.top_of[element.id] = top
            tree.top_of[gid] = top
            tree.members_of.setdefault(element.id, []).extend(l.id for l in leaves)
            return Unit(gid, leaves, top, instance)
        leaf = make_leaf(element, top, inherited, None, clone, instance, promotable, parent_params)
        return Unit(leaf.id, [leaf], top, instance)

    for element in cfg.elements:
        if element.id in nested or isinstance(element, RscTemplate):
            continue
        if isinstance(element, Primitive):
            top = Top(element.id, "primitive", {}, index=len(tree.tops))
            top.units.append(make_unit(element, element.id, {}, None, None, False))
        elif isinstance(element, Group):
            top = Top(element.id, "group", nvpairs(element.attr_sets, "meta", now), index=len(tree.tops))
            top.units.append(make_unit(element, element.id, {}, None, None, False))
        elif isinstance(element, Bundle):
            info = bundle_expander(tree, element, by_id, defaults) if bundle_expander else None
            if info is not None:
                tree.bundles.append(info)
            continue
        elif isinstance(element, Clone):
            child = by_id.get(element.child)
            if not isinstance(child, (Primitive, Group)):
                continue
            meta = dict(defaults)
            meta.update(nvpairs(element.attr_sets, "meta", now))
            promotable = element.legacy_ms or is_true(meta.get("promotable"))
            top = Top(element.id, "clone", meta, index=len(tree.tops), promotable=promotable,
                      child_kind="group" if isinstance(child, Group) else "primitive",
                      child_id=child.id)
            top.child_bases = [child.id] if isinstance(child, Primitive) else [
                c for c in child.children if isinstance(by_id.get(c), Primitive)]
            top.clone_max = _int(meta.get("clone-max"), node_count)
            top.clone_node_max = _int(meta.get("clone-node-max"), 1)
            if top.clone_node_max > 1 and not is_true(meta.get("globally-unique")):
                # Pacemaker: an anonymous clone runs at most one instance per node, whatever
                # clone-node-max says (it logs a configuration error and uses 1)
                top.clone_node_max = 1
            top.promoted_max = _int(meta.get("promoted-max", meta.get("master-max")), 1)
            top.promoted_node_max = _int(meta.get("promoted-node-max", meta.get("master-node-max")), 1)
            top.interleave = is_true(meta.get("interleave"))
            inherited = nvpairs(element.attr_sets, "meta", now)
            clone_params = nvpairs(element.attr_sets, "params")
            for n in range(top.clone_max):
                top.units.append(make_unit(child, element.id, inherited, element.id, n, promotable, clone_params))
            tree.top_of[element.id] = element.id
        else:
            continue
        tree.top_of[element.id] = element.id
        tree.tops.append(top)
    _sort_by_priority(tree)
    return tree


def leading_int(text: str | None) -> int:
    """The integer at the start of ``text`` (``"2.0"`` -> 2), 0 when there is none (strtol's way)."""
    # ^\s*[-+]?\d+ read by hand (isdecimal: the digits \d takes): every plan reads priorities, and
    # compiling the expression cost each one-shot more than all the reading
    body = (text or "").lstrip()
    start = 1 if body[:1] in ("+", "-") else 0
    end = start
    while end < len(body) and body[end].isdecimal():
        end += 1
    return int(body[:end]) if end > start else 0


def top_priority(top: Top) -> int:
    """A top-level resource's ``priority`` meta attribute."""
    leaves = [l for u in top.units for l in u.leaves]
    text = top.meta.get("priority") or (leaves[0].meta.get("priority") if leaves and top.kind == "primitive"
                                         else None)
    return leading_int(text)


def _sort_by_priority(tree: ResourceTree) -> None:
    # Pacemaker keeps its resource list sorted by priority (highest first, configuration order
    # among equals): placement, the transition summary and status displays all follow it.
    tree.tops.sort(key=lambda t: -top_priority(t))
    for i, top in enumerate(tree.tops):
        top.index = i
    rank = {t.id: t.index for t in tree.tops}
    for info in tree.bundles:  # a bundle's replicas and their instances stay interleaved
        if info.child_base and info.child_base in tree.top_of:
            rank[tree.top_of[info.child_base]] = rank.get(info.id, 0)
    tree.leaves.sort(key=lambda l: rank.get(l.top, 0))
    for i, leaf in enumerate(tree.leaves):
        leaf.index = i


def node_utilization(cfg: Configuration, now: int | None = None) -> dict[str, dict[str, int]]:
    """Node capacities from ``node NAME utilization ...`` (blocks resolved at ``now`` if given)."""
    out: dict[str, dict[str, int]] = {}
    for node in cfg.elements:
        if isinstance(node, Node):
            out[node.id] = {k: _int(v, 0) for k, v in nvpairs(node.attr_sets, "utilization", now).items()}
    return out


def node_config_attributes(cfg: Configuration, now: int | None = None) -> dict[str, dict[str, str]]:
    """Permanent node attributes from ``node NAME attributes ...`` (blocks resolved at ``now`` if given)."""
    out: dict[str, dict[str, str]] = {}
    for node in cfg.elements:
        if isinstance(node, Node):
            out[node.id] = nvpairs(node.attr_sets, "attributes", now)
            out[node.id].update({k: v for k, v in nvpairs(node.attr_sets, "params", now).items()})
    return out


def cluster_options(cfg: Configuration, kind: str = "property", now: int | None = None) -> dict[str, str]:
    """Cluster properties (or op_defaults) as a dictionary.  With ``now``, as Pacemaker resolves
    their blocks (``cib-bootstrap-options`` first, then by score; rules); without it the first
    set wins."""
    if now is not None:
        blocks = [cs for cs in cfg.elements if isinstance(cs, ClusterSet) and cs.kind == kind]
        return attr_sets.resolve(blocks, now, first="cib-bootstrap-options" if kind == "property" else None)
    out: dict[str, str] = {}
    for cs in cfg.elements:
        if isinstance(cs, ClusterSet) and cs.kind == kind:
            for pair in cs.nvpairs:
                if pair.value is not None:
                    out.setdefault(pair.name, pair.value)
    return out


def unfencing_enabled(tree: ResourceTree) -> bool:
    """Whether some resource says it provides unfencing (meta attributes, rsc_defaults included)."""
    return any(leaf.meta.get("provides", "").lower() == "unfencing" for leaf in tree.leaves)
