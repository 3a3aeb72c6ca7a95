"""Placement of clone instances and the choice of instances to promote (a part of ``Placer``).

Instances keep the node they run on when they still may; the rest go, one by one, to the best
node that still has room under ``clone-node-max``.  A promotable clone's instances may get a
positive promotion score added where the clone's state is known; after placement the instances
with the highest promotion scores (then the ones promoted now, then the lowest instance numbers)
are promoted, up to ``promoted-max`` (``promoted-node-max`` per node).
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.engine.scheduler.colocation import merge_dependents
from crmsh_py.engine.scheduler.bundle_placement import place_detached, prefer_cluster_nodes
from crmsh_py.engine.scheduler.resources import Leaf, Top, Unit, is_true
from crmsh_py.engine.scheduler.state import PROMOTED, STARTED, STOPPED, UNPROMOTED

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

INF = scores.INFINITY
add = scores.add


class ClonePlacer:
    """Clone placement for ``placement.Placer`` (which provides the shared state and helpers)."""

    if TYPE_CHECKING:
        # The state and helpers are placement.Placer's, of which this class is a part; that module
        # imports this one, so they cannot be named here: to the type checker they are Any.
        def __getattr__(self, name: str) -> Any: ...

    def _promotion_attr(self, leaf: Leaf, node: str) -> int | None:
        """The node's promotion score attribute for the instance: named after the id the instance
        has in its resource history (else its own id), then, for an anonymous clone, after the
        primitive without an instance number."""
        if node in self.inp.attr_host and leaf.meta.get("container-attribute-target", "").lower() == "host":
            # the attribute is read where the guest's container runs (none while it is stopped)
            host = self.inp.attr_host[node]
            if host is None:
                return None
            node = host
        attrs = self.inp.node_attrs.get(node, {})
        known = self.inp.history_name.get(leaf.id, leaf.id)
        for name in dict.fromkeys((f"master-{known}", f"master-{leaf.base}", f"master-{leaf.id}",
                                   f"promotion-{leaf.base}")):
            if name in attrs:
                try:
                    return scores.score_value(attrs[name])
                except ValueError:
                    return None
        return None

    def _add_promotion_scores(self, top: Top, unit: Unit, sc: dict[str, int]) -> None:
        """Pacemaker adds a positive promotion score to an instance's preference for a usable node
        where it counts: where the clone's state is known (or nowhere yet, at cluster start)."""
        known = self.inp.known_on.get(top.id, set())
        here = self.inp.current.get(unit.leaves[0].id) if unit.leaves else None
        active = {self.inp.current.get(l.id) for u in top.units for l in u.leaves} - {None}
        unique = is_true(top.meta.get("globally-unique"))
        for n in sc:
            if n not in self.inp.available or (known and n not in known):
                continue
            if n != here and ((unique and here is not None) or (not unique and n in active)):
                # another instance runs there (a unique one: it runs elsewhere): Pacemaker counts
                # an instance's score only where it runs or where nothing runs yet
                continue
            bonus = sum(self._promotion_attr(leaf, n) or 0 for leaf in unit.leaves)
            if bonus > 0:
                sc[n] = add(sc[n], bonus)
            # the highest promotion score becomes the instance's priority (its assignment order)
            self._instance_priority[unit.id] = max(self._instance_priority.get(unit.id, 0), bonus)

    def place_clone(self, top: Top) -> None:
        self._instance_priority: dict[str, int] = {}
        scored = []
        # Pacemaker takes the positive wishes of what is colocated with the clone into an
        # instance's scores only when not every usable node gets an instance
        usable_count = sum(1 for n in self.inp.nodes if n in self.inp.available)
        all_coloc = top.clone_max < usable_count
        instance_scores: dict[str, dict[str, int]] = {}
        for unit in top.units:
            sc, own = self.unit_score(top, unit)
            if top.promotable and unit.leaves:
                self._add_promotion_scores(top, unit, sc)
            placed = self._with_primaries_placed(top, sc)
            instance_scores[unit.id] = self._with_dependents(top, placed) if all_coloc else placed
            sc = self._with_colocations(top, sc)
            scored.append((unit, sc, own))
        self._record("pcmk__clone_allocate", top.id, self._preference(top) if top.units else {})
        for unit, sc, _ in scored:
            self._record("pcmk__clone_allocate", unit.id, sc)
        scored.sort(key=lambda entry: self._instance_rank(entry[0]))
        per_node = {n: 0 for n in self.inp.nodes}
        done: set[str] = set()

        def limit() -> set[str]:
            return {n for n, c in per_node.items() if c < top.clone_node_max}

        # Instances keep their current node when they still may run there, up to the optimal
        # share per node (clone-max over the usable nodes, at least 1), as Pacemaker pre-allocates.
        usable = sum(1 for n in self.inp.nodes if n in self.inp.available)
        optimal = max(1, len(top.units) // usable) if usable else 1
        in_bundle = any(top.id == b.id or top.id.startswith(f"{b.id}-") for b in self.tree.bundles)
        for unit, sc, own in scored:
            current = self.inp.current.get(unit.leaves[0].id) if unit.leaves else None
            is_fixed, _ = self._fixed_node(unit)
            if not is_fixed and (current is None or any(l.id in self.inp.failed for l in unit.leaves)):
                continue  # Pacemaker pre-allocates only healthy active instances
            allowed = limit() & ({current} if current and per_node.get(current, 0) < optimal else set())
            if allowed and not is_fixed and not in_bundle and not self._best_node(
                    prefer_cluster_nodes(self, unit, instance_scores[unit.id], None), current, limit()):
                continue  # a better node exists: Pacemaker undoes the pre-allocation
            if is_fixed or allowed:
                node = self.place_unit(top, unit, prefer_cluster_nodes(self, unit, sc, allowed),
                                       own, None if is_fixed else allowed)
                if node is not None:
                    per_node[node] += 1
                    done.add(unit.id)
        for unit, sc, own in scored:
            if unit.id in done:
                continue
            free = limit()
            shown = {n: (v if n in free else -INF) for n, v in sc.items()}
            self._record("pcmk__primitive_assign", unit.id, shown)
            node = self.place_unit(top, unit, prefer_cluster_nodes(self, unit, sc, free), own, free,
                                   sticky_tie=False)
            if node is not None:
                per_node[node] += 1
        for unit, _, own in scored:
            place_detached(self, unit, own)
        for unit in top.units:
            for leaf in unit.leaves:
                placed = self.out.node.get(leaf.id)
                self.out.role[leaf.id] = (UNPROMOTED if top.promotable else STARTED) if placed else STOPPED
                self._mark(top, placed)
        if top.promotable:
            self.promote(top)
        for unit in top.units:
            for leaf in unit.leaves:
                node = self.out.node.get(leaf.id)
                if node is not None:
                    self._mark(top, node, self.out.role[leaf.id])

    def _best_node(self, sc: dict[str, int], node: str | None, free: set[str]) -> bool:
        """Whether ``node`` scores at least as well as every node the instance could take."""
        usable = [v for n, v in sc.items() if v >= 0 and n in self.inp.available and n in free]
        return node is not None and node in free and bool(usable) and sc.get(node, -INF) >= max(usable)

    def _instance_rank(self, unit: Unit) -> tuple[int, ...]:
        """Pacemaker's order for assigning a clone's instances (pcmk__cmp_instance, simplified):
        a higher priority (a promotable instance's highest promotion score), active, its current
        node able to run resources, healthy, then the instance number (the list's order)."""
        priority = -self._instance_priority.get(unit.id, 0)
        current = self.inp.current.get(unit.leaves[0].id) if unit.leaves else None
        if current is None:
            return (priority, 1, 0, 0)
        unavailable = 0 if current in self.inp.available else 1
        failed = 1 if any(l.id in self.inp.failed for l in unit.leaves) else 0
        return (priority, 0, unavailable, failed)

    def _merge_promotion(self, top: Top, weight: dict[str, int], pairs: list[Any]) -> dict[str, int]:
        for pair in pairs:
            weight = merge_dependents(pair.dependent, weight, pair.score / INF, self.inp.available,
                                      self._preference_of, self._dependents_of, {top.id}, set(), hack=True)
        return weight

    def promote(self, top: Top) -> None:
        """Pick the instances to promote, as Pacemaker sorts them: each instance's promotion score
        (its node attribute and promoted-role locations) is added to the clone's node weight
        where it runs (the clone's locations and what is colocated with it, taken in
        non-negatively); then what is colocated with the clone's promoted role is taken in again;
        an instance's final score is its node's weight.  Up to promoted-max are promoted
        (promoted-node-max per node), highest first, then the ones promoted now, then the higher
        promotion score of their own, then healthy ones, then the lowest instance numbers."""
        extra = dict(self.cons.promoted_location.get(top.id, {}))
        for n, v in self.cons.promoted_location.get(top.child_id, {}).items():
            extra[n] = add(extra.get(n, 0), v)
        weight = {n: 0 for n in self.inp.nodes}
        self._targets_score([top.id], weight, set())
        pairs = [p for p in self.by_primary.get(top.id, []) if p.dependent_role != PROMOTED and self._influences(p)]
        weight = self._merge_promotion(top, weight, pairs)
        own: list[tuple[Unit, str, int]] = []
        for unit in top.units:
            if not unit.leaves:
                continue
            leaf = unit.leaves[0]
            node = self.out.node.get(leaf.id)
            if node is None:
                self.out.lines.append(f"{unit.id} promotion score on none: 0")
                continue
            attr = self._promotion_attr(leaf, node)
            if node not in self.inp.available and self.inp.current_role.get(leaf.id) != PROMOTED:
                # kept on a node that cannot run resources (maintenance): Pacemaker banned the
                # node for the instance while placing it, so its promotion score does not count
                attr = None
            if attr is None and node not in extra:
                self.out.lines.append(f"{unit.id} promotion score on {node}: -1")
                continue
            sort_index = add(attr or 0, extra.get(node, 0))
            own.append((unit, node, sort_index))
            if sort_index >= 0:
                weight[node] = add(weight.get(node, 0), sort_index)
        weight = self._merge_promotion(top, weight, [p for p in pairs if p.primary_role == PROMOTED])
        candidates = []
        # Pacemaker leaves an unmanaged instance found Promoted promoted (sorted first, counted
        # against promoted-max), and cannot promote one that is unmanaged and not Promoted
        left: list[tuple[Unit, str]] = []
        held: set[str] = set()
        for unit in top.units:
            unmanaged = [l for l in unit.leaves if l.id in self.inp.fixed]
            if not unmanaged:
                continue
            held.add(unit.id)
            where = self.out.node.get(unit.leaves[0].id)
            if where is not None and all(self.inp.current_role.get(l.id) == PROMOTED for l in unmanaged):
                left.append((unit, where))
        for unit, node, sort_index in own:
            leaf = unit.leaves[0]
            score = weight.get(node, 0) if sort_index >= 0 else sort_index
            for pair in self.by_dependent.get(top.id, []):
                if pair.dependent_role == PROMOTED:
                    sc = {node: score}
                    self._apply(sc, self._primary_nodes(pair), pair.score)
                    score = sc[node]
            self.out.lines.append(f"{unit.id} promotion score on {node}: {scores.to_text(score)}")
            if score < 0 or any(l.id in self.inp.no_promote for l in unit.leaves) or unit.id in held:
                continue
            container = self.inp.guest_container.get(node)
            if container is not None and self.out.node.get(container) is None:
                continue  # on a guest whose container cannot run: another instance is chosen
            was = 0 if self.inp.current_role.get(leaf.id) == PROMOTED else 1
            # then a healthy instance before one that must recover, then the instance number
            failed = 1 if any(l.id in self.inp.failed for l in unit.leaves) else 0
            # (Pacemaker's instance order: a higher promotion score of its own, the "priority")
            candidates.append((-score, was, -sort_index, failed, unit.instance or 0, unit, node))
        candidates.sort(key=lambda c: c[:5])
        per_node: dict[str, int] = {}
        chosen = 0
        for unit, node in [*left, *((c[-2], c[-1]) for c in candidates)]:
            if chosen >= top.promoted_max or (per_node.get(node, 0) >= top.promoted_node_max
                                              and unit.id not in held):
                continue
            chosen += 1
            per_node[node] = per_node.get(node, 0) + 1
            for leaf in unit.leaves:
                self.out.role[leaf.id] = PROMOTED

    # ----------------------------------------------------------------- driver
