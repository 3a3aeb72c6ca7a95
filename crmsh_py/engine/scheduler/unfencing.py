"""Unfencing: the ``Fence (on) NODE 'reason'`` lines of Pacemaker 2.1.5.

Unfencing is in use when some resource (or ``rsc_defaults``) has the meta attribute
``provides=unfencing``.  Then fence devices, and every other resource whose ``requires`` is
``unfencing`` (the default for them in that case), may probe or start on a cluster node only after
it was unfenced.  A node that never was (no ``#node-unfenced`` attribute, or ``0``), is up, clean
and not shutting down, is unfenced in this transition as soon as one of them is probed or started
there.  The reason names the first such action, probes first (Pacemaker schedules probes before
anything else): ``required by fencing monitor``, ``required by dlm:2 start``.

A fence device whose definition changed is restarted (or reloaded) where it runs, and that node is
unfenced again, unfenced before or not: ``Device parameters changed`` (``(reload)``).  Once a node
is unfenced, what needs unfencing and stays there restarts after it, "due to required stonith".
"""

from __future__ import annotations

from crmsh_py.engine.node_condition import NodeCondition
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree
# with the tree's helpers: plan asks it before it loads this module (see optional_stages)
from crmsh_py.engine.scheduler.resources import unfencing_enabled as unfencing_enabled
from crmsh_py.engine.scheduler.state import LeafState
from crmsh_py.engine.status import ClusterStatus

UNFENCED_ATTR = "#node-unfenced"


def _needs_unfencing(leaf: Leaf, connections: set[str]) -> bool:
    if leaf.is_stonith:
        return True
    if leaf.id in connections:
        return False  # a remote connection only needs quorum
    return leaf.meta.get("requires", "unfencing").lower() == "unfencing"


def _known_on(status: ClusterStatus, node: str, leaf: Leaf) -> bool:
    """Whether the node has any history of the resource (an anonymous clone under any number)."""
    state = status.nodes.get(node)
    if state is None:
        return False
    return any(rid == leaf.id or rid.split(":", 1)[0] == leaf.base for rid in state.resources)


def _unfenced(status: ClusterStatus, node: str) -> bool:
    state = status.nodes[node]
    value = state.transient_attributes.get(UNFENCED_ATTR, state.attributes.get(UNFENCED_ATTR))
    return value is not None and value != "0"


def _probe_target(tree: ResourceTree, leaf: Leaf, node: str, dest: dict[str, str | None]) -> str:
    """The instance Pacemaker probes for ``leaf``'s resource on ``node``: the one placed there, or
    the first instance of an anonymous clone."""
    if leaf.clone is None:
        return leaf.id
    siblings = [other for other in tree.leaves if other.clone == leaf.clone and other.base == leaf.base]
    here = next((other for other in siblings if dest.get(other.id) == node), None)
    return (here or siblings[0]).id


def unfence_lines(tree: ResourceTree, status: ClusterStatus, conditions: dict[str, NodeCondition],
                  dest: dict[str, str | None], fenced: set[str], remote_nodes: set[str],
                  connections: set[str], device_changes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(node, reason)`` for every node to unfence in this transition, in the summary's order.

    Pacemaker creates them in this order: where a fence device changed (``device_changes``), then
    for probes (node by node), then for starts (resource by resource), the first reason for a node
    winning; its summary lists node actions newest first, so the order here is the reverse."""
    if not unfencing_enabled(tree):
        return []
    needing = [leaf for leaf in tree.leaves if _needs_unfencing(leaf, connections)]
    created: dict[str, str] = {}

    def can_unfence(node: str) -> bool:
        cond = conditions.get(node)
        return not (cond is None or not cond.online or cond.unclean or cond.shutdown or node in fenced
                    or node in remote_nodes)

    for node, why in device_changes:
        if can_unfence(node):
            created.setdefault(node, why)
    never = [node for node in status.nodes if can_unfence(node) and not _unfenced(status, node)]
    for node in never:
        probed: set[str] = set()
        for leaf in needing:
            key = leaf.base if leaf.clone is not None else leaf.id
            if key in probed or _known_on(status, node, leaf):
                continue
            probed.add(key)
            created.setdefault(node, f"required by {_probe_target(tree, leaf, node, dest)} monitor")
            break
    for leaf in needing:
        target = dest.get(leaf.id)
        if target is not None and target in never:
            created.setdefault(target, f"required by {leaf.id} start")
    return list(reversed(created.items()))


def device_changes(tree: ResourceTree, states: dict[str, LeafState], agent_changed: list[tuple[str, str]],
                   restart: set[str], reload: dict[str, str]) -> list[tuple[str, str]]:
    """(node, reason) where a fence device changed: its agent (any node with its history), then
    its parameters (where it runs; a reload says so)."""
    stonith = {leaf.id for leaf in tree.leaves if leaf.is_stonith}
    out = [(node, "Device definition changed") for node, leaf_id in agent_changed if leaf_id in stonith]
    for leaf in tree.leaves:
        if leaf.id not in stonith:
            continue
        if leaf.id in restart:
            out += [(node, "Device parameters changed") for node in states[leaf.id].active_nodes]
        elif leaf.id in reload:
            out.append((reload[leaf.id], "Device parameters changed (reload)"))
    return out


def restarts_for_unfencing(tree: ResourceTree, states: dict[str, LeafState], dest: dict[str, str | None],
                           unfenced: list[tuple[str, str]], connections: set[str]) -> list[str]:
    """Leaves that stay on a node unfenced in this transition and need unfencing (fence devices
    aside): they restart."""
    nodes = {node for node, _ in unfenced}
    return [leaf.id for leaf in tree.leaves
            if not leaf.is_stonith and _needs_unfencing(leaf, connections) and dest.get(leaf.id) in nodes
            and dest.get(leaf.id) in states[leaf.id].active_nodes]
