"""Placement: node scores for every unit, then the choice of a node, resource by resource.

Order of placement: top-level resources by ``priority`` (highest first) then configuration order;
a resource's colocation primaries (the ``with`` side) are placed before it.

A unit's score on a node is the sum (INFINITY arithmetic, -INFINITY wins) of its location
constraints, the stickiness of its members on the node they run on, fail-count bans, the scores of
primaries it is colocated with, and the preferences of the resources colocated with it (mandatory
ones fully, advisory ones scaled by score/INFINITY, dropped if they would leave nowhere to run).
A node with a negative score cannot host the unit.

Tie-break among equal scores (stable, documented): the node the unit runs on now; then, with
placement-strategy ``default`` or
``utilization`` the node hosting fewer resources so far wins; ``balanced`` first prefers the node
with more free capacity; ``minimal`` skips the count; then the node that comes first in
``status.nodes`` (cluster.yaml order).
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.sorting import comparison_key
from crmsh_py.cib.node_order import natural_key
from crmsh_py.engine.scheduler.clone_placement import ClonePlacer
from crmsh_py.engine.scheduler.colocation import any_available, apply_primary, merge_dependents, scaled
from crmsh_py.engine.scheduler.constraints import ColocationPair, Constraints
from crmsh_py.engine.scheduler.group_placement import GroupPlacer, head_scores
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, Top, Unit, is_true, top_priority
from crmsh_py.engine.scheduler.state import PROMOTED, STARTED, STOPPED, UNPROMOTED
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

INF = scores.INFINITY
add = scores.add


@record
class PlacementInput:
    """Everything placement needs besides the tree and constraints."""

    nodes: list[str]
    available: set[str]
    strategy: str = "default"
    symmetric: bool = True
    capacity: dict[str, dict[str, int]] = field(default_factory=dict)
    node_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    banned: set[tuple[str, str]] = field(default_factory=set)  # (leaf id, node)
    disabled: set[str] = field(default_factory=set)  # leaf ids that must stop (target-role etc.)
    # the disabled leaves whose stop Pacemaker applies only when assigning (target-role, on-fail=stop,
    # stop-all-resources): its sort of resources (placement strategies) does not see it
    stopped_when_assigned: set[str] = field(default_factory=set)
    no_promote: set[str] = field(default_factory=set)  # leaf ids that may not be promoted
    fixed: dict[str, str | None] = field(default_factory=dict)  # unmanaged leaves stay as they are
    current: dict[str, str | None] = field(default_factory=dict)  # leaf -> node it runs on (if any)
    current_role: dict[str, str] = field(default_factory=dict)
    known_on: dict[str, set[str]] = field(default_factory=dict)  # clone -> nodes with its history
    remote_conn: dict[str, str] = field(default_factory=dict)  # remote/guest node -> connection leaf
    place_first: set[str] = field(default_factory=set)  # tops placed before the rest (connections)
    history_name: dict[str, str] = field(default_factory=dict)  # leaf -> id its history has, when other
    failed: set[str] = field(default_factory=set)  # leaves whose current copy failed (to recover)
    # leaf -> the node fenced under it (Pacemaker's sort of resources still sees it there)
    was_on: dict[str, str] = field(default_factory=dict)
    # guest node -> host its container runs on (None: not running), for container-attribute-target=host
    attr_host: dict[str, str | None] = field(default_factory=dict)
    # bundle connection -> its container: placed on its own when the container cannot run
    detached: dict[str, str] = field(default_factory=dict)
    guest_container: dict[str, str] = field(default_factory=dict)  # guest node -> its container leaf
    # leaf -> the node Pacemaker's sort of resources takes as current when not the first active
    # one (a partial migration's source)
    sort_node: dict[str, str] = field(default_factory=dict)
    multiply_active: set[str] = field(default_factory=set)  # leaves active on more than one node
    # nodes Pacemaker learns of only from the status (an orphaned remote connection's node): no
    # resource's node table has them when it sorts resources (-INFINITY there)
    late_nodes: set[str] = field(default_factory=set)


@record
class Placement:
    """The result: where each leaf goes and in which role, with the scores behind it."""

    node: dict[str, str | None] = field(default_factory=dict)
    role: dict[str, str] = field(default_factory=dict)
    unit_node: dict[str, str | None] = field(default_factory=dict)
    scores: dict[tuple[str, str], int] = field(default_factory=dict)
    lines: list[Any] = field(default_factory=list)  # (func, rsc, scores per node) tuples or plain text
    # With a placement strategy Pacemaker re-sorts its resource list before placing, and that list
    # is also the order of the Transition Summary: top-level ids in that order (empty otherwise).
    top_order: list[str] = field(default_factory=list)


class Placer(GroupPlacer, ClonePlacer):
    """Stateful for one plan() call only: counts and capacities change as units are placed."""

    def __init__(self, tree: ResourceTree, cons: Constraints, inp: PlacementInput) -> None:
        self.tree, self.cons, self.inp = tree, cons, inp
        self.index = {n: i for i, n in enumerate(sorted(inp.nodes, key=natural_key))}
        self.counts = {n: 0 for n in inp.nodes}
        self.capacity = {n: dict(inp.capacity.get(n, {})) for n in inp.nodes}
        self.out = Placement()
        self.top_nodes: dict[str, dict[str, set[str]]] = {}  # top -> role -> nodes
        self.by_dependent: dict[str, list[ColocationPair]] = {}
        self.by_primary: dict[str, list[ColocationPair]] = {}
        self.tops = {t.id: t for t in tree.tops}
        for pair in cons.colocations:
            dep, pri = tree.top_of.get(pair.dependent), tree.top_of.get(pair.primary)
            if dep is None or pri is None or dep == pri:
                continue
            influence = pair.influence if pair.influence is not None else self._critical(pair.dependent)
            resolved = ColocationPair(dep, pri, pair.score, pair.dependent_role, pair.primary_role, influence)
            self.by_dependent.setdefault(dep, []).append(resolved)
            self.by_primary.setdefault(pri, []).append(resolved)
        # Pacemaker keeps both lists sorted: priority, then groups/clones before primitives
        # (promotable clones first), then id.
        for lists, side in ((self.by_dependent, "primary"), (self.by_primary, "dependent")):
            for pairs in lists.values():
                pairs.sort(key=lambda p, side=side: self._rank(getattr(p, side)))  # type: ignore[misc]
        self._pref_cache: dict[str, dict[str, int]] = {}
        self._active: dict[str, bool] = {}  # top id -> whether any of it runs now
        self._progress: dict[str, int] = {}
        self._nodes_by_capacity: list[str] = sorted(inp.nodes, key=natural_key)  # top id -> 1 while its primaries are placed, 2 once placed

    def _critical(self, rsc_id: str) -> bool:
        """The ``critical`` meta attribute of a colocation's dependent (true unless set false): a
        colocation influences its primary when it says so or, by default, when this is true."""
        members = self.tree.members_of.get(rsc_id)
        leaf = self.tree.leaf_by_id.get(members[0]) if members else None
        top = self.tops.get(rsc_id)
        meta = top.meta if top is not None and top.kind != "primitive" else leaf.meta if leaf else {}
        return is_true(meta.get("critical", "true"))

    def _running(self, top_id: str) -> bool:
        cached = self._active.get(top_id)
        if cached is None:
            cached = self._active[top_id] = any(self.inp.current.get(leaf.id)
                                                for u in self.tops[top_id].units for leaf in u.leaves)
        return cached

    def _influences(self, pair: ColocationPair) -> bool:
        """Whether the dependent's preferences count for the primary: the colocation's influence,
        or a primary that is not active yet (Pacemaker's pcmk__colocation_has_influence)."""
        return pair.influence is not False or not self._running(pair.primary)

    def _rank(self, top_id: str) -> tuple[Any, ...]:
        top = self.tops[top_id]
        variant = {"primitive": 0, "group": 1, "clone": 2}.get(top.kind, 3)
        return (-_priority(top), -variant, not top.promotable, top_id)

    # ----------------------------------------------------------------- scores

    def _targets_score(self, targets: list[str], node_scores: dict[str, int], asym_ok: set[str]) -> None:
        for target in targets:
            table = self.cons.location.get(target)
            if not table:
                continue
            for node, value in table.items():
                if node in node_scores:
                    node_scores[node] = add(node_scores[node], value)
                    asym_ok.add(node)

    def leaf_score(self, leaf: Leaf, asym_ok: set[str], honour_disabled: bool = True) -> dict[str, int]:
        """A leaf's own score: its locations, stickiness where it runs, bans (and -INFINITY
        everywhere when it must stop, unless ``honour_disabled`` is false)."""
        sc = {n: 0 for n in self.inp.nodes}
        self._targets_score([leaf.base], sc, asym_ok)
        if leaf.id in self.inp.disabled and (honour_disabled or leaf.id not in self.inp.stopped_when_assigned):
            return {n: -INF for n in sc}
        current = self.inp.current.get(leaf.id)
        # Pacemaker: only a resource active on exactly one node is sticky
        if current is not None and current in sc and leaf.id not in self.inp.multiply_active:
            sc[current] = add(sc[current], _stickiness(leaf))
        for n in sc:
            if (leaf.id, n) in self.inp.banned:
                sc[n] = -INF
        return sc

    def unit_score(self, top: Top, unit: Unit,
                   honour_disabled: bool = True) -> tuple[dict[str, int], list[dict[str, int]]]:
        """The unit's total score and each leaf's own score."""
        asym_ok: set[str] = set()
        total = {n: 0 for n in self.inp.nodes}
        outer = [top.id] if top.kind == "clone" and top.id != unit.leaves[0].base else []
        if unit.leaves and unit.leaves[0].group is not None:
            outer.append(unit.leaves[0].group.split(":")[0])
        self._targets_score(outer, total, asym_ok)
        own = [self.leaf_score(leaf, asym_ok, honour_disabled) for leaf in unit.leaves]
        for leaf_scores in own:
            for n, v in leaf_scores.items():
                total[n] = add(total[n], v)
        if not self.inp.symmetric:
            for n in total:
                if n not in asym_ok:
                    total[n] = -INF
        return total, own

    def _primary_nodes(self, pair: ColocationPair) -> set[str]:
        roles = self.top_nodes.get(pair.primary, {})
        if pair.score >= INF and "last" in roles:
            return roles["last"]
        if pair.primary_role in (PROMOTED, UNPROMOTED):
            return roles.get(pair.primary_role, set())
        return roles.get("any", set())

    @staticmethod
    def _apply(sc: dict[str, int], nodes: set[str], score: int) -> None:
        if score >= INF:
            for n in sc:
                if n not in nodes:
                    sc[n] = -INF
        elif score <= -INF:
            for n in nodes:
                if n in sc:
                    sc[n] = -INF
        else:
            for n in nodes:
                if n in sc:
                    sc[n] = add(sc[n], score)

    def _with_colocations(self, top: Top, sc: dict[str, int]) -> dict[str, int]:
        return self._with_dependents(top, self._with_primaries_placed(top, sc))

    def _with_primaries_placed(self, top: Top, sc: dict[str, int]) -> dict[str, int]:
        """``sc`` after the colocations of ``top`` with its (already placed) primaries."""
        available = self.inp.available
        for pair in self.by_dependent.get(top.id, []):
            if pair.dependent_role == PROMOTED:
                continue  # applied when choosing the instances to promote
            if self._progress.get(pair.primary) == 1:
                continue  # a colocation loop: the primary waits for this one, Pacemaker ignores it
            placed = self._primary_nodes(pair) if pair.primary in self.top_nodes else None
            new = apply_primary(sc, placed, pair.score, available)
            if -INF < pair.score < 0 and not any_available(new, available):
                new = sc  # an advisory anti-colocation never leaves nowhere to run
            sc = new
        return sc

    def _with_dependents(self, top: Top, sc: dict[str, int]) -> dict[str, int]:
        """``sc`` with the preferences of what is colocated with ``top`` merged in."""
        available = self.inp.available
        for pair in self.by_primary.get(top.id, []):
            if pair.dependent_role == PROMOTED or not self._influences(pair):
                continue
            # a clone takes in only what its dependents add (Pacemaker's non-negative merge)
            sc = merge_dependents(pair.dependent, sc, pair.score / INF, available, self._preference_of,
                                  self._dependents_of, {top.id}, set() if top.kind == "clone" else None)
        return sc

    # A group takes part in colocation through its members, one after the other: ``G`` is its
    # first member, ``G#i`` the i-th, each colocated with the one before (Pacemaker's recursion).

    def _preference_of(self, key: str) -> dict[str, int]:
        top_id, _, index = key.partition("#")
        top = self.tops[top_id]
        if top.kind != "group" or not top.units or not top.units[0].leaves:
            return self._preference(top)
        return self._member_preference(top, int(index or 0))

    def _dependents_of(self, key: str) -> list[tuple[str, int]]:
        top_id, _, index = key.partition("#")
        top = self.tops[top_id]
        if top.kind == "group" and top.units:
            following = int(index or 0) + 1
            out = ([(f"{top_id}#{following}", INF)] if following < len(top.units[0].leaves)
                   and self._next_member_influences(top, following - 1) else [])
            if self._progress.get(top_id):
                # Once Pacemaker starts assigning a group, "R with group" hangs on its last member;
                # merging the group as a whole then takes those in once more, after its members.
                tail = [(p.dependent, p.score) for p in self.by_primary.get(top_id, [])
                        if p.dependent_role != PROMOTED and self._influences(p)]
                out += tail if following >= len(top.units[0].leaves) else []
                out += tail if not index else []
            return out
        return [(p.dependent, p.score) for p in self.by_primary.get(top_id, [])
                if p.dependent_role != PROMOTED and self._influences(p)]

    def _preference(self, top: Top) -> dict[str, int]:
        if top.id not in self._pref_cache:
            self._pref_cache[top.id] = self.unit_score(top, top.units[0])[0] if top.units else {}
        return self._pref_cache[top.id]

    # ----------------------------------------------------------------- choice

    def _fits(self, node: str, util: dict[str, int]) -> bool:
        if self.inp.strategy == "default" or not util:
            return True
        cap = self.capacity[node]
        return all(cap.get(k, 0) >= v for k, v in util.items())

    def _key(self, node: str, score: int, prefer: str | None) -> tuple[Any, ...]:
        # Pacemaker's node order: score; with "balanced" the freer node; then the node hosting
        # fewer resources so far; then the node it runs on; then the lowest name (strcmp).
        strategy = self.inp.strategy
        stay = 0 if node == prefer else 1
        if strategy == "minimal":
            return (-score, 0, 0, self.index[node])
        free = -sum(self.capacity[node].values()) if strategy == "balanced" else 0
        return (-score, free, self.counts[node], stay, self.index[node])

    def choose(self, sc: dict[str, int], util: dict[str, int], allowed: set[str] | None = None,
               prefer: str | None = None, favour: str | None = None, sticky_tie: bool = True) -> str | None:
        """The best node for a unit with these scores, or None.  ``prefer`` (the node it runs
        on) wins a tie of positive scores, as in Pacemaker 2.1; without ``sticky_tie`` (a clone
        instance placed after the pre-allocation) it only breaks ties after the load."""
        best, best_key = None, None
        ok: set[str] = set()
        for node, score in sc.items():
            if score < 0 or node not in self.inp.available:
                continue
            if allowed is not None and node not in allowed:
                continue
            if node in self.inp.remote_conn and self.out.node.get(self.inp.remote_conn[node]) is None:
                continue  # a remote node is up in this transition only if its connection is placed
            if not self._fits(node, util):
                continue
            ok.add(node)
            key = self._key(node, score, prefer)
            if best_key is None or key < best_key:
                best, best_key = node, key
        if favour is not None and favour in ok and best is not None and sc[favour] >= sc[best]:
            return favour
        if sticky_tie and best is not None and prefer in ok and sc[best] > 0 and sc[prefer] == sc[best]:
            return prefer
        return best

    def _take(self, node: str, leaves: list[Leaf]) -> None:
        self.counts[node] += len(leaves)
        if self.inp.strategy != "default":
            cap = self.capacity[node]
            for leaf in leaves:
                for k, v in leaf.utilization.items():
                    cap[k] = cap.get(k, 0) - v

    def _record(self, func: str, rid: str, sc: dict[str, int]) -> None:
        # Lines are formatted on demand (Transition.score_lines): 320k f-strings cost a second.
        values = tuple(sc.get(node, -INF) for node in self.inp.nodes)
        self.out.scores.update(zip(((rid, n) for n in self.inp.nodes), values))
        self.out.lines.append((func, rid, values))

    def _mark(self, top: Top, node: str | None, role: str = "any") -> None:
        if node is None:
            return
        roles = self.top_nodes.setdefault(top.id, {})
        roles.setdefault("any", set()).add(node)
        if role != "any":
            roles.setdefault(role, set()).add(node)

    # ----------------------------------------------------------------- units

    def _fixed_node(self, unit: Unit) -> tuple[bool, str | None]:
        for leaf in unit.leaves:
            if leaf.id in self.inp.fixed:
                return True, self.inp.fixed[leaf.id]
        return False, None

    def place_unit(self, top: Top, unit: Unit, sc: dict[str, int], own: list[dict[str, int]],
                   allowed: set[str] | None = None, favour: str | None = None,
                   sticky_tie: bool = True) -> str | None:
        """Choose a node for a primitive or group unit and assign its leaves."""
        is_fixed, fixed = self._fixed_node(unit)
        count = len(unit.leaves)
        node: str | None = fixed
        prefer = self.inp.current.get(unit.leaves[0].id) if unit.leaves else None
        if not is_fixed:
            util = self._util(unit.leaves)
            node = self.choose(sc, util, allowed, prefer, favour, sticky_tie)
            # A group whose later members cannot run anywhere with the rest still runs its head.
            while node is None and count > 1:
                count -= 1
                node = self.choose(head_scores(sc, own, count), self._util(unit.leaves[:count]), allowed, prefer)
            if node is not None:
                for i, leaf_scores in enumerate(own[:count]):
                    if leaf_scores.get(node, 0) <= -INF:
                        count = i
                        break
        partly = is_fixed and any(leaf.id not in self.inp.fixed for leaf in unit.leaves)
        wheres = (self._partly_fixed(unit, sc, own, allowed, prefer) if partly
                  else [node if i < count else None for i in range(len(unit.leaves))])
        for leaf, where in zip(unit.leaves, wheres):
            if leaf.id in self.inp.fixed:
                where = self.inp.fixed[leaf.id]
            self.out.node[leaf.id] = where
        placed = [l for l in unit.leaves if self.out.node[l.id] is not None]
        if node is not None and not is_fixed:
            self._take(node, placed)
        elif node is not None:
            # what is left where it runs is assigned there all the same: it counts, and uses capacity
            for leaf in placed:
                self._take(self.out.node[leaf.id] or node, [leaf])
        self.out.unit_node[unit.id] = node if placed else None
        return node if placed else None

    @staticmethod
    def _util(leaves: list[Leaf]) -> dict[str, int]:
        total: dict[str, int] = {}
        for leaf in leaves:
            for k, v in leaf.utilization.items():
                total[k] = total.get(k, 0) + v
        return total

    def place_simple(self, top: Top) -> None:
        unit = top.units[0]
        if top.kind == "group" and self.inp.strategy == "default" and not self._fixed_node(unit)[0]:
            self._place_members(top, unit)
            return
        sc, own = self.unit_score(top, unit)
        sc = self._with_colocations(top, sc)
        if top.kind == "group":
            self._record("pcmk__group_assign", top.id, sc)
        for leaf, leaf_scores in zip(unit.leaves, own):
            self._record("pcmk__primitive_assign", leaf.id, sc if leaf is unit.leaves[0] else leaf_scores)
        favour = None
        if self.inp.strategy != "default":
            sc, favour = self._limit_capacity(top, unit, sc)
        node = self.place_unit(top, unit, sc, own, favour=favour)
        for leaf in unit.leaves:
            self.out.role[leaf.id] = STARTED if self.out.node[leaf.id] else STOPPED
        self._mark(top, node)

    def _limit_capacity(self, top: Top, unit: Unit, sc: dict[str, int]) -> tuple[dict[str, int], str | None]:
        """Pacemaker's capacity check: when some node can hold this resource together with what
        must be colocated with it (and is not placed yet), the nodes that cannot are banned;
        otherwise only nodes too small for the resource alone are, and the node with the most
        free capacity is favoured."""
        together = self._util(unit.leaves)
        seen, todo = {top.id}, [top.id]
        while todo:
            current = todo.pop()
            pairs = [*self.by_primary.get(current, []), *self.by_dependent.get(current, [])]
            for pair in pairs:
                other = pair.dependent if pair.primary == current else pair.primary
                if pair.score < INF or other in seen or other in self.top_nodes:
                    continue
                seen.add(other)
                todo.append(other)
                for u in self.tops[other].units[:1]:
                    for k, v in self._util(u.leaves).items():
                        together[k] = together.get(k, 0) + v
        usable = [n for n, v in sc.items() if v >= 0 and n in self.inp.available]
        capable = [n for n in usable if self._fits_all(n, together)]
        if capable:
            return {n: (-INF if n in usable and n not in capable else v) for n, v in sc.items()}, None
        favour = max(usable, key=lambda n: (sum(self.capacity[n].values()), [-ord(c) for c in n]), default=None)
        return sc, favour

    def _fits_all(self, node: str, util: dict[str, int]) -> bool:
        cap = self.capacity[node]
        return all(cap.get(k, 0) >= v for k, v in util.items())

    def _own_scores(self, top: Top) -> dict[str, int]:
        """A resource's own node scores before placement, as Pacemaker's sort sees them."""
        if top.kind == "clone":
            # a clone's own scores hold its locations only: stickiness belongs to its instances
            sc = {n: 0 for n in self.inp.nodes}
            asym_ok: set[str] = set()
            self._targets_score([top.id], sc, asym_ok)
            if not self.inp.symmetric:
                sc = {n: (v if n in asym_ok else -INF) for n, v in sc.items()}
            leaves = [l for u in top.units for l in u.leaves]
            if leaves and not is_true(leaves[0].meta.get("globally-unique", "false")):
                # an anonymous clone is banned itself where one of its instances failed too often
                for leaf in leaves:
                    for node in sc:
                        if (leaf.id, node) in self.inp.banned:
                            sc[node] = -INF
            return sc
        # (a target-role that stops it is applied when it is assigned, not seen by the sort)
        sc = self.unit_score(top, top.units[0], honour_disabled=False)[0] if top.units else {}
        if top.kind == "group" and top.units and len(top.units[0].leaves) > 1 and not self._running(top.id) \
                and not any(l.id in self.inp.was_on for l in top.units[0].leaves):
            # Pacemaker sorts a group by its last member, merged with the members before it
            # through their colocations: a merge counts only nodes that can run resources.
            # (Observed only for a group not active anywhere: an active one keeps its scores.)
            sc = {n: (v if n in self.inp.available else -INF) for n, v in sc.items()}
        return sc

    def _with_primaries(self, top_id: str, sc: dict[str, int], seen: set[str]) -> dict[str, int]:
        """``sc`` with the scores of what ``top_id`` is colocated with merged in (scaled by the
        colocation score, recursively; a merge that leaves no usable node is dropped)."""
        if top_id in seen:
            return sc
        seen.add(top_id)
        for pair in self.by_dependent.get(top_id, []):
            primary = self.tops.get(pair.primary)
            if primary is None:
                continue
            factor = pair.score / INF
            theirs = self._own_scores(primary)
            work = dict(sc)
            for node in work:
                best = theirs.get(node, -INF) if node in self.inp.available else -INF
                if factor < 0 and best < 0:
                    continue
                work[node] = add(scaled(factor, best), work[node])
            if any_available(work, self.inp.available):
                sc = self._with_primaries(primary.id, work, seen)
        seen.discard(top_id)
        return sc

    def _utilization_rank(self, top: Top) -> tuple[Any, ...]:
        """With a placement strategy, Pacemaker places resources by priority, then by their score
        (its own and what it is colocated with) on the node they run on, then by their scores
        node by node."""
        sc = self._with_primaries(top.id, self._own_scores(top), set())
        leaves = [l for u in top.units for l in u.leaves]
        current = (self.inp.sort_node.get(leaves[0].id, self.inp.current.get(leaves[0].id)) if leaves
                   else self.inp.sort_node.get(top.id))  # a clone with clone-max=0: where its orphan runs
        here = sc.get(current, -INF) if current is not None and current not in self.inp.late_nodes else -INF
        if current is None and leaves and leaves[0].id in self.inp.was_on and top.kind != "clone":
            # on a node being fenced: Pacemaker's sort still counts it there, with its stickiness
            # (and what it is colocated with sees that node as unusable)
            was = self.inp.was_on[leaves[0].id]
            own = self._own_scores(top)
            own[was] = add(own.get(was, 0), _stickiness(leaves[0]))
            base = self._with_primaries(top.id, own, set())
            here = base.get(was, -INF)
        return (top.id not in self.inp.place_first, -_priority(top), -here,
                tuple(INF if n in self.inp.late_nodes else -sc.get(n, -INF) for n in self._nodes_by_capacity))

    def _capacity_order(self) -> list[str]:
        """Nodes as Pacemaker lists them before placing anything: those that can run resources
        first; with ``balanced``, the node with more capacity first (attribute by attribute), then
        by name."""
        def compare(a: str, b: str) -> int:
            usable = (b in self.inp.available) - (a in self.inp.available)
            if usable:
                return usable
            if self.inp.strategy == "balanced":
                ca, cb = self.capacity[a], self.capacity[b]
                result = sum((cb.get(k, 0) > ca.get(k, 0)) - (cb.get(k, 0) < ca.get(k, 0)) for k in {*ca, *cb})
                if result:
                    return result
            return (a > b) - (a < b)
        return sorted(self.inp.nodes, key=comparison_key(compare))

    def run(self) -> Placement:
        """Place every top-level resource, primaries of colocations first."""
        order = sorted(self.tree.tops, key=lambda t: (t.id not in self.inp.place_first, -_priority(t), t.index))
        if self.inp.strategy != "default":
            self._nodes_by_capacity = self._capacity_order()
            ranks = {t.id: self._utilization_rank(t) for t in order}
            order.sort(key=lambda t: ranks[t.id])
            # the summary follows Pacemaker's sorted list, which knows nothing of remote-first placing
            # (a stable sort of the configuration order: ties keep it, not the remote-first one)
            self.out.top_order = [t.id for t in sorted(sorted(order, key=lambda t: t.index),
                                                       key=lambda t: ranks[t.id][1:])]
        state = self._progress  # 1 visiting, 2 done
        for start in order:
            stack: list[tuple[Top, int]] = [(start, 0)]
            while stack:
                top, i = stack.pop()
                if state.get(top.id) == 2:
                    continue
                state[top.id] = 1
                deps = self.by_dependent.get(top.id, [])
                pushed = False
                while i < len(deps):
                    primary = self.tops.get(deps[i].primary)
                    i += 1
                    if primary is not None and state.get(primary.id) is None:
                        stack.append((top, i))
                        stack.append((primary, 0))
                        pushed = True
                        break
                if pushed:
                    continue
                (self.place_clone if top.kind == "clone" else self.place_simple)(top)
                state[top.id] = 2
        return self.out


def _stickiness(leaf: Leaf) -> int:
    """The stickiness a leaf adds where it runs (clone instances: 1 unless configured).  Pacemaker
    applies only a positive one: a negative stickiness is no push away, just none."""
    sticky = leaf.meta.get("resource-stickiness", leaf.meta.get(
        "default-resource-stickiness", "1" if leaf.clone is not None else "0"))
    try:
        return max(0, scores.score_value(sticky))
    except ValueError:
        return 0


def _priority(top: Top) -> int:
    return top_priority(top)


def place(tree: ResourceTree, cons: Constraints, inp: PlacementInput) -> Placement:
    """Allocate every resource instance (see the module docstring for the rules)."""
    return Placer(tree, cons, inp).run()
