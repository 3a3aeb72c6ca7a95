"""A container's fail count includes the failures of what runs inside it (Pacemaker 2.1).

For ``migration-threshold``, Pacemaker counts against a container (a VM holding a guest node, or a
resource named by others' ``container`` meta) its own failures plus those of its fillers: the
guest's connection and the resources placed in it.  So a guest connection that failed once with
``migration-threshold=1`` bans its VM from that node, and the VM (and its guest) stop when nowhere
else may take them.  A bundle's containers are exempt: a bundle connection may run on another
node than its container, and its failures there say nothing about the container's node.
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, duration_ms
from crmsh_py.engine.scheduler.state import fail_count
from crmsh_py.engine.status import ClusterStatus


def _threshold(leaf: Leaf) -> int:
    try:
        return scores.score_value(leaf.meta.get("migration-threshold", "INFINITY"))
    except ValueError:
        return scores.INFINITY


def _count(leaf: Leaf, status: ClusterStatus, node: str) -> int:
    timeout_s = duration_ms(leaf.meta.get("failure-timeout"), 0) // 1000
    return fail_count(status.nodes[node], leaf, status.now, timeout_s, status.legacy_fail_counts)


def container_bans(tree: ResourceTree, fillers: dict[str, str], bundled: set[str],
                   status: ClusterStatus) -> set[tuple[str, str]]:
    """(container leaf, node) pairs where the container with its fillers reached its threshold."""
    inside: dict[str, list[Leaf]] = {}
    for filler, container in fillers.items():
        if container in bundled or filler not in tree.leaf_by_id or container not in tree.leaf_by_id:
            continue
        inside.setdefault(container, []).append(tree.leaf_by_id[filler])
    out: set[tuple[str, str]] = set()
    for container, leaves in inside.items():
        leaf = tree.leaf_by_id[container]
        threshold = _threshold(leaf)
        if threshold <= 0:
            continue  # 0: never forced away
        for node, ns in status.nodes.items():
            if not ns.transient_attributes:
                continue
            total = scores.add(_count(leaf, status, node), sum(_count(f, status, node) for f in leaves))
            if total >= threshold:
                out.add((container, node))
    return out
