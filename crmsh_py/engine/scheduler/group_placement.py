"""Placement of groups, member by member (a part of ``placement.Placer``).

Pacemaker assigns a group's members one at a time: the first carries the group's locations and its
colocations with other resources, each later member must go where the one before it went, and each
member takes in the preferences of the members after it (the last one, of what is colocated with the
whole group).  A member that cannot run with the one before it stops, with the rest of the tail,
instead of moving the whole group.
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.engine.scheduler.colocation import apply_primary, merge_dependents
from crmsh_py.engine.scheduler.resources import Top, Unit, is_true
from crmsh_py.engine.scheduler.state import STARTED, STOPPED

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

INF = scores.INFINITY
add = scores.add


def head_scores(sc: dict[str, int], own: list[dict[str, int]], count: int) -> dict[str, int]:
    """Scores for the first ``count`` members of a group placed on their own: the sum of those
    members' own scores, with the nodes that colocation (not a member) forbids kept forbidden."""
    head = {n: 0 for n in sc}
    for leaf_scores in own[:count]:
        for n, v in leaf_scores.items():
            head[n] = add(head[n], v)
    for n, v in sc.items():
        if v <= -INF and all(o.get(n, 0) > -INF for o in own):
            head[n] = -INF  # from colocation, not from the members
    return head


class GroupPlacer:
    """Group placement for ``placement.Placer`` (which provides the shared state and helpers)."""

    if TYPE_CHECKING:
        # The state and helpers are placement.Placer's, of which this class is a part; that module
        # imports this one, so they cannot be named here: to the type checker they are Any.
        def __getattr__(self, name: str) -> Any: ...

    def _next_member_influences(self, top: Top, index: int) -> bool:
        """Whether a group's member after ``index`` counts for that member's placement: it is
        colocated with it with its own ``critical`` as influence."""
        leaves = top.units[0].leaves
        following = leaves[index + 1]
        return (is_true(following.meta.get("critical", "true"))
                or self.inp.current.get(leaves[index].id) is None)

    def _member_preference(self, top: Top, index: int) -> dict[str, int]:
        """Member ``index``'s own scores (with the group's locations for the first), cached per run."""
        key = f"{top.id}#{index}"
        cache: dict[str, dict[str, int]] = self._pref_cache
        if key not in cache:
            asym_ok: set[str] = set()
            sc = {n: 0 for n in self.inp.nodes}
            # Pacemaker applies a group's location scores to its first member only; the others
            # get them at zero (allowed there, in an asymmetric cluster)
            self._targets_score([top.id], sc if index == 0 else {n: 0 for n in sc}, asym_ok)
            own = self.leaf_score(top.units[0].leaves[index], asym_ok)
            sc = {n: add(v, own[n]) for n, v in sc.items()}
            if not self.inp.symmetric:
                sc = {n: (v if n in asym_ok else -INF) for n, v in sc.items()}
            cache[key] = sc
        return cache[key]

    def _partly_fixed(self, unit: Unit, sc: dict[str, int], own: list[dict[str, int]],
                      allowed: set[str] | None, prefer: str | None) -> list[str | None]:
        """Nodes for a group whose members are partly left alone (unmanaged, blocked): the
        members before the first such one are placed as a group of their own would be; each
        member after it follows the one before it where it may run."""
        first = next(i for i, leaf in enumerate(unit.leaves) if leaf.id in self.inp.fixed)
        wheres: list[str | None] = [None] * len(unit.leaves)
        count, node = first, None
        while count and node is None:
            # members that cannot run anywhere with the rest leave the ones before them running
            node = self.choose(head_scores(sc, own, count), self._util(unit.leaves[:count]), allowed, prefer)
            count -= 0 if node is not None else 1
        if count:
            for i in range(count):
                if node is None or own[i].get(node, 0) <= -INF:
                    break
                wheres[i] = node
        previous = self.inp.fixed[unit.leaves[first].id]
        for i in range(first + 1, len(unit.leaves)):
            leaf = unit.leaves[i]
            if leaf.id in self.inp.fixed:
                previous = self.inp.fixed[leaf.id]
                continue
            usable = previous is not None and previous in self.inp.available and own[i].get(previous, 0) > -INF
            wheres[i] = previous if usable else None
            previous = wheres[i]
        return wheres

    def _place_members(self, top: Top, unit: Unit) -> None:
        """Pacemaker assigns a group member by member.  Each member's scores are its own (with the
        group's locations), the group's colocations with its primaries for the first member, the
        mandatory colocation with the member before it for the others, and the preferences of
        the members after it (and, through the last one, of what is colocated with the group).
        A member that cannot run where the one before it runs stops with the rest of the tail."""
        available = self.inp.available
        previous: str | None = None
        nodes: list[str | None] = []
        for i, leaf in enumerate(unit.leaves):
            sc = dict(self._member_preference(top, i))
            if i == 0:
                sc = self._with_primaries_placed(top, sc)
            else:
                sc = apply_primary(sc, {previous} if previous else None, INF, available)
            if i + 1 < len(unit.leaves):
                # (a non-critical next member does not move this one once it is active)
                if self._next_member_influences(top, i):
                    sc = merge_dependents(f"{top.id}#{i + 1}", sc, 1.0, available, self._preference_of,
                                          self._dependents_of, {f"{top.id}#{i}" if i else top.id})
            else:
                sc = self._with_dependents(top, sc)
            if i == 0:
                self._record("pcmk__group_assign", top.id, sc)
            self._record("pcmk__primitive_assign", leaf.id, sc)
            node = self.choose(sc, self._util([leaf]), None, self.inp.current.get(leaf.id))
            self.out.node[leaf.id] = node
            self.out.role[leaf.id] = STARTED if node else STOPPED
            if node is not None:
                self._take(node, [leaf])
            nodes.append(node)
            previous = node
        self.out.unit_node[unit.id] = nodes[0] if nodes else None
        self._mark(top, nodes[0] if nodes else None)
        # a mandatory colocation with a group needs the whole group: it follows the last member
        self.top_nodes.setdefault(top.id, {})["last"] = {nodes[-1]} if nodes and nodes[-1] else set()
