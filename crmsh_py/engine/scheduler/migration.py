"""Live migration: reading migrations from the history, and planning them.

A primitive with ``allow-migrate=true`` that moves from a healthy node to another is migrated
instead of stopped and started: ``migrate_to`` on the source, ``migrate_from`` on the target, then a
stop on the source (which ends what is left there) and the monitors on the target.  The summary says
``Migrate rsc ( a -> b )``.  Pacemaker 2.1's rules, learnt from its regression suite:

- a resource may migrate only when it is managed, not failed, its current node is clean and it
  runs in one place; clone instances never migrate;
- an order ``A then B`` (start before start) stops B from migrating when A moves or restarts
  without migrating itself (B's ``migrate_to`` would have to wait for A's stop);
- history: ``migrate_to`` ok on the source and no ``migrate_from`` on the target yet is a *partial*
  migration: the resource counts as active on both.  If the target is still the chosen node the
  migration continues (``migrate_from`` and the stop on the source only); otherwise it is recovered
  (stopped on both, started where it belongs).  ``migrate_to`` and ``migrate_from`` both ok but no stop
  on the source is *dangling*: only the stop on the source remains to do.  A failed ``migrate_from``
  leaves it active (failed) on the target and active on the source; a failed ``migrate_to`` leaves it
  active on the source and, unless the target has newer news, on the target.
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, is_true
from crmsh_py.engine.scheduler.state import STARTED, STOPPED, LeafState, NodeState
from crmsh_py.engine.scheduler.transition import Action, Change, details_text
from crmsh_py.engine.status import ClusterStatus, OpRecord
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from collections.abc import Collection
    from typing import Any

_CHANGING = ("start", "stop", "migrate_to", "migrate_from")


@record
class MigrationHistory:
    """What the history says about migrations in progress (leaf ids as keys)."""

    partial: dict[str, tuple[str, str]] = field(default_factory=dict)  # leaf -> (source, target)
    dangling: dict[str, list[str]] = field(default_factory=dict)  # leaf -> sources still to stop
    no_migrate: set[str] = field(default_factory=set)  # a failed migration forces a full restart
    multi: set[str] = field(default_factory=set)  # left active on both ends by a migration
    # leaf -> the resource ordered before it that moves the ordinary way (so it cannot migrate)
    blocked_by: dict[str, str] = field(default_factory=dict)
    # leaf -> the target of a failed migrate_to it counts as active on although every node's own
    # history ends stopped: Pacemaker's role for it stays Stopped, so staying there is a restart
    phantom: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- history


def _ops(status: ClusterStatus, rsc: str, node: str) -> list[OpRecord]:
    state = status.nodes.get(node)
    history = state.resources.get(rsc) if state is not None else None
    return sorted(history.ops, key=lambda o: o.call_id) if history is not None else []


def _newer(a: OpRecord, b: OpRecord, same_node: bool) -> bool:
    """Whether ``a`` happened after ``b`` (call ids on one node, else last-rc-change; 0 is unknown)."""
    if same_node and a.call_id >= 0 and b.call_id >= 0 and a.call_id != b.call_id:
        return a.call_id > b.call_id
    if a.last_rc_change and b.last_rc_change:
        return a.last_rc_change > b.last_rc_change
    return False


def _non_monitor_after(status: ClusterStatus, rsc: str, node: str, op: OpRecord, same_node: bool) -> bool:
    return any(o is not op and o.task in _CHANGING and _newer(o, op, same_node) for o in _ops(status, rsc, node))


def _not_running_after(status: ClusterStatus, rsc: str, node: str, op: OpRecord, same_node: bool) -> bool:
    probes = [o for o in _ops(status, rsc, node) if o.task == "monitor" and o.rc == 7]
    return bool(probes) and _newer(probes[-1], op, same_node)


def _newer_state(status: ClusterStatus, rsc: str, node: str, migrate_to: OpRecord | None,
                 migrate_from: OpRecord | None) -> bool:
    """Whether ``node`` has news about ``rsc`` after the migration events (so they no longer count)."""
    ref = migrate_from or migrate_to
    assert ref is not None
    same = False
    if node == ref.migrate_target and migrate_from is not None:
        ref, same = migrate_from, True
    elif node == ref.migrate_source and migrate_to is not None:
        ref, same = migrate_to, True
    return _non_monitor_after(status, rsc, node, ref, same) or _not_running_after(status, rsc, node, ref, same)


def _find(status: ClusterStatus, rsc: str, task: str, node: str, other: str, ok_only: bool) -> OpRecord | None:
    """The last ``task`` of ``rsc`` on ``node`` whose other end is ``other``."""
    found = None
    for op in _ops(status, rsc, node):
        end = op.migrate_target if task == "migrate_to" else op.migrate_source
        if op.task == task and end == other:
            found = op
    if found is not None and ok_only and (found.rc != 0 or found.op_status != 0):
        return None
    return found


def _run_on(states: LeafState, node: str, failed: OpRecord | None = None, first: bool = False,
            out: MigrationHistory | None = None, leaf_id: str = "") -> None:
    """Count the resource active on ``node`` (``first``: ahead of the nodes already known)."""
    state = states.on.get(node) or NodeState()
    if state.role == STOPPED:
        state.role = STARTED
    if failed is not None and state.failed is None:
        state.failed = failed
    states.on.pop(node, None)
    if out is not None:
        out.multi.add(leaf_id)
    if first:
        states.on = {node: state, **states.on}
    else:
        states.on[node] = state


def read_migrations(tree: ResourceTree, states: dict[str, LeafState], status: ClusterStatus,
                    offline_read: bool = True) -> MigrationHistory:
    """Adjust ``states`` for migrations in the history; return partial and dangling migrations.
    ``offline_read`` false (no fencing, no shutdown locks): Pacemaker never reads the history of a
    node that is down, so a migration recorded there tells nothing."""
    out = MigrationHistory()
    # Only resources with a migration in their history need a look (one cheap pass over the ops).
    migrated = {rsc_id for node in status.nodes.values() for rsc_id, history in node.resources.items()
                if any(op.task in ("migrate_to", "migrate_from") for op in history.ops)}
    for leaf in tree.leaves:
        if leaf.clone is None and leaf.id in migrated:
            read_leaf_migrations(leaf.id, states[leaf.id], status, out, offline_read)
    return out


def read_leaf_migrations(leaf_id: str, st: LeafState, status: ClusterStatus, out: MigrationHistory,
                         offline_read: bool = True) -> None:
    """Adjust one primitive's ``st`` for the migrations in its history, noting them in ``out``
    (the status displays use it too: where Pacemaker counts a migrating resource active)."""
    for node in list(status.nodes):
        if not offline_read and not status.nodes[node].online and "in_ccm" in status.nodes[node].state_attrs:
            continue  # (a cluster node: a remote node's state is settled later)
        for op in _ops(status, leaf_id, node):
            if op.task == "migrate_to" and op.migrate_source == node and op.migrate_target:
                if op.rc == 0 and op.op_status == 0:
                    _migrate_to_ok(leaf_id, st, status, node, op, out)
                elif op.call_id >= 0:
                    _migrate_to_failed(leaf_id, st, status, node, op, out)
            elif (op.task == "migrate_from" and op.migrate_target == node and op.migrate_source
                  and op.call_id >= 0 and (op.rc != 0 or op.op_status != 0)):
                _migrate_from_failed(leaf_id, st, status, node, op, out)


def _online(status: ClusterStatus, node: str) -> bool:
    state = status.nodes.get(node)
    return state is not None and state.online and not state.unclean


def _migrate_to_ok(leaf_id: str, st: LeafState, status: ClusterStatus, source: str, op: OpRecord,
                   out: MigrationHistory) -> None:
    target = op.migrate_target
    source_newer = _non_monitor_after(status, leaf_id, source, op, True)
    migrate_from = _find(status, leaf_id, "migrate_from", target, source, ok_only=False)
    if source_newer and migrate_from is not None:
        return
    target_newer = _newer_state(status, leaf_id, target, op, migrate_from)
    if source_newer and target_newer:
        return
    if not source_newer:
        _run_on(st, source)
    if migrate_from is not None and migrate_from.rc == 0 and migrate_from.op_status == 0:
        # Both halves done, the stop on the source is missing: stop it there, nothing else.
        if source in st.on:
            st.on[source].role = STOPPED
        out.dangling.setdefault(leaf_id, []).append(source)
    elif migrate_from is not None and migrate_from.call_id >= 0:  # migrate_from failed
        if not target_newer and _online(status, target):
            _run_on(st, target, first=True, out=out, leaf_id=leaf_id)
        else:
            _fail(st, source, op, leaf_id, out)
    else:  # migrate_from pending or never run
        if not target_newer and _online(status, target):
            _run_on(st, target, first=True, out=out, leaf_id=leaf_id)
            if _online(status, source):
                out.partial[leaf_id] = (source, target)
        elif not source_newer:
            _fail(st, source, op, leaf_id, out)


def _fail(st: LeafState, node: str, op: OpRecord, leaf_id: str, out: MigrationHistory) -> None:
    _run_on(st, node, failed=op)
    out.no_migrate.add(leaf_id)


def _migrate_to_failed(leaf_id: str, st: LeafState, status: ClusterStatus, source: str, op: OpRecord,
                       out: MigrationHistory) -> None:
    target = op.migrate_target
    migrate_from = _find(status, leaf_id, "migrate_from", target, source, ok_only=True)
    known = bool(_ops(status, leaf_id, target))
    if known and not _newer_state(status, leaf_id, target, op, migrate_from):
        if _online(status, target):
            stopped_everywhere = all(s.role == STOPPED for s in st.on.values())
            _run_on(st, target, first=True, out=out, leaf_id=leaf_id)
            if stopped_everywhere:
                out.phantom[leaf_id] = target
            else:
                out.phantom.pop(leaf_id, None)
    elif not _non_monitor_after(status, leaf_id, source, op, True):
        out.dangling.setdefault(leaf_id, []).append(source)


def _migrate_from_failed(leaf_id: str, st: LeafState, status: ClusterStatus, target: str, op: OpRecord,
                         out: MigrationHistory) -> None:
    source = op.migrate_source
    migrate_to = _find(status, leaf_id, "migrate_to", source, target, ok_only=True)
    known = bool(_ops(status, leaf_id, source))
    if known and not _newer_state(status, leaf_id, source, migrate_to, op) and _online(status, source):
        _run_on(st, source, failed=op, out=out, leaf_id=leaf_id)


# --------------------------------------------------------------------------- planning


def allows_migration(leaf: Leaf) -> bool:
    """``allow-migrate`` on a primitive outside clones."""
    return leaf.clone is None and is_true(leaf.meta.get("allow-migrate"))


def can_migrate(leaf: Leaf, st: LeafState, dest: str | None, history: MigrationHistory, fixed: bool) -> bool:
    """Whether the move of ``leaf`` to ``dest`` may be a live migration."""
    if not allows_migration(leaf) or fixed or dest is None or leaf.id in history.no_migrate:
        return False
    active = st.active_nodes
    if not active or any(s.failed is not None for s in st.on.values() if s.role != STOPPED):
        return False
    partial = history.partial.get(leaf.id)
    if partial is not None:
        return len(active) == 2 and partial[1] == dest and partial[0] in active
    return len(active) == 1 and active[0] != dest


def migrate_actions(leaf: Leaf, st: LeafState, dest: str, acts: list[Action],
                    history: MigrationHistory) -> tuple[list[Action], Change]:
    """Turn the stop/start actions of a moving leaf into a migration."""
    partial = history.partial.get(leaf.id)
    source = partial[0] if partial is not None else st.active_nodes[0]
    timeouts = {a.task: a.timeout_ms for a in acts}
    out: list[Action] = []
    if partial is None:
        out.append(Action("migrate_to", leaf.id, source, 0, timeouts.get("start", 20000),
                          migrate_source=source, migrate_target=dest))
    out.append(Action("migrate_from", leaf.id, dest, 0, timeouts.get("start", 20000),
                      migrate_source=source, migrate_target=dest))
    out.append(Action("stop", leaf.id, source, 0, timeouts.get("stop", 20000)))
    out.extend(a for a in acts if a.task == "monitor" and a.node == dest and a.interval_ms)
    return out, Change("Migrate", leaf.id, details_text(source, dest, STARTED, STARTED))


def recover_partial(leaf: Leaf, st: LeafState, dest: str | None, acts: list[Action],
                    history: MigrationHistory, reason: str) -> tuple[list[Action], Change | None] | None:
    """A partial migration that cannot continue: stop everywhere, start where it belongs."""
    partial = history.partial.get(leaf.id)
    if partial is None:
        return None
    source = partial[0]
    timeouts = {a.task: a.timeout_ms for a in acts}
    out = [Action("stop", leaf.id, node, 0, timeouts.get("stop", 20000)) for node in st.active_nodes]
    if dest is None:
        return out, Change("Stop", leaf.id, details_text(source, None, STARTED, STOPPED),
                           reason or "due to node availability")
    out.append(Action("start", leaf.id, dest, 0, timeouts.get("start", 20000)))
    out.extend(a for a in acts if a.task == "monitor" and a.node == dest and a.interval_ms)
    kind = "Move" if source != dest else "Restart"
    return out, Change(kind, leaf.id, details_text(source, dest, STARTED, STARTED))


def recover_everywhere(leaf: Leaf, st: LeafState, dest: str | None, acts: list[Action],
                       reason: str) -> tuple[list[Action], Change | None]:
    """Active on both ends of a failed migration: stop it everywhere, start it where it belongs
    (the failure belongs to the resource, so it is a recovery wherever it ends up)."""
    active = st.active_nodes
    current = active[0]
    timeouts = {a.task: a.timeout_ms for a in acts}
    out = [Action("stop", leaf.id, node, 0, timeouts.get("stop", 20000)) for node in active]
    if dest is None:
        return out, Change("Stop", leaf.id, details_text(current, None, STARTED, STOPPED),
                           reason or "due to node availability")
    out.append(Action("start", leaf.id, dest, 0, timeouts.get("start", 20000)))
    out.extend(a for a in acts if a.task == "monitor" and a.node == dest and a.interval_ms)
    failed = any(s.failed is not None for s in st.on.values() if s.role != STOPPED)
    kind = "Recover" if failed else ("Move" if current != dest else "Restart")
    return out, Change(kind, leaf.id, details_text(current, dest, STARTED, STARTED))


def dangling_stops(leaf: Leaf, history: MigrationHistory, acts: list[Action]) -> list[Action]:
    """Stops on sources of finished migrations whose stop never ran (no summary line)."""
    have = {(a.task, a.node) for a in acts}
    return [Action("stop", leaf.id, node, 0, 20000) for node in history.dangling.get(leaf.id, [])
            if ("stop", node) not in have]


def migrating_leaves(tree: ResourceTree, states: dict[str, LeafState], dest: dict[str, str | None],
                     restart: Collection[str], history: MigrationHistory, fixed: dict[str, str | None],
                     orders: list[Any]) -> set[str]:
    """Leaves whose move will be a live migration.  A mandatory ``A then B`` start order keeps B
    from migrating while A moves or restarts the ordinary way."""
    from crmsh_py.engine.scheduler.order import leaves_of

    could = {leaf.id for leaf in tree.leaves
             if can_migrate(leaf, states[leaf.id], dest.get(leaf.id), history, leaf.id in fixed)}
    chosen = could - set(restart)

    def recovering(leaf_id: str) -> bool:
        return any(s.failed is not None and s.role != STOPPED for s in states[leaf_id].on.values())

    def disrupted(leaf_id: str) -> bool:
        active = states[leaf_id].active_nodes
        if not active or leaf_id in chosen or leaf_id in fixed:
            return False
        return leaf_id in restart or recovering(leaf_id) or any(node != dest.get(leaf_id) for node in active)

    history.blocked_by.clear()  # this call's answer replaces any earlier one
    pairs = [(p.first, p.then) for p in orders if getattr(p, "kind", "") == "Mandatory"
             and p.first_action == "start" and p.then_action == "start"]
    # a group orders each member after the one before it (cloned groups' instances never migrate)
    pairs += [(unit.leaves[i - 1].id, unit.leaves[i].id) for top in tree.tops if top.kind == "group"
              for unit in top.units for i in range(1, len(unit.leaves))]
    for _ in range(len(pairs) + 1):
        dropped = False
        for first_id, then_id in pairs:
            blockers = [f for f in leaves_of(tree, first_id) if disrupted(f)]
            if blockers:
                for leaf_id in leaves_of(tree, then_id):
                    if leaf_id in could:
                        dropped = dropped or leaf_id in chosen
                        chosen.discard(leaf_id)
                        first = tree.leaf_by_id[blockers[0]]
                        # a clone's stop cannot take part in a migration once an instance both
                        # stops and starts: moving or recovering in place alike
                        in_place = blockers[0] in restart or (recovering(blockers[0])
                                                              and dest.get(blockers[0]) in states[blockers[0]].active_nodes)
                        if dest.get(blockers[0]) is not None and (not in_place or first.clone is not None):
                            # Pacemaker names the first's own stop: a clone's or group's as a whole
                            whole = first.top if first.clone is not None else first_id
                            history.blocked_by.setdefault(leaf_id, blockers[0] if whole in tree.leaf_by_id
                                                          else whole)
        if not dropped:
            break
    return chosen


def summary_lines(st: LeafState, dest: str | None, change: Change) -> list[Change]:
    """A resource left active on several nodes that stops altogether gets one Stop line per node,
    in the order Pacemaker found it running (a migration's target first)."""
    active = st.active_nodes
    if dest is not None or change.change != "Stop" or len(active) < 2:
        return [change]
    return [Change("Stop", change.rsc_id, details_text(node, None, STARTED, STOPPED), change.reason)
            for node in active]


def plan_leaf(leaf: Leaf, st: LeafState, dest: str | None, acts: list[Action], change: Change | None,
              history: MigrationHistory, migrating: set[str], reason: str) -> tuple[list[Action], Change | None]:
    """A leaf's actions and summary item with migrations applied (unchanged for most leaves)."""
    if leaf.id in migrating and dest is not None:
        acts, change = migrate_actions(leaf, st, dest, acts, history)
    elif leaf.id in history.partial:
        recovered = recover_partial(leaf, st, dest, acts, history, reason)
        if recovered is not None:
            acts, change = recovered
    elif leaf.id in history.multi and len(st.active_nodes) > 1:
        acts, change = recover_everywhere(leaf, st, dest, acts, reason)
    blocker = history.blocked_by.get(leaf.id)
    if blocker and change is not None and change.change == "Move" and not change.reason:
        # Pacemaker's wording: the migration needed the first resource's stop, which is not one
        # that can take part in a migration.
        change = Change(change.change, change.rsc_id, change.details, f"due to unrunnable {blocker} stop")
    extra = dangling_stops(leaf, history, acts)
    return (extra + acts if extra else acts), change
