"""Execution order of a transition's actions: a topological sort over ordering edges.

Edges: the actions of one instance in the order they were generated (cancel, demote, stop,
start, promote, monitor); group members start in order and stop in reverse; order constraints
(``first`` action before ``then`` action, and when symmetrical the inverse actions the other way
round; interleaved clones pair instances on the same node).  Among actions that are free to run,
fencing comes first, then cancels, demotes, stops, starts, promotes and monitors, then generation
order: so stops precede starts wherever the constraints allow, and the result is deterministic.
"""

from __future__ import annotations

# the C functions heapq re-exports: its Python module (merge, nlargest, ...) costs every plan an import
from _heapq import heapify, heappop, heappush

from crmsh_py.engine.scheduler.constraints import OrderPair
from crmsh_py.engine.scheduler.resources import ResourceTree
from crmsh_py.engine.scheduler.transition import Action

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any, Callable

PHASE = {"fence": 0, "cancel": 1, "demote": 2, "stop": 3, "migrate_to": 4, "migrate_from": 4, "start": 4,
         "promote": 5, "monitor": 6}
# A migration's migrate_from stands for the start in orderings with other resources.
ORDER_ALIAS = {"migrate_from": "start"}
INVERSE = {"start": "stop", "stop": "start", "promote": "demote", "demote": "promote"}


def leaves_of(tree: ResourceTree, rid: str) -> list[str]:
    """Leaf ids carrying a configured id (primitive, group, clone, or one instance)."""
    if rid in tree.leaf_by_id:
        return [rid]
    top = tree.top_of.get(rid)
    if top is None:
        return []
    if rid == top:
        return list(tree.leaves_by_top.get(top, []))
    return list(tree.members_of.get(rid, []))


def order_actions(actions: list[Action], tree: ResourceTree, orders: list[OrderPair]) -> tuple[list[Action], bool]:
    """Actions in a valid execution order; the flag is False when a cycle had to be broken."""
    by_leaf_task: dict[tuple[str, str], list[int]] = {}
    per_leaf: dict[str, list[int]] = {}
    for i, a in enumerate(actions):
        if a.task == "fence":
            continue
        by_leaf_task.setdefault((a.rsc_id, ORDER_ALIAS.get(a.task, a.task)), []).append(i)
        per_leaf.setdefault(a.rsc_id, []).append(i)
    succ: dict[int, set[int]] = {}

    def link(a: int, b: int) -> None:
        if a != b:
            succ.setdefault(a, set()).add(b)

    for seq in per_leaf.values():
        for first_index, next_index in zip(seq, seq[1:]):
            link(first_index, next_index)
    # Group members: start in order, stop in reverse.
    groups: dict[str, list[str]] = {}
    for leaf in tree.leaves:
        if leaf.group is not None:
            groups.setdefault(leaf.group, []).append(leaf.id)
    for members in groups.values():
        for earlier, later in zip(members, members[1:]):
            for task in ("start", "promote"):
                _connect(by_leaf_task, actions, [earlier], task, [later], task, False, link)
            for task in ("stop", "demote"):
                _connect(by_leaf_task, actions, [later], task, [earlier], task, False, link)
    tops = {t.id: t for t in tree.tops}
    for pair in orders:
        firsts, thens = leaves_of(tree, pair.first), leaves_of(tree, pair.then)
        if not firsts or not thens:
            continue
        interleave = _interleaved(tree, tops, pair)
        _connect(by_leaf_task, actions, firsts, pair.first_action, thens, pair.then_action, interleave, link)
        if pair.symmetrical:
            _connect(by_leaf_task, actions, thens, INVERSE[pair.then_action], firsts,
                     INVERSE[pair.first_action], interleave, link)
    return _toposort(actions, succ)


def _interleaved(tree: ResourceTree, tops: dict[Any, Any], pair: OrderPair) -> bool:
    first, then = tops.get(tree.top_of.get(pair.first, "")), tops.get(tree.top_of.get(pair.then, ""))
    return bool(first and then and first.kind == "clone" and then.kind == "clone" and then.interleave)


def _connect(index: dict[Any, Any], actions: list[Action], firsts: list[str], first_task: str, thens: list[str],
             then_task: str, same_node: bool, link: Callable[[int, int], None]) -> None:
    sources = [i for leaf in firsts for i in index.get((leaf, first_task), [])]
    targets = [j for leaf in thens for j in index.get((leaf, then_task), [])]
    if not sources or not targets:
        return
    if same_node:
        by_node: dict[str, list[int]] = {}
        for j in targets:
            by_node.setdefault(actions[j].node, []).append(j)
        for i in sources:
            for j in by_node.get(actions[i].node, []):
                link(i, j)
        return
    for i in sources:
        for j in targets:
            link(i, j)


def _toposort(actions: list[Action], succ: dict[int, set[int]]) -> tuple[list[Action], bool]:
    indegree = [0] * len(actions)
    for targets in succ.values():
        for j in targets:
            indegree[j] += 1
    ready = [(PHASE.get(a.task, 9), i) for i, a in enumerate(actions) if indegree[i] == 0]
    heapify(ready)
    out: list[int] = []
    while ready:
        _, i = heappop(ready)
        out.append(i)
        for j in succ.get(i, ()):
            indegree[j] -= 1
            if indegree[j] == 0:
                heappush(ready, (PHASE.get(actions[j].task, 9), j))
    ok = len(out) == len(actions)
    if not ok:  # a cycle between constraints: keep generation order for the rest
        seen = set(out)
        out.extend(i for i in range(len(actions)) if i not in seen)
    return [actions[i] for i in out], ok
