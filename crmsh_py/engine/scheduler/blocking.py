"""Consequences of mandatory orders (and of group membership) after placement.

Two rules, as Pacemaker 2.1.5 applies them to start actions:

- **Unrunnable starts.**  A ``then`` whose ``first`` cannot start keeps its placement, but its start
  cannot run: a stopped instance shows ``Start X ( node )  due to unrunnable F start (blocked)``
  and a running one stops, ``due to unrunnable F start``.  The same holds without quorum under
  ``no-quorum-policy=stop`` ("no quorum"), and along a group (each member after the previous one).
  ``F start`` names the first action: a primitive's ``start``, a group's or clone's ``running``.
- **Required restarts.**  A running ``then`` that stays where it is restarts when its ``first``
  stops and starts again (moved, recovered, restarted) under a mandatory order (or an optional one
  when the ``then`` has the deprecated ``restart-type=restart``), and when a mandatory ``first``
  (not a clone) starts fresh.  The summary names the cause
  ("due to required F start") when the ``then``'s start was made necessary by it: always inside a
  group, and across an order unless a mandatory symmetrical order's stop half forced the ``then``
  down first (that records no reason).
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.constraints import Constraints
from crmsh_py.engine.scheduler.order import leaves_of
from crmsh_py.engine.scheduler.resources import ResourceTree
from crmsh_py.engine.scheduler.state import STOPPED, LeafState

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Set

# firsts, thens, label, in a group, symmetrical, mandatory, any first will do (one-or-more),
# how many firsts must start (a clone's clone-min; 0: not counted)
Link = tuple[list[str], list[str], str, bool, bool, bool, bool, int]


def _label(tree: ResourceTree, rid: str) -> str:
    """How Pacemaker names the first action of an order on ``rid``."""
    if rid in tree.leaf_by_id:
        return f"{rid} start"
    return f"{rid} running"


def _clone_min(tree: ResourceTree, rid: str) -> int:
    """A clone's ``clone-min`` (0 when unset, or when ``rid`` is not a whole clone)."""
    top = next((t for t in tree.tops if t.id == rid and t.kind == "clone"), None)
    if top is None:
        return 0
    try:
        return max(0, int(top.meta.get("clone-min", "0")))
    except ValueError:
        return 0


def _interleaved(tree: ResourceTree, first: str, then: str) -> bool:
    """A start order between two clones whose ``then`` is interleaved: instances pair per node."""
    tops = {t.id: t for t in tree.tops}
    a, b = tops.get(first), tops.get(then)
    return bool(a and b and a.kind == "clone" and b.kind == "clone" and b.interleave)


def _interleaved_links(tree: ResourceTree, cons: Constraints, dest: dict[str, str | None]) -> list[Link]:
    """Per-node links of interleaved clone orders: each ``then`` instance follows the ``first``
    instances placed on its node (Pacemaker orders those instances directly, so a fresh start of
    one of them requires the ``then`` instance's start too)."""
    links: list[Link] = []
    for pair in cons.orders:
        if (pair.kind == "Serialize" or pair.first_action != "start" or pair.then_action != "start"
                or pair.any_of or not _interleaved(tree, pair.first, pair.then)):
            continue
        firsts = leaves_of(tree, pair.first)
        for t in leaves_of(tree, pair.then):
            node = dest.get(t)
            mates = [f for f in firsts if node is not None and dest.get(f) == node]
            if mates:
                links.append((mates, [t], "", True, pair.symmetrical, pair.kind == "Mandatory", False, 0))
    return links


def _links(tree: ResourceTree, cons: Constraints, skip_interleaved: bool = False) -> list[Link]:
    links: list[Link] = []
    groups: dict[str, list[str]] = {}
    for leaf in tree.leaves:
        if leaf.group is not None:
            groups.setdefault(leaf.group, []).append(leaf.id)
    heads = {members[0] for members in groups.values()}
    for members in groups.values():
        links.extend(([a], [b], f"{a} start", True, True, True, False, 0) for a, b in zip(members, members[1:]))
    for pair in cons.orders:
        if pair.kind != "Serialize" and pair.first_action == "start" and pair.then_action == "start":
            if skip_interleaved and not pair.any_of and _interleaved(tree, pair.first, pair.then):
                continue
            firsts, thens = leaves_of(tree, pair.first), leaves_of(tree, pair.then)
            label = _label(tree, pair.first)
            need = _clone_min(tree, pair.first)
            if pair.any_of:
                firsts = [l for rid in pair.any_of for l in leaves_of(tree, rid)]
                label = pair.any_label
            elif need:
                # Pacemaker waits for clone-min instances through a "clone-one-or-more" pseudo-action
                label = f"clone-one-or-more:{pair.id}"
            if firsts and thens:
                # A group then: its first member waits for the first; the rest follow the group.
                thens = [t for t in thens if tree.leaf_by_id[t].group is None or t in heads]
                links.append((firsts, thens, label, False, pair.symmetrical, pair.kind == "Mandatory",
                              bool(pair.any_of), need))
    return links


def _whole_groups(tree: ResourceTree, link: Link) -> Link:
    """After a clone, every member of a group ``then`` is blocked by the clone itself (Pacemaker
    hands a clone's ordering to each member), not through the member before it."""
    firsts, thens = link[0], link[1]
    if link[3] or not any(tree.leaf_by_id[f].clone is not None for f in firsts):
        return link
    groups = {tree.leaf_by_id[t].group for t in thens} - {None}
    if not groups:
        return link
    members = [l.id for l in tree.leaves if l.group in groups and l.id not in thens]
    return (firsts, thens + members, *link[2:])


def _stays(st: LeafState, node: str | None) -> bool:
    """Whether an instance already runs, healthy, where it is placed (so it needs no start)."""
    here = st.on.get(node) if node is not None else None
    return here is not None and here.role != STOPPED and here.failed is None


def blocked_starts(tree: ResourceTree, cons: Constraints, states: dict[str, LeafState],
                   dest: dict[str, str | None], no_quorum: bool | Set[str], fixed: Set[str] = frozenset(),
                   freeze: bool = False, stuck_moves: Set[str] = frozenset()) -> dict[str, str]:
    """Leaf id -> why its start cannot run ("" when there is no reason text).  A failed resource
    left alone (``fixed``: unmanaged, blocked) would recover by a stop and a start, and neither
    can run.  ``no_quorum``: whether quorum is lost under ``no-quorum-policy=stop``, or the leaves
    that policy applies to (under ``demote``, every one but the active instances of promotable clones).
    ``stuck_moves``: leaves placed elsewhere whose stop cannot run, so neither can their start there
    (their own summary line is the blocked stop; only what starts after them is listed here)."""
    blocked: dict[str, str] = {}
    if no_quorum:
        for leaf in tree.leaves:
            if no_quorum is not True and leaf.id not in no_quorum:
                continue
            if leaf.meta.get("requires", "").lower() != "nothing":
                blocked[leaf.id] = "no quorum"
    if freeze:
        for leaf in tree.leaves:
            if not states[leaf.id].active_nodes and leaf.meta.get("requires", "").lower() != "nothing":
                blocked[leaf.id] = "quorum freeze"
    failed_fixed = {l for l in fixed if l in states and any(s.failed is not None for s in states[l].on.values())}

    def cannot_start(leaf_id: str) -> bool:
        return dest.get(leaf_id) is None or leaf_id in blocked or leaf_id in failed_fixed or leaf_id in stuck_moves

    links = [_whole_groups(tree, link) for link in _links(tree, cons, skip_interleaved=True) if link[5]]
    # an interleaved clone's instance waits for the first's instance on its node: that one is named
    links += [(mates, thens, f"{mates[0]} start", False, symmetrical, True, False, 0)
              for mates, thens, _, _, symmetrical, mandatory, _, _ in _interleaved_links(tree, cons, dest) if mandatory]
    bundle_ids = {b.id for b in tree.bundles}  # a bundle's own orders (container first) say "unrunnable"
    for _ in range(len(links) + 1):
        changed = False
        for firsts, thens, label, in_group, symmetrical, _mandatory, any_first, need in links:
            if in_group:
                down = cannot_start(firsts[0])
            elif need:
                down = sum(not cannot_start(f) for f in firsts) < need
            elif any_first or any(tree.leaf_by_id[f].clone is not None for f in firsts):
                down = all(cannot_start(f) for f in firsts)
            else:
                down = any(cannot_start(f) for f in firsts)
            if not down:
                continue
            for t in thens:
                if t in blocked or dest.get(t) is None or t in stuck_moves:
                    continue
                if not (in_group or symmetrical) and _stays(states[t], dest.get(t)):
                    continue  # an asymmetrical order only holds back a start: this one needs none
                first = firsts[0]
                # A first that is active but cannot start again makes the then's stop required
                # (Pacemaker names it "required F start") inside a group and, through the demote
                # it orders, for an instance of a promotable clone; otherwise it is unrunnable.
                promotable_then = (tree.leaf_by_id[t].promotable and first in tree.leaf_by_id
                                   and tree.leaf_by_id[first].top not in bundle_ids)
                stopping = ((in_group or promotable_then) and states[first].active_nodes
                            and cannot_start(first) and first not in stuck_moves)
                blocked[t] = f"required {first} start" if stopping else f"unrunnable {label}"
                changed = True
        if not changed:
            break
    return blocked


def restarts(tree: ResourceTree, cons: Constraints, states: dict[str, LeafState],
             dest: dict[str, str | None], blocked: dict[str, str], migrating: frozenset[str] | set[str] = frozenset(),
             seed: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    """Leaf id -> the reason ("" for none) of instances that restart in place.  A resource that
    migrates live does not count as bouncing; ``seed`` restarts anyway (a changed definition)."""

    def starting(leaf_id: str) -> bool:
        node = dest.get(leaf_id)
        if node is None or leaf_id in blocked or leaf_id in migrating:
            return False
        st = states[leaf_id]
        return (st.role_on(node) == STOPPED or leaf_id in restart
                or any(s.failed is not None for n, s in st.on.items() if s.role != STOPPED))

    def stopping(leaf_id: str) -> bool:
        if leaf_id in migrating:
            return False
        st = states[leaf_id]
        return any(n != dest.get(leaf_id) or s.failed is not None or leaf_id in restart
                   for n, s in st.on.items() if s.role != STOPPED)

    def staying(leaf_id: str) -> bool:
        st = states[leaf_id]
        node = dest.get(leaf_id)
        return (node is not None and st.role_on(node) != STOPPED and leaf_id not in restart
                and leaf_id not in blocked and not stopping(leaf_id))

    restart: dict[str, str] = {}
    for leaf_id in sorted(seed):
        if staying(leaf_id):
            restart[leaf_id] = ""  # the caller names the definition change
    paired = _interleaved_links(tree, cons, dest)
    links = _links(tree, cons, skip_interleaved=True) + paired
    for _ in range(len(links) + 1):
        changed = False
        for firsts, thens, label, in_group, symmetrical, mandatory, any_first, _need in links:
            if any_first:
                continue  # "one-or-more": one instance more or less does not disturb the then
            moving = [f for f in firsts if starting(f)]
            bounced = [f for f in moving if stopping(f)]
            per_node = in_group and not label  # an interleaved pair of clone instances
            fresh_ok = mandatory and (per_node or not any(tree.leaf_by_id[f].clone is not None for f in firsts))
            if not bounced and not (moving and fresh_ok):
                continue
            # A first that stops too forces the then down through a mandatory order's symmetrical
            # half, which records no reason; otherwise the then's start is "required" by it.
            silent = (not in_group or per_node) and symmetrical and mandatory and bool(bounced)
            reason = "" if silent else f"required {moving[0] + ' start' if in_group else label}"
            for t in thens:
                leaf = tree.leaf_by_id[t]
                # under an optional order only a then with the (deprecated) restart-type=restart follows
                if not mandatory and leaf.meta.get("restart-type", "").lower() != "restart":
                    continue
                if staying(t):
                    restart[t] = reason
                    changed = True
        if not changed:
            break
    return restart
