"""Stops that cannot run because something that must stop before them cannot stop.

Pacemaker orders stops backwards: a group's later member stops before the one before it, and the
``then`` of a mandatory symmetrical order stops before its ``first`` (an explicit ``stop``/``stop``
order says it directly).  A resource that is not managed (``is-managed=false``, blocked after a
failed stop, ...) but runs has a stop that cannot run; but only a *blocked* one (Pacemaker's
``pe_rsc_block``: a failure with ``on-fail=block``, a failed stop, ``multiple-active=block``, a
ticket's ``loss-policy=freeze``) holds back, in turn, every stop that must wait for it.  A resource
that is merely unmanaged (``is-managed=false``, ``maintenance=true``) has no stop to wait for.  Such a resource stays where it is: no stop, no start elsewhere, and the transition
summary shows the stop it wanted as ``Stop X ( node )  due to REASON (blocked)``.

The reason is the one the stop had anyway (``node availability`` when it has nowhere to go; a
group member restarted along with the member before it is "required" by that member's stop),
otherwise, inside a group, the stop it waits for (``unrunnable Y stop``); an order constraint's
blocked first gives none (``Stop X ( node )  blocked``).
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.constraints import Constraints
from crmsh_py.engine.scheduler.order import leaves_of
from crmsh_py.engine.scheduler.resources import ResourceTree
from crmsh_py.engine.scheduler.state import LeafState

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Set


def blocked_resources(tree: ResourceTree, states: Mapping[str, LeafState], frozen: Set[str],
                      stuck: Set[str]) -> set[str]:
    """Leaves that are blocked, not merely unmanaged: their stop can never run, so the stops
    ordered after it cannot either.  ``frozen``: leaves a ticket freezes; ``stuck``: leaves on a
    node that cannot be fenced."""
    out = set(stuck)
    for leaf in tree.leaves:
        st = states[leaf.id]
        active = st.active_nodes
        failed = [s for s in st.on.values() if s.failed is not None]
        if any(s.on_fail == "block" or s.failed_stop for s in failed):
            out.add(leaf.id)
        elif len(active) > 1 and leaf.meta.get("multiple-active", "").lower() == "block":
            out.add(leaf.id)
        elif leaf.id in frozen and active:
            out.add(leaf.id)
    return out


def _stops_before(tree: ResourceTree, cons: Constraints) -> dict[str, list[str]]:
    """Leaf -> leaves whose stop must come first (clone instances are left out)."""
    before: dict[str, list[str]] = {}
    members: dict[str, list[str]] = {}
    for leaf in tree.leaves:
        if leaf.group is not None and leaf.clone is None:
            members.setdefault(leaf.group, []).append(leaf.id)
    for chain in members.values():
        for earlier, later in zip(chain, chain[1:]):
            before.setdefault(earlier, []).append(later)
    for pair in cons.orders:
        if pair.kind != "Mandatory" or pair.any_of:
            continue
        if (pair.first_action, pair.then_action) == ("start", "start") and pair.symmetrical:
            firsts, thens = leaves_of(tree, pair.then), leaves_of(tree, pair.first)
        elif (pair.first_action, pair.then_action) == ("stop", "stop"):
            firsts, thens = leaves_of(tree, pair.first), leaves_of(tree, pair.then)
        else:
            continue
        for then in thens:
            if tree.leaf_by_id[then].clone is not None:
                continue
            before.setdefault(then, []).extend(f for f in firsts if tree.leaf_by_id[f].clone is None)
    return before


def stuck_stops(tree: ResourceTree, cons: Constraints, states: Mapping[str, LeafState],
                dest: Mapping[str, str | None], restart: Mapping[str, str], blocked: Mapping[str, str],
                fixed: Set[str], blocked_rsc: Set[str]) -> dict[str, str]:
    """Leaf id -> the reason its wanted stop cannot run, for every such leaf.  ``fixed``: leaves left
    where they are; ``blocked_rsc``: those of them whose stop cannot run (:func:`blocked_resources`)."""

    def wants_stop(leaf_id: str) -> bool:
        st = states[leaf_id]
        active = st.active_nodes
        if leaf_id in fixed or not active:
            return False
        return (dest.get(leaf_id) != active[0] or leaf_id in restart or leaf_id in blocked
                or any(s.failed is not None for s in st.on.values()))

    def cannot_stop(leaf_id: str, first: str) -> bool:
        if not states[first].active_nodes:
            return False
        if _same_group(leaf_id, first):
            # a group's members stop in a restart chain: any member left alone holds back the ones before it
            return first in fixed or first in stuck
        # an order's stop half only waits for a resource that is blocked outright
        return first in blocked_rsc

    def _same_group(a: str, b: str) -> bool:
        group = tree.leaf_by_id[a].group
        return group is not None and group == tree.leaf_by_id[b].group

    before = _stops_before(tree, cons)
    previous = {later: earlier for earlier, laters in before.items() for later in laters
                if tree.leaf_by_id[later].group is not None
                and tree.leaf_by_id[later].group == tree.leaf_by_id[earlier].group}
    stuck: dict[str, str] = {}
    for _ in range(len(before) + 1):
        changed = False
        for leaf_id, firsts in before.items():
            if leaf_id in stuck or not wants_stop(leaf_id):
                continue
            waiting = next((f for f in firsts if cannot_stop(leaf_id, f)), None)
            if waiting is None:
                continue
            stuck[leaf_id] = _reason(leaf_id, waiting, dest, restart, previous, wants_stop,
                                     _same_group(leaf_id, waiting))
            changed = True
        if not changed:
            break
    return stuck


def _reason(leaf_id: str, waiting: str, dest: Mapping[str, str | None], restart: Mapping[str, str],
            previous: Mapping[str, str], wants_stop: Callable[[str], bool], in_group: bool) -> str:
    if dest.get(leaf_id) is None:
        return "node availability"
    earlier = previous.get(leaf_id)
    if leaf_id in restart and earlier is not None and earlier in restart and wants_stop(earlier):
        return f"required {earlier} stop"
    # a group's restart chain names the stop it waits for; an order constraint's blocked first
    # takes the stop's runnability without a reason (Pacemaker prints only "blocked")
    return f"unrunnable {waiting} stop" if in_group else ""
