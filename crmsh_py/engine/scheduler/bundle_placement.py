"""Placement of a bundle replica's connection when its container cannot run.

Pacemaker colocates a bundle replica's connection (guest node ``B-i``) with its container at
10000, highly preferred but not mandatory (bundles may run on Pacemaker Remote nodes, where the
connection must stay on a cluster node).  So when the container cannot be placed, the connection
is still placed on its own: where it runs now if it may stay, else the cluster node its own scores
and the load favour.  Its start then cannot run ("due to unrunnable B-docker-i start"), and the
replica's instance, placed on the guest node, is blocked with it.
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.engine.scheduler.resources import Unit

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any, Protocol
else:
    Protocol = object  # at run time the protocol below is a plain class nobody instantiates


class Placer(Protocol):
    """What these helpers use of ``placement.Placer`` (which imports this module: described
    here rather than imported, so the modules form no import cycle)."""

    inp: Any  # placement.PlacementInput
    out: Any  # placement.Placement
    counts: dict[str, int]

    def choose(self, sc: dict[str, int], util: dict[str, int], allowed: set[str] | None = None,
               prefer: str | None = None, favour: str | None = None) -> str | None: ...

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
    for leaf, leaf_scores in zip(unit.leaves, own):
        container = detached.get(leaf.id)
        if container is None or placer.out.node.get(leaf.id) is not None or leaf.id in placer.inp.fixed:
            continue
        if placer.out.node.get(container) is not None:
            continue
        node = placer.choose(leaf_scores, {}, cluster, placer.inp.current.get(leaf.id))
        placer.out.node[leaf.id] = node
        if node is not None:
            placer.counts[node] += 1


def place_children(infos: list, node_of: dict[str, str | None], roles: dict[str, str],  # type: ignore[type-arg]
                   disabled: set[str], banned: set[tuple[str, str]], role_of: dict[str, str]) -> None:
    """A replica's instance goes to its guest node even while that node cannot come up (Pacemaker
    assumes a guest's connection will): its start is then blocked by the container's or the
    connection's start rather than left unplaced."""
    for info in infos:
        for inst, conn in zip(info.children, info.connections):
            if conn is None or node_of.get(inst) is not None or inst in disabled or (inst, conn) in banned:
                continue
            node_of[inst] = conn
            roles[inst] = role_of[inst]


def blocked_reasons(infos: list, node_of: dict[str, str | None], blocked: dict[str, str],  # type: ignore[type-arg]
                    colocations: list, leaves_by_top: dict[str, list[str]]) -> None:  # type: ignore[type-arg]
    """Why a replica's instance cannot start.  A bundle that must run with something that cannot
    start anywhere is blocked by that colocation first ('colocation with' the primary's first
    resource); otherwise the instance waits for both its container's and its connection's start,
    and the one that cannot run at all is named: the connection when it has no node itself, else
    the container."""
    for info in infos:
        stuck_with = None
        for pair in colocations:
            if pair.dependent == info.id and pair.score >= scores.INFINITY and pair.primary_role is None:
                primary = leaves_by_top.get(pair.primary, [pair.primary])
                if primary and all(node_of.get(leaf) is None for leaf in primary):
                    stuck_with = primary[0]
                    break
        for inst, conn, container in zip(info.children, info.connections, info.containers):
            if conn is None or node_of.get(inst) is None:
                continue
            if stuck_with is not None:
                blocked[inst] = f"colocation with {stuck_with}"
            elif inst in blocked and node_of.get(conn) is None and blocked[inst] == f"unrunnable {container} start":
                blocked[inst] = f"unrunnable {conn} start"
