"""Where a live migration in a primitive's history leaves it, for the status displays.

Pacemaker reads a ``migrate_to``/``migrate_from`` pair while it unpacks the history, so ``crm_mon``
and ``crm_simulate`` show what the scheduler plans with: a partial migration (``migrate_to`` done,
no ``migrate_from`` yet) is active on both ends (``Started [ target source ]``); a failed
``migrate_to`` leaves it active on the target too (``FAILED [ target source ]``), or, when the
source's history then ends stopped, on the target only with the resource's role still Stopped
(``Stopped target``); a failed ``migrate_from`` leaves it failed on the source.  The rules are the
scheduler's own (``crmsh_py.engine.scheduler.migration``), run on the display's reading of each
node's history; only primitives with such operations pay for it (imports included).
"""

from __future__ import annotations

from crmsh_py.engine.status_view_records import NodeView, OpView, ResourceView

STOPPED = "Stopped"


def settle(prim: ResourceView, histories: dict[str, list[OpView]], nodes: list[NodeView], order: list[str]) -> None:
    """Adjust ``prim.running`` and ``prim.failed_on`` (already folded node by node) for the
    migrations in its ``histories``; ``order`` is the status section's node order, Pacemaker's
    reading order (which decides the order nodes are listed in)."""
    from crmsh_py.engine.scheduler.migration import MigrationHistory, read_leaf_migrations
    from crmsh_py.engine.scheduler.state import LeafState, NodeState
    from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord, ResourceHistory

    by_name = {n.name: n for n in nodes}
    rank = {name: i for i, name in enumerate(order)}
    status = ClusterStatus()
    state = LeafState()
    failure = OpRecord(task="monitor", interval_ms=0, rc=1, call_id=0)  # marks a node failed: any op will do
    for name in sorted(set(by_name) | set(histories), key=lambda n: rank.get(n, len(rank))):
        view = by_name.get(name)
        node = NodeStatus(name=name, node_id=name, online=view is not None and view.online,
                          unclean=view is not None and view.unclean)
        ops = histories.get(name, [])
        node.resources[prim.id] = ResourceHistory(prim.id, "", "", ops=[
            OpRecord(task=o.task, interval_ms=o.interval_ms, rc=o.rc, call_id=o.call_id, op_status=o.op_status,
                     last_rc_change=o.last_rc_change, migrate_source=o.migrate_source,
                     migrate_target=o.migrate_target) for o in ops])
        status.nodes[name] = node
        if name in prim.running:
            state.on[name] = NodeState(role=prim.running[name], failed=failure if name in prim.failed_on else None)
        elif ops:
            state.on[name] = NodeState(role=STOPPED)
    out = MigrationHistory()
    read_leaf_migrations(prim.id, state, status, out)
    phantom = out.phantom.get(prim.id)
    # Pacemaker's resource has one role: stopped on every node's own reading, yet counted active on
    # a failed migration's target, it shows "Stopped target"
    prim.running = {name: STOPPED if name == phantom else s.role for name, s in state.on.items()
                    if s.role != STOPPED or name == phantom}
    prim.failed_on = {name for name, s in state.on.items() if s.failed is not None and name in prim.running}
