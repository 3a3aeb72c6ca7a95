"""Current state of every resource instance, read from the status section's operation history.

Pacemaker's interpretation: the history of a resource on a node is replayed in call-id order.
A successful start/stop/promote/demote sets the role; a probe (monitor, interval 0) reports what it
found (rc 0 running, 8 running promoted, 7 not running); a recurring monitor that fails marks the
instance failed (it stays active and needs recovery); a later successful start/stop clears the
failure.  ``on-fail=ignore`` on the failing op's definition hides the failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, duration_ms, is_true
from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord, ResourceHistory

STARTED, PROMOTED, UNPROMOTED, STOPPED = "Started", "Promoted", "Unpromoted", "Stopped"


@dataclass
class NodeState:
    """A resource instance's state on one node."""

    role: str = STOPPED
    failed: OpRecord | None = None
    failed_stop: bool = False
    monitors: set[int] = field(default_factory=set)  # recurring intervals armed
    on_fail: str = "restart"
    start_pending: bool = False  # the last start has no result yet
    history_id: str = ""  # the lrm_resource id this state was read from (an anonymous instance's may differ)


@dataclass
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
    if leaf is not None:
        for op in leaf.ops:
            if op.name == record.task and duration_ms(op.interval) == record.interval_ms:
                for attr in op.attributes:
                    if attr.name == "on-fail" and attr.value:
                        return attr.value
    if record.task == "stop":
        return "fence" if stonith_enabled else "block"
    return "restart"


def replay(history: ResourceHistory, leaf: Leaf | None, stonith_enabled: bool) -> tuple[NodeState, bool]:
    """Replay one node's history of one resource; returns the state and a "ban this node" flag."""
    state = NodeState()
    banned = False
    # Pending ops (call id -1) are the newest: Pacemaker sorts them last.
    for op in sorted(history.ops, key=lambda o: (o.call_id < 0, o.call_id)):
        if op.call_id < 0 or op.op_status == 1:  # pending or cancelled: no result yet
            if op.interval_ms:
                state.monitors.discard(op.interval_ms)
            elif op.op_status != 1 and op.task in _PENDING_ROLES:  # a start under way counts as running
                state.role = _PENDING_ROLES[op.task]
                state.start_pending = op.task == "start"
            continue
        if op.interval_ms > 0:
            _recurring(state, op, leaf, stonith_enabled)
            continue
        if op.task == "monitor":
            banned |= _probe(state, op)
            continue
        if op.failed:
            policy = op_on_fail(leaf, op, stonith_enabled)
            if policy == "ignore":
                continue
            state.failed, state.on_fail = op, policy
            state.failed_stop = op.task == "stop"
            if state.role == STOPPED:
                state.role = STARTED
            continue
        _success(state, op)
    if leaf is not None and leaf.promotable and state.role == STARTED:
        state.role = UNPROMOTED
    return state, banned


_PENDING_ROLES = {"start": STARTED, "promote": PROMOTED}


def _success(state: NodeState, op: OpRecord) -> None:
    transitions = {"start": STARTED, "stop": STOPPED, "promote": PROMOTED, "demote": UNPROMOTED,
                   "migrate_from": STARTED, "migrate_to": STOPPED}
    role = transitions.get(op.task)
    if role is None:
        return
    state.role = role
    state.failed, state.failed_stop = None, False
    if op.task in ("start", "stop", "migrate_from", "migrate_to"):
        state.monitors.clear()


def _probe(state: NodeState, op: OpRecord) -> bool:
    roles = {0: STARTED, 8: PROMOTED, 7: STOPPED}
    if op.op_status == 0 and op.rc in roles:
        state.role = roles[op.rc]
        state.failed = None
        return False
    # "not installed"/"not configured" and similar: cannot run here.
    state.role = STOPPED
    return True


def _recurring(state: NodeState, op: OpRecord, leaf: Leaf | None, stonith_enabled: bool) -> None:
    if not op.failed:
        state.monitors.add(op.interval_ms)
        if op.rc == 8:
            state.role = PROMOTED
        elif op.rc == 0 and state.role == STOPPED:  # a monitor that finds it running: it runs
            state.role = STARTED
        return
    policy = op_on_fail(leaf, op, stonith_enabled)
    if policy == "ignore":
        state.monitors.add(op.interval_ms)
        return
    state.failed, state.on_fail = op, policy
    if state.role == STOPPED:
        state.role = STARTED


def read_state(tree: ResourceTree, status: ClusterStatus, stonith_enabled: bool) -> tuple[dict[str, LeafState], dict[str, dict[str, NodeState]]]:
    """Every leaf's state; plus orphans (history of resources no longer configured) by id.

    Nodes are read in the order of their ``node_state`` entries, as Pacemaker does: that order
    numbers the instances of anonymous clones (see ``_anonymous_instance``)."""
    states = {leaf.id: LeafState() for leaf in tree.leaves}
    orphans: dict[str, dict[str, NodeState]] = {}
    anonymous = _anonymous_clones(tree)
    extra: dict[str, int] = {}  # clone -> orphan instances numbered so far
    # (clone, node) -> orphan instance numbers there with the members they hold: members of one
    # cloned group found twice on a node share one orphan instance, as in Pacemaker
    orphan_slots: dict[tuple[str, str], list[tuple[int, set[str]]]] = {}
    for node in sorted(status.nodes.values(), key=lambda n: n.state_index):
        for rsc_id, history in node.resources.items():
            base = rsc_id.rsplit(":", 1)[0] if ":" in rsc_id else rsc_id
            top = anonymous.get(base)
            if top is not None:
                leaf_id = _anonymous_instance(tree, states, top, base, node.name)
                sample = tree.leaf_by_id[leaf_id] if leaf_id else tree.leaf_by_id[tree.members_of[base][0]]
                state, banned = replay(history, sample, stonith_enabled)
                if leaf_id is None:
                    if state.role != STOPPED:
                        slots = orphan_slots.setdefault((top, node.name), [])
                        slot = next((s for s in slots if base not in s[1]), None)
                        if slot is None:
                            slot = (tree_clone_max(tree, top) + extra.get(top, 0), set())
                            extra[top] = extra.get(top, 0) + 1
                            slots.append(slot)
                        slot[1].add(base)
                        state.history_id = rsc_id
                        orphans.setdefault(f"{base}:{slot[0]}", {})[node.name] = state
                    continue
                leaf = tree.leaf_by_id[leaf_id]
            else:
                leaf = tree.leaf_by_id.get(rsc_id)
                state, banned = replay(history, leaf, stonith_enabled)
                if leaf is None:
                    if state.role != STOPPED:
                        orphans.setdefault(rsc_id, {})[node.name] = state
                    continue
            if banned:
                states[leaf.id].banned.add(node.name)
            state.history_id = rsc_id
            states[leaf.id].on[node.name] = state
    return states, orphans


def tree_clone_max(tree: ResourceTree, top_id: str) -> int:
    """How many instances a clone has."""
    return sum(1 for t in tree.tops if t.id == top_id for _ in t.units)


def _anonymous_clones(tree: ResourceTree) -> dict[str, str]:
    """Primitive id -> clone id, for the primitives of anonymous clones."""
    out: dict[str, str] = {}
    for top in tree.tops:
        if top.kind != "clone" or is_unique_clone(top):
            continue
        for unit in top.units[:1]:
            for leaf in unit.leaves:
                out[leaf.base] = top.id
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


def fail_count(node: NodeStatus, leaf: Leaf, now: int, failure_timeout_s: int) -> int:
    """The instance's fail count on ``node``, ignoring failures older than ``failure-timeout``."""
    total = 0
    names = {leaf.id, leaf.base}
    for key, value in node.transient_attributes.items():
        if not key.startswith("fail-count-"):
            continue
        rest = key[len("fail-count-"):]
        rsc = rest.split("#", 1)[0]
        if rsc not in names:
            continue
        if failure_timeout_s > 0:
            last = node.transient_attributes.get("last-failure-" + rest, "0")
            try:
                if int(last) + failure_timeout_s <= now:
                    continue
            except ValueError:
                pass
        total += 1_000_000 if value.strip().lower() in ("infinity", "+infinity", "inf") else _safe_int(value)
    return min(total, 1_000_000)


def _safe_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0
