"""Placement of a bundle replica's connection when its container cannot run.

Pacemaker colocates a bundle replica's connection (guest node ``B-i``) with its container at
10000, highly preferred but not mandatory (bundles may run on Pacemaker Remote nodes, where the
connection must stay on a cluster node).  So when the container cannot be placed, the connection
is still placed on its own: where it runs now if it may stay, else the cluster node its own scores
and the load favour.  Its start then cannot run ("due to unrunnable B-docker-i start"), and the
replica's instance, placed on the guest node, is blocked with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmsh_py.cib import scores
from crmsh_py.engine.scheduler.resources import Unit

if TYPE_CHECKING:  # the placer imports this module
    from crmsh_py.engine.scheduler.placement import Placer

CONNECTION_WITH_CONTAINER = 10000  # a bundle connection's colocation score with its container


def prefer_cluster_nodes(placer: Placer, unit: Unit, sc: dict[str, int], allowed: set[str] | None) -> dict[str, int]:
    """A replica's scores with its connection's wish taken in: the connection never runs on a
    Pacemaker Remote or guest node, which costs the container 10000 there (the colocation's
    score), unless that would leave the replica no usable node (Pacemaker then rolls it back)."""
    if not any(leaf.id in placer.inp.detached for leaf in unit.leaves):
        return sc
    remote = placer.inp.remote_conn
    work = {n: (scores.add(v, -CONNECTION_WITH_CONTAINER) if n in remote else v) for n, v in sc.items()}
    usable = [n for n, v in work.items() if v >= 0 and n in placer.inp.available
              and (allowed is None or n in allowed)]
    return work if usable else sc


def place_detached(placer: Placer, unit: Unit, own: list[dict[str, int]]) -> None:
    """Place the connections of ``unit`` whose container got no node (see the module doc)."""
    detached = placer.inp.detached
    cluster = {n for n in placer.inp.nodes if n not in placer.inp.remote_conn}
    for leaf, scores in zip(unit.leaves, own):
        container = detached.get(leaf.id)
        if container is None or placer.out.node.get(leaf.id) is not None or leaf.id in placer.inp.fixed:
            continue
        if placer.out.node.get(container) is not None:
            continue
        node = placer.choose(scores, {}, cluster, placer.inp.current.get(leaf.id))
        placer.out.node[leaf.id] = node
        if node is not None:
            placer.counts[node] += 1
