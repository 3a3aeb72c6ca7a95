"""Current state of every resource instance, read from the status section's operation history.

Pacemaker's interpretation: the history of a resource on a node is replayed in call-id order.
A successful start/stop/promote/demote sets the role; a probe (monitor, interval 0) reports what it
found (rc 0 running, 8 running promoted, 7 not running); a recurring monitor that fails marks the
instance failed (it stays active and needs recovery); a later successful start/stop clears the
failure.  ``on-fail=ignore`` on the failing op's definition hides the failure.
"""

from __future__ import annotations

from crmsh_py.engine.op_history import replay_ops
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, duration_ms, is_true
from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord, ResourceHistory
from crmsh_py.records import field, record

STARTED, PROMOTED, UNPROMOTED, STOPPED = "Started", "Promoted", "Unpromoted", "Stopped"


@record
class NodeState:
    """A resource instance's state on one node."""

    role: str = STOPPED
    failed: OpRecord | None = None
    failed_stop: bool = False
    monitors: set[int] = field(default_factory=set)  # recurring intervals armed
    on_fail: str = "restart"
    start_pending: bool = False  # the last start has no result yet
    history_id: str = ""  # the lrm_resource id this state was read from (an anonymous instance's may differ)
    failure_ignored: bool = False  # a failure hidden by on-fail=ignore (shown in status)
    ban_all: bool = False  # a fatal error, or a failure whose response keeps it stopped
    demote_blocked: bool = False
    from_start: bool = False  # its role was set by a start (see op_history.Replayed.from_start)


@record
class LeafState:
    """Where one instance is active now (nodes in status order)."""

    on: dict[str, NodeState] = field(default_factory=dict)
    banned: set[str] = field(default_factory=set)  # probe said "not installed" etc.

    @property
    def active_nodes(self) -> list[str]:
        return [n for n, s in self.on.items() if s.role != STOPPED]

    def role_on(self, node: str) -> str:
        state = self.on.get(node)
        return state.role if state else STOPPED


def op_on_fail(leaf: Leaf | None, record: OpRecord, stonith_enabled: bool) -> str:
    """The on-fail policy of the op that produced ``record`` (Pacemaker's defaults otherwise)."""
    value = None
    if leaf is not None:
        for op in leaf.ops:
            if op.name == record.task and duration_ms(op.interval) == record.interval_ms:
                value = next((a.value for a in op.attributes if a.name == "on-fail" and a.value), None)
                role = next((a.value or "" for a in op.attributes if a.name == "role"), "").lower()
                if (value or "").lower() == "demote" and not (
                        op.name == "promote"
                        or (op.name == "monitor" and role in ("promoted", "master") and record.interval_ms > 0)):
                    value = None  # Pacemaker: 'demote' is allowed only there; the default applies
                break
        if value is None and record.task == "demote":
            # a demote fails like the promoted role's monitor, when that says how
            for op in leaf.ops:
                attrs = {a.name: (a.value or "") for a in op.attributes}
                if (op.name == "monitor" and duration_ms(op.interval) > 0
                        and attrs.get("role", "").lower() in ("promoted", "master")
                        and attrs.get("on-fail") and attrs["on-fail"].lower() != "demote"):
                    value = attrs["on-fail"]
                    break
    value = (value or "").lower()
    if value in ("nothing",):
        return "ignore"
    if value == "fence" and not stonith_enabled:
        return "stop"  # Pacemaker: 'fence' is not valid when fencing is disabled
    if value == "restart-container" and (leaf is None or not leaf.meta.get("container")):
        value = ""  # only meaningful inside a container
    if value:
        return value
    if leaf is not None and leaf.meta.get("container"):
        return "restart-container"  # Pacemaker's default for what runs inside a container
    if record.task == "stop":
        return "fence" if stonith_enabled else "block"
    return "restart"


def replay(history: ResourceHistory, leaf: Leaf | None, stonith_enabled: bool,
           now: int = 0, node: NodeStatus | None = None, legacy: bool = False,
           maintenance_mode: bool = False) -> tuple[NodeState, bool]:
    """Replay one node's history of one resource (see ``crmsh_py.engine.op_history``); returns the state and a
    "ban this node" flag."""

    def policy(op: OpRecord) -> tuple[str, bool]:
        on_fail = op_on_fail(leaf, op, stonith_enabled)
        return on_fail, on_fail == "stop"

    timeout_s = duration_ms(leaf.meta.get("failure-timeout"), 0) // 1000 if leaf is not None else 0
    failcount = node is not None and leaf is not None and fail_count(node, leaf, now, 0, legacy) > 0
    # (a node in maintenance makes what runs there unmanaged only once its history has been read)
    managed = leaf is None or not (maintenance_mode or not is_true(leaf.meta.get("is-managed", "true"))
                                   or is_true(leaf.meta.get("maintenance", "false")))
    result = replay_ops(history.ops, leaf is not None and leaf.promotable, policy, timeout_s, now, failcount,
                        managed)
    state = NodeState(role=result.role)
    if result.on_fail != "ignore" and result.last_failure is not None:
        state.failed, state.on_fail = result.last_failure, result.on_fail
    state.failure_ignored = result.failure_ignored
    state.ban_all = result.ban_all
    state.demote_blocked = result.demote_blocked
    state.from_start = result.from_start
    state.start_pending = result.start_pending
    state.monitors = _armed_monitors(history.ops)
    return state, result.ban_node


def _armed_monitors(ops: list[OpRecord]) -> set[int]:
    armed: set[int] = set()
    for op in sorted(ops, key=lambda o: o.call_id if o.call_id >= 0 else 1 << 62):
        if op.interval_ms <= 0:
            if op.task in ("start", "stop", "migrate_from", "migrate_to") and op.op_status == 0:
                armed.clear()
            continue
        if op.call_id < 0 or op.op_status in (-1, 1):
            armed.discard(op.interval_ms)
        else:
            armed.add(op.interval_ms)
    return armed


def read_state(tree: ResourceTree, status: ClusterStatus, stonith_enabled: bool,
               shutdown_lock: bool = False,
               maintenance_mode: bool = False) -> tuple[dict[str, LeafState], dict[str, dict[str, NodeState]]]:
    """Every leaf's state; plus orphans (history of resources no longer configured) by id.

    Nodes are read in the order of their ``node_state`` entries, as Pacemaker does (without
    fencing or shutdown locks, nodes that are not online last): that order numbers the instances
    of anonymous clones (see ``_anonymous_instance``)."""
    states = {leaf.id: LeafState() for leaf in tree.leaves}
    orphans: dict[str, dict[str, NodeState]] = {}
    anonymous = _anonymous_clones(tree)
    extra: dict[str, int] = {}  # clone -> orphan instances numbered so far
    # (clone, node) -> orphan instance numbers there with the members they hold: members of one
    # cloned group found twice on a node share one orphan instance, as in Pacemaker
    orphan_slots: dict[tuple[str, str], list[tuple[int, set[str]]]] = {}
    # Without fencing (and shutdown locks) Pacemaker reads the history of nodes that are not
    # online after the others, so that active clone instances are numbered first.
    deferred = not (stonith_enabled or shutdown_lock)
    for node in sorted(status.nodes.values(), key=lambda n: (deferred and not n.online, n.state_index)):
        for rsc_id, history in node.resources.items():
            base = rsc_id.rsplit(":", 1)[0] if ":" in rsc_id else rsc_id
            top = anonymous.get(base)
            if top is not None:
                leaf_id = _anonymous_instance(tree, states, top, base, node.name)
                # on a lost node, Pacemaker makes the history an orphan instance of its own, which
                # takes an instance number even when it says the resource is not running there
                lost_orphan = leaf_id is not None and _orphaned_on_lost_node(tree, leaf_id, top, node, status,
                                                                             stonith_enabled)
                if lost_orphan:
                    leaf_id = None
                members = tree.members_of.get(base)  # none when clone-max=0: every instance is an orphan
                sample = tree.leaf_by_id[leaf_id] if leaf_id else (tree.leaf_by_id[members[0]] if members else None)
                state, banned = replay(history, sample, stonith_enabled, status.now, node,
                                          status.legacy_fail_counts, maintenance_mode)
                if sample is None and state.role == STARTED and _promotable(tree, top):
                    state.role = UNPROMOTED
                if leaf_id is None:
                    if state.role != STOPPED or lost_orphan:
                        slots = orphan_slots.setdefault((top, node.name), [])
                        slot = next((s for s in slots if base not in s[1]), None)
                        if slot is None:
                            slot = (tree_clone_max(tree, top) + extra.get(top, 0), set())
                            extra[top] = extra.get(top, 0) + 1
                            slots.append(slot)
                        slot[1].add(base)
                        state.history_id = rsc_id
                        if state.role != STOPPED:
                            orphans.setdefault(f"{base}:{slot[0]}", {})[node.name] = state
                    continue
                leaf = tree.leaf_by_id[leaf_id]
            else:
                leaf = tree.leaf_by_id.get(rsc_id)  # type: ignore[assignment]  # None: an orphan
                state, banned = replay(history, leaf, stonith_enabled, status.now, node,
                                          status.legacy_fail_counts, maintenance_mode)
                if leaf is None:
                    if state.role != STOPPED:
                        orphans.setdefault(rsc_id, {})[node.name] = state
                    continue
            if banned:
                states[leaf.id].banned.add(node.name)
            state.history_id = rsc_id
            states[leaf.id].on[node.name] = state
    return states, orphans


def _orphaned_on_lost_node(tree: ResourceTree, leaf_id: str, top_id: str, node: NodeStatus,
                           status: ClusterStatus, stonith_enabled: bool) -> bool:
    """Pacemaker's rule for an anonymous instance on a cluster node that is offline or unclean:
    when the resource does not need fencing (requires=quorum/nothing) and the clone does not have
    an instance for every node, the history does not use up an instance number (it is an orphan,
    so that a valid instance can start elsewhere)."""
    if node.online and not node.unclean or "in_ccm" not in node.state_attrs:
        return False  # online and clean, or a remote/guest node
    leaf = tree.leaf_by_id[leaf_id]
    default = "fencing" if stonith_enabled and not leaf.is_stonith else "quorum"
    if leaf.meta.get("requires", default).lower() in ("fencing", "unfencing"):
        return False
    return tree_clone_max(tree, top_id) != len(status.nodes)


def tree_clone_max(tree: ResourceTree, top_id: str) -> int:
    """How many instances a clone has."""
    return sum(1 for t in tree.tops if t.id == top_id for _ in t.units)


def _promotable(tree: ResourceTree, top_id: str) -> bool:
    return any(t.promotable for t in tree.tops if t.id == top_id)


def _anonymous_clones(tree: ResourceTree) -> dict[str, str]:
    """Primitive id -> clone id, for the primitives of anonymous clones (with clone-max=0 too:
    Pacemaker still matches their history, as orphan instances)."""
    out: dict[str, str] = {}
    for top in tree.tops:
        if top.kind != "clone" or is_unique_clone(top):
            continue
        # (a bundle's clone is made by the bundle expander: its units name its primitives)
        for base in top.child_bases or [l.base for u in top.units[:1] for l in u.leaves]:
            out[base] = top.id
    return out


def is_unique_clone(top) -> bool:  # type: ignore[no-untyped-def]
    """A globally-unique clone (only OCF and fencing agents can be: others count as anonymous)."""
    if not is_true(top.meta.get("globally-unique")):
        return False
    leaves = [l for u in top.units[:1] for l in u.leaves]
    return all(l.prim.agent is None or l.prim.agent.ra_class in ("ocf", "stonith") for l in leaves)


def _anonymous_instance(tree: ResourceTree, states: dict[str, LeafState], top_id: str, base: str,
                        node: str) -> str | None:
    """The instance an anonymous clone's history on ``node`` belongs to (Pacemaker's rule): the
    instance already active there (for a cloned group: whose other members are), else the first
    instance not active anywhere; None for an orphan (a second active history on one node)."""
    top = next(t for t in tree.tops if t.id == top_id)
    inactive: str | None = None
    for unit in top.units:
        member = next((l.id for l in unit.leaves if l.base == base), None)
        if member is None:
            continue
        where = {n for l in unit.leaves for n in states[l.id].active_nodes}
        if where:
            if node in where:
                if node in states[member].active_nodes:
                    return None
                return member
        elif inactive is None:
            inactive = member
    return inactive


def fail_count(node: NodeStatus, leaf: Leaf, now: int, failure_timeout_s: int, legacy: bool = False) -> int:
    """The instance's fail count on ``node``, as Pacemaker sums it: every ``fail-count-NAME#OP_INTERVAL``
    attribute (``fail-count-NAME`` alone when ``legacy``: a CIB older than feature set 3.0.13) of the
    resource; NAME is the instance's own id in a globally unique clone, else the primitive's id with
    any instance number.  All of them expire together once the newest ``last-failure`` is more than
    ``failure-timeout`` old."""
    if not any(key.startswith(("fail-count-", "last-failure-")) for key in node.transient_attributes):
        return 0  # no failure recorded on the node
    unique = leaf.clone is not None and is_true(leaf.meta.get("globally-unique", "false"))
    name = leaf.id if unique else leaf.base
    total = last = 0
    for key, value in node.transient_attributes.items():
        kind = failure_attribute_kind(key, name, not unique, legacy)
        if kind is None:
            continue
        if kind == "last-failure":
            last = max(last, _safe_int(value))
        else:
            total += 1_000_000 if value.strip().lower() in ("infinity", "+infinity", "inf") else _safe_int(value)
    if total > 0 and last > 0 and failure_timeout_s > 0 and now > last + failure_timeout_s:
        return 0
    return max(0, min(total, 1_000_000))


def failure_attribute_kind(key: str, name: str, numbered: bool, legacy: bool) -> str | None:
    """``"fail-count"`` or ``"last-failure"`` when ``key`` is that attribute of resource ``name``
    (followed by an instance number ``:N`` when ``numbered``; then ``#OP_INTERVAL`` unless
    ``legacy``), else None.  Read by hand, as the expression
    ``(fail-count|last-failure)-NAME(?::[0-9]+)?#.+_[0-9]+`` would read it: ``re`` and the ``enum``
    it loads cost a ``crm_simulate`` run a quarter of its time."""
    for kind in ("fail-count", "last-failure"):
        if key.startswith(kind) and key[len(kind):len(kind) + 1 + len(name)] == "-" + name:
            rest = key[len(kind) + 1 + len(name):]
            break
    else:
        return None
    if numbered and rest[:1] == ":":
        digits = 1
        while digits < len(rest) and rest[digits] in _ASCII_DIGITS:
            digits += 1
        if digits > 1:
            rest = rest[digits:]
    if legacy:
        return kind if not rest else None
    if rest[:1] != "#" or "\n" in rest:
        return None
    operation, underscore, interval = rest[1:].rpartition("_")
    if not underscore or not operation or not interval or interval.strip(_ASCII_DIGITS):
        return None
    return kind


_ASCII_DIGITS = "0123456789"


def _safe_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0
