"""Which nodes are fenced, and what that means for the resources recorded on them.

A node needs fencing when it is unclean (see ``crmsh_py.engine.node_condition``) or when the history shows a reason: a
managed resource still active on a node that is down ("X is thought to be active there", only
with fencing enabled) or an operation that failed with ``on-fail=fence`` ("X failed there").  The
first reason found is the one reported.  A fence is scheduled only when it can run: fencing
enabled, a fencing device configured, and quorum (or ``no-quorum-policy=ignore``, or the node is
still in our membership), and only when some resource is managed at all.

Pacemaker lists its fencing actions newest first, so the summary shows them in the reverse of the
order their reasons were found (membership, then resource history, then never-seen nodes).
"""

from __future__ import annotations

from crmsh_py.engine.node_condition import NodeCondition, read_conditions
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, is_true
from crmsh_py.engine.scheduler.state import STOPPED, LeafState
from crmsh_py.engine.status import ClusterStatus
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from typing import Any

UNCLEAN = "node is unclean"


@record
class FenceDecision:
    """The nodes' conditions, who is fenced (with the summary order) and who cannot be."""

    conditions: dict[str, NodeCondition]
    fenced: set[str] = field(default_factory=set)
    unfenced: set[str] = field(default_factory=set)  # unclean but not fenceable now
    lines: list[tuple[str, str]] = field(default_factory=list)  # (node, reason), summary order
    notes: list[str] = field(default_factory=list)  # why unclean nodes are not fenced
    # leaf -> every (node, role) it was active on, in order, when one of them is fenced and it
    # ran on more than one: a stop shows one line per node
    active_before: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def leaf_managed(leaf: Leaf, maintenance_mode: bool) -> bool:
    """Whether the scheduler may act on this instance at all (is-managed, maintenance)."""
    return (not maintenance_mode and is_true(leaf.meta.get("is-managed", "true"))
            and not is_true(leaf.meta.get("maintenance", "false")))


def decide(tree: ResourceTree, states: dict[str, LeafState], status: ClusterStatus, props: dict[str, str],
           stonith: bool, has_device: bool, maintenance_mode: bool,
           requested: dict[str, str] | None = None, late: dict[str, str] | None = None) -> FenceDecision:
    """Read every node's condition and decide the fencing (see the module docstring).
    ``requested``: further nodes to fence (node -> reason), e.g. where a remote connection is
    lost; ``late``: those Pacemaker asks for only once the history has been read (a ticket with
    ``loss-policy=fence`` lost), which a reason found in the history overrides."""
    policy = props.get("no-quorum-policy", "stop").lower()
    conds = read_conditions(status, stonith, is_true(props.get("startup-fencing", "true")),
                            policy == "suicide")
    # Nodes found unclean from their membership come first, as Pacemaker meets them: in status
    # section order, before any resource history is read.
    found = sorted((name for name, c in conds.items() if c.unclean),
                   key=lambda n: status.nodes[n].state_index if n in status.nodes else len(status.nodes))
    requested = requested or {}
    in_order = _history_order(tree, states, status)
    # a remote node whose connection asks for fencing is unpacked after the cluster nodes, its
    # connection's reason first (it says more than "thought to be active" there)
    history: list[tuple[Leaf, str] | None] = [h for h in in_order if h[1] not in requested]
    history += [None, *(h for h in in_order if h[1] in requested)]
    for entry in history:
        if entry is None:
            for name, reason in requested.items():
                if name in conds and conds[name].mark_unclean(reason):
                    found.append(name)
            continue
        leaf, name = entry
        managed = leaf_managed(leaf, maintenance_mode)
        s = states[leaf.id].on[name]
        cond = conds[name]
        if (stonith and managed and s.role != STOPPED and not cond.online
                and not status.nodes[name].maintenance):
            if cond.mark_unclean(f"{leaf.id} is thought to be active there"):
                found.append(name)
        if s.failed is not None and s.on_fail == "fence" and cond.mark_unclean(f"{leaf.id} failed there"):
            found.append(name)
    for name, reason in (late or {}).items():
        if name in conds and conds[name].mark_unclean(reason):
            found.append(name)
    for name, cond in conds.items():
        if cond.unclean and cond.reason is None:
            cond.reason = UNCLEAN
            if name not in found:
                found.append(name)
    decision = FenceDecision(conds)
    # With fencing enabled but no device, Pacemaker leaves every resource unmanaged: nothing is fenced.
    have_managed = (not stonith or has_device) and any(leaf_managed(l, maintenance_mode) for l in tree.leaves)
    quorum_ok = status.have_quorum or policy == "ignore"
    for name in reversed(found):
        cond = conds[name]
        if stonith and has_device and have_managed and (quorum_ok or cond.online):
            decision.fenced.add(name)
            decision.lines.append((name, cond.reason or UNCLEAN))
    decision.unfenced = {n for n, c in conds.items() if c.unclean and n not in decision.fenced}
    for name in sorted(decision.unfenced):
        why = ("fencing is disabled" if not stonith else "no stonith device is configured" if not has_device
               else "the partition has no quorum" if not quorum_ok else "no resource is managed")
        decision.notes.append(f"fencing of {name} is needed but {why}")
    return decision


def _history_order(tree: ResourceTree, states: dict[str, LeafState],
                   status: ClusterStatus) -> list[tuple[Leaf, str]]:
    """Every (instance, node) with history, in the order Pacemaker unpacks the status section:
    node by node as the ``node_state`` entries come, resource by resource as their ``lrm_resource``
    entries come; the first reason found for a node is the one its fencing gives."""
    position: dict[tuple[str, str], tuple[int, int]] = {}
    for name, node in status.nodes.items():
        for i, rsc_id in enumerate(node.resources):
            position[(name, rsc_id)] = (node.state_index, i)
    last = (len(status.nodes) + 1, 0)
    pairs = [(leaf, name) for leaf in tree.leaves for name in states[leaf.id].on]
    return sorted(pairs, key=lambda p: position.get((p[1], states[p[0].id].on[p[1]].history_id or p[0].id),
                                                    position.get((p[1], p[0].base), last)))


def settle_nodes(tree: ResourceTree, states: dict[str, LeafState], decision: FenceDecision,
                 blocked: list[str], keep: frozenset[str] | set[str] = frozenset()
                 ) -> tuple[set[str], dict[str, tuple[str, str, str]]]:
    """Forget instances on fenced nodes and on nodes that are down and clean (except the nodes in
    ``keep``); return the leaves stuck on unclean nodes that cannot be fenced, and where each
    fenced-away leaf was (node, role)."""
    stuck: set[str] = set()
    fenced_from: dict[str, tuple[str, str, str]] = {}
    for leaf in tree.leaves:
        on = states[leaf.id].on
        running = [(n, s.role) for n, s in on.items() if s.role != STOPPED]
        if len(running) > 1 and any(n in decision.fenced for n, _ in running):
            decision.active_before[leaf.id] = running
        for name in list(on):
            cond = decision.conditions[name]
            if name in decision.fenced and name in keep:
                continue  # in maintenance: what it runs is unmanaged, left as it is (no stop to imply)
            if name in decision.fenced:
                gone = on.pop(name)
                if gone.role != STOPPED:
                    # a failed instance is recovered elsewhere, a healthy one moves; Pacemaker does not
                    # count a failure recorded on a node that is down as the resource's failure
                    failed = gone.failed is not None and cond.online
                    fenced_from.setdefault(leaf.id, (name, gone.role, "Recover" if failed else "Move"))
            elif name in decision.unfenced:
                if on[name].role != STOPPED:
                    stuck.add(leaf.id)
                    blocked.append(f"{leaf.id} cannot be recovered: {name} is unclean and not fenced")
            elif not cond.online and name not in keep:
                del on[name]
    return stuck, fenced_from


def settle_orphans(orphans: dict[str, dict[str, Any]], decision: FenceDecision,
                   keep: frozenset[str] | set[str] = frozenset()) -> None:
    """Forget orphaned instances (no longer configured, or beyond clone-max) recorded on nodes that
    are down and clean, as :func:`settle_nodes` forgets configured ones: Pacemaker does not read
    such a node's history, so it has nothing to stop there."""
    for rsc_id in list(orphans):
        where = orphans[rsc_id]
        for name in list(where):
            cond = decision.conditions.get(name)
            if (cond is not None and not cond.online and name not in decision.fenced
                    and name not in decision.unfenced and name not in keep):
                del where[name]
        if not where:
            del orphans[rsc_id]


# --------------------------------------------------------------------------- held stops
# Without quorum (any no-quorum-policy but ignore) nothing can be fenced: what runs on a lost node
# stays there, and the summary shows the stop it cannot have.

# no-quorum-policy -> the reason such a stop gives when the resource has somewhere else to go
QUORUM_HELD = {"stop": "no quorum", "demote": "no quorum", "freeze": ""}


def held_remotes(remote_nodes: dict[str, Any], stuck: set[str], fenced: set[str]) -> dict[str, str]:
    """Remote nodes (not guests) whose connection is held on a lost node -> that connection; a
    remote node being fenced is not held."""
    return {name: node.connection for name, node in remote_nodes.items()
            if node.kind == "remote" and node.connection in stuck and name not in fenced}


def replica_containers(tree: ResourceTree) -> dict[str, str]:
    """A bundle replica's parts (container, connection, the child on its guest node) -> its container."""
    return {part: info.containers[i] for info in tree.bundles for i in range(len(info.containers))
            for part in (info.containers[i], (info.connections[i:i + 1] or [None])[0],
                         (info.children[i:i + 1] or [None])[0]) if part}


def could_move(tree: ResourceTree, leaf: Leaf, dest: dict[str, str | None], available: set[str]) -> bool:
    """Whether a leaf stuck on a lost node would have somewhere else to go: a clone instance only
    where no instance of its clone is placed (clone-node-max aside)."""
    if leaf.clone is None:
        return True
    taken = {dest.get(l) for l in tree.leaves_by_top.get(leaf.top, []) if l != leaf.id}
    return any(n not in taken for n in available)


def held_stop_reason(tree: ResourceTree, leaf: Leaf, lost_on: str, placed: bool, node_of: dict[str, str | None],
                     available: set[str], policy: str, remote_nodes: dict[str, Any], bundle_parts: set[str],
                     replica_container: dict[str, str]) -> str:
    """Why the stop of ``leaf`` on ``lost_on`` (lost without quorum) is held ("" for no reason):
    "no quorum" where it could go elsewhere (``placed``), under freeze nothing; otherwise "node
    availability", or what it waits for (its guest's, its bundle container's start)."""
    replica = lost_on in bundle_parts  # on a bundle's guest node: it goes where the guest goes
    movable = node_of.get(lost_on) is not None if replica else could_move(tree, leaf, node_of, available)
    why = QUORUM_HELD[policy] if placed and movable else "node availability"
    if policy == "freeze" and leaf.clone is not None and not replica:
        why = "node availability"  # frozen, a clone places no instance anywhere new
        if lost_on in remote_nodes and remote_nodes[lost_on].kind == "guest":
            why = f"unrunnable {remote_nodes[lost_on].connection} start"  # it waits for its guest
    if why == "node availability" and replica:
        why = ""  # inside a bundle's replica that goes nowhere: its stop has no reason of its own
    if policy == "freeze" and leaf.id in replica_container:
        # frozen, a bundle's replica stays where its container is: the container has nowhere to
        # go, what runs through it waits for its start
        container = replica_container[leaf.id]
        why = "node availability" if container == leaf.id else f"unrunnable {container} start"
    return why
