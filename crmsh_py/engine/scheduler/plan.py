"""The scheduler: a pure, deterministic function (configuration, status) -> Transition.

It follows Pacemaker 2.1.5's semantics, stage by stage (each in its own module):

1. ``resources``: primitives, groups and clones expanded into instances (``base:N``), meta
   attributes resolved (rsc_defaults < clone < group < primitive), resources in priority order.
2. ``state`` + ``crmsh_py.engine.op_history``: each node's operation history replayed as Pacemaker
   unpacks it (expected results, on-fail, failure-timeout); anonymous clone instances numbered in
   node_state order.
3. ``crmsh_py.engine.node_condition`` + ``fencing``: node membership (unclean with a reason,
   pending, shutdown) and the fencing decision; instances on fenced nodes count as stopped.
4. ``constraints`` + ``colocation`` + ``placement`` (+ ``clone_placement``): scores and node choice
   with Pacemaker's tie-breaks (score, free capacity, fewer resources, current node, name).
5. ``blocking``: starts that cannot run (unrunnable firsts, no quorum) and required restarts,
   with the reasons the transition summary prints.
6. ``actions`` per instance, ``order`` for the execution order.
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.cib.node_order import natural_key
from crmsh_py.cib.model import Configuration
from crmsh_py.engine import node_health
from crmsh_py.engine.scheduler import blocking, bundle_placement, fencing, interleave, stop_blocking
from crmsh_py.engine.scheduler.actions import OpTimes, leaf_actions, orphan_actions
from crmsh_py.engine.scheduler.agent_change import agent_changes
from crmsh_py.engine.scheduler.constraints import index_constraints
from crmsh_py.engine.scheduler.order import order_actions
from crmsh_py.engine.scheduler.placement import PlacementInput, place
# remote, remote_state and bundles load only for a cluster that has remote nodes, bundles or containers
from crmsh_py.engine.scheduler import no_remotes
from crmsh_py.engine.scheduler.resources import (Leaf, ResourceTree, Top, build_tree, cluster_options, duration_ms, is_true,
                                             node_config_attributes, node_utilization)
from crmsh_py.engine.scheduler.state import (PROMOTED, STARTED, STOPPED, UNPROMOTED, LeafState, fail_count,
                                             is_unique_clone, read_state)
from crmsh_py.engine.scheduler.migration import migrating_leaves, plan_leaf, read_migrations
from crmsh_py.engine.scheduler.migration import summary_lines as migration_summary
from crmsh_py.engine.scheduler.reload import REASON, config_changes, restart_seed
from crmsh_py.engine.scheduler.requires import requires
from crmsh_py.engine.scheduler.reload import plan_leaf as plan_reload
from crmsh_py.engine.scheduler.transition import Action, Change, Transition, details_text
# tickets and unfencing load only for a configuration that uses them
from crmsh_py.engine.scheduler.optional_stages import ticket_stage, unfencing_stage
from crmsh_py.engine.status import ClusterStatus
from crmsh_py.records import replace

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

__all__ = ["plan", "Action", "Transition"]



def _summary_in_placement_order(transition: Transition, tree: ResourceTree, top_order: list[str],
                                extra_top_of: dict[str, str]) -> None:
    """Re-order the resource lines of the summary as Pacemaker's placement sorted its resources
    (``extra_top_of``: the clones that orphan instances belong to)."""
    top_of = {leaf.id: leaf.top for leaf in tree.leaves}
    top_of.update(extra_top_of)
    rank: dict[str, float] = {top_id: float(i) for i, top_id in enumerate(top_order)}
    previous = -1.0
    for top in tree.tops:  # a clone without instances (clone-max=0) is not placed: after the one before it
        previous = rank.setdefault(top.id, previous + 0.001)
    for info in tree.bundles:
        # a bundle is one resource of Pacemaker's list: its replicas' lines (container, address,
        # connection, child instance) stay together, in the order they were generated
        parts = {top_of.get(x, x) for x in [*info.containers, *info.ips, *info.connections, *info.children] if x}
        here = min((rank[t] for t in parts if t in rank), default=None)
        if here is not None:
            rank.update({t: here for t in parts})
    transition.changes.sort(key=lambda c: rank.get(top_of.get(c.rsc_id, c.rsc_id), len(rank)))


# Pacemaker's configuration errors for stonith-enabled without a device (logged by the scheduler)
NO_STONITH_ERRORS = ("Resource start-up disabled since no STONITH resources have been defined",
                     "Either configure some or disable STONITH with the stonith-enabled option",
                     "NOTE: Clusters with shared data need STONITH to ensure data integrity")


def _prop(props: dict[str, str], name: str, default: str) -> str:
    return props.get(name, props.get(name.replace("-", "_"), default))


def _node_attrs(cfg: Configuration, status: ClusterStatus, props: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each node's attributes for rules: configured, then status, then transient ones, with
    Pacemaker's built-ins (#uname, #id, #kind, #is_dc, #cluster-name, #site-name)."""
    permanent = node_config_attributes(cfg, status.now)
    cluster_name = props.get("cluster-name")
    out = {}
    for name, node in status.nodes.items():
        attrs = dict(permanent.get(name, {}))
        attrs.update(node.attributes)
        attrs.update(node.transient_attributes)
        attrs.update({"#uname": name, "#id": node.node_id, "#kind": "cluster",
                      "#is_dc": "true" if name == status.dc else "false"})
        if cluster_name is not None:
            attrs["#cluster-name"] = cluster_name
            attrs.setdefault("#site-name", cluster_name)
        out[name] = attrs
    return out


def plan(cfg: Configuration, status: ClusterStatus) -> Transition:
    """Compute what the cluster should do next.  Pure: same inputs, same transition."""
    # Pacemaker walks its nodes in name order (node2 before node10), whatever the CIB's order.
    as_recorded = list(status.nodes)  # remote nodes' histories are read in this order, after the rest
    status = replace(status, nodes={n: status.nodes[n] for n in sorted(status.nodes, key=natural_key)})
    props = cluster_options(cfg, now=status.now)
    nodes = list(status.nodes)
    stonith = is_true(_prop(props, "stonith-enabled", "true"))
    quorum_policy = _prop(props, "no-quorum-policy", "stop").lower()
    if quorum_policy == "suicide" and not (stonith and (status.have_quorum or status.quorum_panic)):
        quorum_policy = "stop"  # Pacemaker: suicide needs fencing and a cluster that once had quorum
    elif quorum_policy not in ("ignore", "freeze", "demote", "suicide"):
        quorum_policy = "stop"
    props = {**props, "no-quorum-policy": quorum_policy}
    lost_quorum = not status.have_quorum and quorum_policy != "ignore"
    maintenance = is_true(_prop(props, "maintenance-mode", "false"))
    tree = build_tree(cfg, len(nodes) + len([n for n in no_remotes.node_names(cfg) if n not in status.nodes]),
                      no_remotes.add_bundle, status.now)
    remote, remote_state = no_remotes.stages(tree, status)
    ticket_effects, apply_ticket_effects = ticket_stage(cfg)
    unfencing_enabled, device_changes, unfence_lines, restarts_for_unfencing = unfencing_stage(tree)
    remotes = remote.expand(cfg, tree)
    remote.add_orphans(remotes, tree, status)
    if remotes.nodes:
        with_state = {n for n in remotes.nodes if n in status.nodes and status.nodes[n].seen}
        status = remote.with_nodes(status, remotes, as_recorded)
        remote.unmanaged_connection_maintenance(status, remotes, tree, with_state, maintenance, stonith)
    states, orphans = read_state(tree, status, stonith, is_true(_prop(props, "shutdown-lock", "false")), maintenance)
    _started_members(tree, states)
    migrations = read_migrations(tree, states, status, stonith or is_true(_prop(props, "shutdown-lock", "false")))
    remote_state.resolve(remotes, tree, states, status, stonith)
    # remote nodes not being fenced may host resources once their connection is placed
    remote_state.make_available(remotes, status, set())
    transition = Transition()
    # stonith-action: "poweroff" is Pacemaker's deprecated name for "off"
    fence_with = _prop(props, "stonith-action", "reboot").lower()
    transition.fence_action = "off" if fence_with in ("off", "poweroff") else "reboot"
    for rid, where in [*((l, states[l].on) for l in states), *orphans.items()]:
        for node_name, node_state in where.items():
            if node_state.history_id:
                transition.history_ids[(rid, node_name)] = node_state.history_id
    tickets = ticket_effects(cfg, tree, states, status.tickets, stonith)
    has_device = any(l.is_stonith for l in tree.leaves) or is_true(_prop(props, "have-watchdog", "false"))
    ticket_fence = {n: r for n, r in tickets.fence.items() if n not in remotes.fence}
    if tickets.fence and orphans:
        # an extra instance of a clone that lost its ticket is the clone's child: fenced too
        from crmsh_py.engine.scheduler.tickets import orphan_fences

        def owner_of(rsc_id: str) -> str | None:
            owner = _anonymous_clone_of(tree, rsc_id)
            return owner.id if owner is not None else None

        for fenced_node, reason in orphan_fences(cfg, status.tickets, stonith, orphans, owner_of).items():
            if fenced_node not in remotes.fence:
                ticket_fence.setdefault(fenced_node, reason)
    decision = fencing.decide(tree, states, status, props, stonith, has_device, maintenance, remotes.fence, ticket_fence)
    transition.fencing = decision.lines
    transition.blocked.extend(decision.notes)
    # With fencing on, Pacemaker reads the history of a node that is down too; one in maintenance
    # keeps what it runs (unmanaged) instead of being taken for stopped.
    down_in_maintenance = {n for n, s in status.nodes.items() if s.maintenance} if stonith else set()
    stuck, fenced_from = fencing.settle_nodes(tree, states, decision, transition.blocked, down_in_maintenance)
    fencing.settle_orphans(orphans, decision, down_in_maintenance)
    # Pacemaker creates the guests' fence events in node name order and lists the newest first
    up = {n for n, c in decision.conditions.items() if c.online}
    transition.guest_fencing = sorted(remote_state.fenceable_resets(remotes, up, decision.fenced),
                                      key=lambda g: natural_key(g[0]), reverse=True)
    stuck |= remote_state.held_by_unfenceable_guests(remotes, tree, states, transition.guest_fencing)
    attrs = _node_attrs(cfg, status, props)
    remote.mark_kinds(remotes, attrs)
    inp = _placement_input(tree, states, status, props, attrs, decision, stuck, maintenance, lost_quorum,
                           quorum_policy)
    inp.was_on = {leaf_id: where[0] for leaf_id, where in fenced_from.items()}
    inp.sort_node = {leaf_id: ends[0] for leaf_id, ends in migrations.partial.items()}
    inp.late_nodes = {name for name, node in remotes.nodes.items() if node.orphan}
    for rsc_id, where in orphans.items():
        owner = _anonymous_clone_of(tree, rsc_id)
        if owner is not None and not owner.units and where:
            inp.sort_node.setdefault(owner.id, next(iter(where)))
    if stonith and not has_device:
        # "Resource start-up disabled since no STONITH resources have been defined": Pacemaker
        # leaves every resource as it is.
        transition.blocked.append("no fencing device is configured while stonith-enabled is true")
        transition.errors.extend(NO_STONITH_ERRORS)
        for leaf in tree.leaves:
            active = states[leaf.id].active_nodes
            inp.fixed.setdefault(leaf.id, active[0] if active else None)
    inp.capacity = node_utilization(cfg, status.now)
    for top in tree.tops:
        if top.kind == "clone":
            inp.known_on[top.id] = {n for l in tree.leaves_by_top.get(top.id, []) for n in states[l].on}
    for leaf in tree.leaves:
        if any(s.failed is not None and s.role != STOPPED for s in states[leaf.id].on.values()):
            inp.failed.add(leaf.id)
    apply_ticket_effects(inp, tickets)
    remote.placement_hooks(remotes, tree, inp, status, states)
    known = {t.id for t in tree.tops}  # rsc-pattern selects among top-level resources
    cons = index_constraints(cfg, attrs, status.now, known)
    _apply_node_health(tree, cons, props, attrs)
    remote.add_constraints(remotes, tree, cons, list(status.nodes))
    placement = place(tree, cons, inp)
    if lost_quorum and quorum_policy == "demote":
        # Pacemaker caps an active instance at Unpromoted only when it creates the actions, after
        # placement: what is colocated with the promoted role still follows the chosen node, and a
        # stopped instance (which cannot start) keeps its promotion, blocked.
        for leaf in tree.leaves:
            if placement.role.get(leaf.id) == PROMOTED and states[leaf.id].active_nodes:
                placement.role[leaf.id] = UNPROMOTED
    inhibited = interleave.inhibit_unpaired(tree, cons, placement.node, placement.role, placement.unit_node,
                                           set(inp.fixed))
    remote.bundle_connections_off_remotes(remotes, tree, placement.node, states, inp.available)
    bundle_placement.place_children(tree.bundles, placement.node, placement.role, inp.disabled, inp.banned,
                                    {l.id: UNPROMOTED if l.promotable else STARTED for l in tree.leaves})
    # a guest "fenced" by recovering its container is rebooted when the container starts again
    transition.guest_fence_action = {g: "off" for g, c in transition.guest_fencing if placement.node.get(c) is None}
    if stonith and has_device:
        lost = decision.fenced | {n for n, c in decision.conditions.items() if c.unclean}
        late = remote_state.unrecoverable(remotes, tree, states, placement.node, lost)
        transition.fencing[:0] = late
    no_quorum = lost_quorum and quorum_policy == "stop"
    # no-quorum-policy=freeze: what runs may go on (and move); nothing new starts
    freeze = lost_quorum and quorum_policy == "freeze"
    quorum_stops: bool | set[str] = no_quorum
    if lost_quorum and quorum_policy == "demote":
        # Pacemaker: demote acts as "ignore" (capped at Unpromoted) for an instance of a promotable
        # clone that is active, as "stop" for everything else
        quorum_stops = {l.id for l in tree.leaves if not (l.promotable and states[l.id].active_nodes)}
    # a resource that should move but whose stop waits for a blocked one cannot start where it goes:
    # what must start after it cannot either ("unrunnable X start")
    held = stop_blocking.stuck_stops(tree, cons, states, placement.node, {}, {}, set(inp.fixed),
                                     stop_blocking.blocked_resources(tree, states, tickets.frozen, stuck)
                                     & set(inp.fixed))
    stuck_moves = {leaf_id for leaf_id in held
                   if placement.node.get(leaf_id) not in (None, *states[leaf_id].active_nodes[:1])}
    blocked = blocking.blocked_starts(tree, cons, states, placement.node, quorum_stops, set(inp.fixed), freeze,
                                      stuck_moves)
    bundle_placement.blocked_reasons(tree.bundles, placement.node, blocked, cons.colocations, tree.leaves_by_top)
    op_defaults = cluster_options(cfg, "op_defaults", status.now)
    times = OpTimes(duration_ms(op_defaults.get("timeout"), 20000))
    changes = config_changes(tree, states, status, times, set(inp.fixed), cfg)
    unfencing = unfencing_enabled(tree)
    changes.reasonless = {l.id for l in tree.leaves if requires(l, stonith, quorum_policy, unfencing) == "nothing"}
    implicit = remote.implicit_ids(remotes, tree)
    bundle_parts = {x for info in tree.bundles for x in [*info.containers, *info.ips, *info.connections]
                    if x is not None}
    changes.restart -= implicit
    changes.quiet_restart -= implicit
    for rid in implicit & set(changes.reload):
        del changes.reload[rid]
    changes.rearm = [r for r in changes.rearm if r[0] not in implicit]
    agents = agent_changes(tree, states, status)
    changes.quiet_restart |= agents.restart - implicit - set(inp.fixed)
    # Unfencing: the engine runs "on" with the devices and records #node-unfenced (engine/fencing.py)
    connections = set(remotes.connections.values())
    devices = device_changes(tree, states, agents.changed_on, changes.restart, changes.reload)
    transition.unfencing = unfence_lines(tree, status, decision.conditions, placement.node, decision.fenced,
                                         set(remotes.nodes), connections, devices)
    # a resource whose start cannot run (no quorum, an unrunnable first) stops: it cannot migrate
    runnable_dest = {k: (None if k in blocked else v) for k, v in placement.node.items()}
    migrating = migrating_leaves(tree, states, runnable_dest, set(), migrations, inp.fixed, cons.orders)
    # A live migration does not disrupt what depends on the migrating resource.
    seed = restart_seed(changes) | {leaf_id for leaf_id, node in migrations.phantom.items()
                                    if placement.node.get(leaf_id) == node}
    restart = blocking.restarts(tree, cons, states, placement.node, blocked, migrating, seed)
    _starts_after_unmanaged(restart, blocked, set(inp.fixed))
    for leaf_id in restarts_for_unfencing(tree, states, placement.node, transition.unfencing, connections):
        # the unfencing requires the start: that is the reason unless an earlier one was given
        if leaf_id not in inp.fixed and leaf_id not in migrating and leaf_id not in changes.restart \
                and not restart.get(leaf_id):
            restart[leaf_id] = "required stonith"
    restarting = set(restart)
    restart_reasons = remote.container_restarts(remotes, tree, states, placement.node, restarting, set(inp.fixed))
    for leaf_id in restarting:
        # a container's restart names itself as the reason, before any order or group
        if not restart.get(leaf_id) or leaf_id in restart_reasons:
            restart[leaf_id] = restart_reasons.get(leaf_id, "").removeprefix("due to ")
    migrating = migrating_leaves(tree, states, runnable_dest, restart, migrations, inp.fixed, cons.orders)
    blocked_rsc = stop_blocking.blocked_resources(tree, states, tickets.frozen, stuck) & set(inp.fixed)
    stuck_stops = stop_blocking.stuck_stops(tree, cons, states, placement.node, restart, blocked, set(inp.fixed),
                                            blocked_rsc)
    if freeze:
        # frozen without quorum, a resource restarting where it runs cannot start again: it stops,
        # for the reason it had to restart
        for leaf_id in sorted((set(restart) | changes.restart) - set(inp.fixed) - set(blocked)):
            active = states[leaf_id].active_nodes
            if active and placement.node.get(leaf_id) == active[0] and leaf_id not in migrating:
                blocked[leaf_id] = restart.get(leaf_id) or (
                    REASON.removeprefix("due to ") if leaf_id in changes.restart else "")
    actions: list[Action] = [Action("fence", "", node, 0, 0, reason) for node, reason in transition.fencing]
    holding = lost_quorum and quorum_policy in fencing.QUORUM_HELD  # stops held on lost nodes (no fencing)
    held_remotes = fencing.held_remotes(remotes.nodes, stuck, {f[0] for f in transition.fencing}) if holding else {}
    replica_container = fencing.replica_containers(tree)
    for leaf in tree.leaves:
        dest = placement.node.get(leaf.id)
        role = placement.role.get(leaf.id, STOPPED)
        ends_on = None if leaf.id in blocked else dest  # a blocked start does not run
        transition.allocation[leaf.id] = ends_on
        transition.roles[leaf.id] = role if ends_on else STOPPED
        if leaf.id in stuck_stops:
            # its stop waits for one that cannot run: it stays, the summary shows the blocked stop
            stays_on = states[leaf.id].active_nodes[0]
            transition.allocation[leaf.id] = stays_on
            transition.roles[leaf.id] = states[leaf.id].role_on(stays_on)
            transition.changes.append(Change("Stop", leaf.id, details_text(
                stays_on, None, states[leaf.id].role_on(stays_on), STOPPED),
                f"due to {stuck_stops[leaf.id]} (blocked)" if stuck_stops[leaf.id] else "blocked"))
            continue
        held_on = next((n for n in states[leaf.id].active_nodes if n in held_remotes), None)
        if held_on is not None and leaf.id not in stuck:
            # on a remote node whose connection is held on a lost node: nothing can run there (a
            # promoted instance is not even demoted), a stop waits for the connection's start
            transition.allocation[leaf.id] = held_on
            transition.roles[leaf.id] = states[leaf.id].role_on(held_on)
            if states[leaf.id].role_on(held_on) != PROMOTED:
                transition.changes.append(Change("Stop", leaf.id, details_text(
                    held_on, None, states[leaf.id].role_on(held_on), STOPPED),
                    f"due to unrunnable {held_remotes[held_on]} start (blocked)"))
            continue
        if leaf.id in stuck and holding and states[leaf.id].active_nodes \
                and is_true(leaf.meta.get("is-managed", "true")) \
                and not is_true(leaf.meta.get("maintenance", "false")):  # (unmanaged: left alone, no line)
            # On an unclean node that cannot be fenced without quorum: it would stop, but cannot.
            # It is placed like any other resource: somewhere (where quorum forbids the start:
            # "no quorum", or under freeze no reason at all), or nowhere at all.
            lost_on = states[leaf.id].active_nodes[0]
            why = fencing.held_stop_reason(tree, leaf, lost_on, dest is not None, placement.node, inp.available,
                                           quorum_policy, remotes.nodes, bundle_parts, replica_container)
            transition.changes.append(Change("Stop", leaf.id, details_text(
                lost_on, None, states[leaf.id].role_on(lost_on), STOPPED),
                f"due to {why} (blocked)" if why else "blocked"))
            continue
        if leaf.id in inp.fixed:
            continue
        acts, change = leaf_actions(leaf, states[leaf.id], dest, role, restart.get(leaf.id), times,
                                    blocked.get(leaf.id), fenced_from.get(leaf.id))
        reason = f"due to {blocked[leaf.id]}" if blocked.get(leaf.id) else ""
        reason = restart_reasons.get(leaf.id, reason)
        acts, change = plan_leaf(leaf, states[leaf.id], dest, acts, change, migrations, migrating, reason)
        acts, change = plan_reload(leaf, states[leaf.id], dest, acts, change, changes, times)
        change = remote.as_recovery(remotes, leaf.id, change)
        if change is not None and blocked.get(leaf.id) and leaf.id not in implicit and leaf.clone is None:
            change = _required_by_stopping_first(change, blocked[leaf.id], dest, tree, states, placement.node,
                                                 implicit | bundle_parts)
        if _stops_unexpected(leaf, states[leaf.id], fenced_from.get(leaf.id),
                             requires(leaf, stonith, quorum_policy, unfencing)) and dest is not None:
            acts = _expected_node_actions(acts, dest)
            change = _multiply_active_move(change) if change is not None else None
        if change is not None and leaf.id in inhibited and change.change == "Stop":
            change = replace(change, reason="")  # unassigned after its stop was planned: no reason
        actions.extend(acts)
        if change is not None and change.change == "Stop" and dest is None and leaf.id in decision.active_before:
            # active on several nodes, some of them fenced: a stop line for each, in the order found
            transition.changes.extend(replace(change, details=details_text(node, None, role, STOPPED))
                                      for node, role in decision.active_before[leaf.id])
        elif change is not None:
            transition.changes.extend(migration_summary(states[leaf.id], dest, change))
    # Extra instances of a configured clone are the clone's children to Pacemaker: their lines
    # come with the clone's; resources no longer configured come last.
    plain_orphans: list[Change] = []
    clone_of: dict[str, str] = {}
    if not maintenance:
        for rsc_id, where in _orphan_order(tree, orphans, status):
            if _unmanaged_clone_orphan(tree, rsc_id):
                continue  # an extra instance of an unmanaged clone is left as it is
            if any(n in status.nodes and status.nodes[n].maintenance for n in where):
                continue  # active on a node in maintenance: unmanaged (Pacemaker), left as it is
            acts, orphan_changes = orphan_actions(rsc_id, where, times)
            actions.extend(acts)
            owner = _anonymous_clone_of(tree, rsc_id)
            if owner is None:
                plain_orphans.extend(orphan_changes)
            elif placement.top_order:
                clone_of[rsc_id] = owner.id
                transition.changes.extend(orphan_changes)
            else:
                clone_of[rsc_id] = owner.id
                _insert_with_clone(transition.changes, tree, owner, orphan_changes, clone_of)
    if placement.top_order:
        _summary_in_placement_order(transition, tree, placement.top_order, clone_of)
    transition.changes.extend(plain_orphans)
    for unit_id, node in placement.unit_node.items():
        transition.allocation.setdefault(unit_id, node)
    ordered, ok = order_actions(actions, tree, cons.orders)
    reset = {guest for guest, _ in transition.guest_fencing}
    ordered = [replace(a, pseudo=True) if a.task in ("stop", "demote") and a.node in reset else a for a in ordered]
    if not ok:
        transition.blocked.append("order constraints form a cycle; remaining actions kept in generation order")
    transition.actions = ordered
    transition.scores = placement.scores
    transition.allocation_lines = placement.lines
    transition.nodes = list(status.nodes)
    return transition


def _insert_with_clone(changes: list[Change], tree: ResourceTree, clone: Top, lines: list[Change],
                       orphan_tops: dict[str, str]) -> None:
    """Put an orphan instance's summary lines after those of its clone and of the resources
    before the clone (the summary follows the resource list, in which the clone has its place);
    ``orphan_tops``: the clones of the orphan instances placed so far."""
    index = {t.id: t.index for t in tree.tops}
    at = 0
    for i, change in enumerate(changes):
        top = tree.top_of.get(change.rsc_id, orphan_tops.get(change.rsc_id))
        if top is not None and index.get(top, len(index)) <= clone.index:
            at = i + 1
    changes[at:at] = lines


def _anonymous_clone_of(tree: ResourceTree, rsc_id: str) -> Top | None:
    """The anonymous clone ``rsc_id`` (``base:N``) is an extra instance of, or None.  (An unknown
    instance of a globally-unique clone is a resource of its own to Pacemaker: an orphan like any
    other.)"""
    base, _, number = rsc_id.rpartition(":")
    if not number.isdigit():
        return None
    for top in tree.tops:
        if top.kind == "clone" and base in _clone_bases(top):
            if not is_unique_clone(top):
                return top
            # a unique clone with clone-max=0 still has its child :0 (an orphan, but the clone's)
            return top if top.clone_max <= 0 and number == "0" else None
    return None


def _clone_bases(top: Top) -> list[str]:
    return top.child_bases or [l.base for u in top.units[:1] for l in u.leaves]


def _unmanaged_clone_orphan(tree: ResourceTree, rsc_id: str) -> bool:
    """Whether ``rsc_id`` is an extra instance (``base:N``) of an anonymous clone whose meta
    attributes make it unmanaged (Pacemaker's orphan instances inherit them from the clone)."""
    top = _anonymous_clone_of(tree, rsc_id)
    if top is None:
        return False
    leaf = next((l for u in top.units[:1] for l in u.leaves if l.base == rsc_id.rpartition(":")[0]), None)
    meta = leaf.meta if leaf is not None else top.meta
    return not is_true(meta.get("is-managed", "true")) or is_true(meta.get("maintenance", "false"))


def _starts_after_unmanaged(restart: dict[str, str], blocked: dict[str, str], fixed: set[str]) -> None:
    """A restart required by an unmanaged resource's start cannot happen: that start never runs
    (Pacemaker: required but unrunnable), so what follows it only stops, for the same reason; what
    follows that in turn only stops too, its stop required by the one before it."""
    cause = {leaf_id: why.split(" ")[1] for leaf_id, why in restart.items()
             if why.startswith("required ") and why.endswith(" start") and why.count(" ") == 2}
    stuck = {f for f in fixed if f in restart}
    for _ in range(len(cause) + 1):
        moved = [t for t, first in cause.items() if first in stuck and t not in stuck and t not in fixed]
        if not moved:
            break
        for t in moved:
            first = cause[t]
            why = restart.pop(t)
            # (further on, the stop is what was required: the one before it stops)
            blocked[t] = why if first in fixed else f"required {first} stop"
            stuck.add(t)


def _started_members(tree: ResourceTree, states: dict[str, LeafState]) -> None:
    """In a promotable clone of a group, a member whose role comes from its start stays
    "Started" (Pacemaker turns Started into Unpromoted only for an instance whose highest role
    is Started) when another member of the instance is Unpromoted or Promoted on that node."""
    for top in tree.tops:
        if not (top.kind == "clone" and top.promotable and top.child_kind == "group"):
            continue
        for unit in top.units:
            members = [states[l.id] for l in unit.leaves]
            for node in dict.fromkeys(n for st in members for n in st.on):
                here = [st.on[node] for st in members if node in st.on]
                if any(s.role == PROMOTED or (s.role == UNPROMOTED and not s.from_start) for s in here):
                    for s in here:
                        if s.role == UNPROMOTED and s.from_start:
                            s.role = STARTED


def _required_by_stopping_first(change: Change, why: str, dest: str | None, tree: ResourceTree,
                                states: dict[str, LeafState], node_of: dict[str, str | None],
                                implicit: set[str]) -> Change:
    """A resource (not a clone instance: see test_order_reasons) that stays where it runs but whose
    start waits for a first that is running and stops stops "due to required F start" (Pacemaker:
    its stop is made necessary through the order); with a first that is not running it is
    "unrunnable F start"."""
    first = why.removeprefix("unrunnable ").removesuffix(" start")
    if (change.change != "Stop" or not why.startswith("unrunnable ") or not why.endswith(" start")
            or first not in tree.leaf_by_id or first in implicit or node_of.get(first) is not None):
        return change
    if not states[first].active_nodes or dest is None or change.details.split()[-1] != dest:
        return change
    return replace(change, reason=f"due to required {first} start")


def _stops_unexpected(leaf: Leaf, st: LeafState, fenced_from: tuple[str, str, str] | None, needs: str) -> bool:
    """Whether ``leaf`` is multiply active with ``multiple-active=stop_unexpected``: Pacemaker
    counts a node being fenced under it only when its start requires fencing."""
    if leaf.meta.get("multiple-active", "").lower() != "stop_unexpected":
        return False
    count = len(st.active_nodes)
    if fenced_from is not None and needs in ("fencing", "unfencing"):
        count += 1
    return count > 1


def _expected_node_actions(acts: list[Action], dest: str) -> list[Action]:
    """Pacemaker's actions for a ``stop_unexpected`` resource on its expected node (the one it is
    placed on): no stop there, and the start there is a pseudo-action (which, when it moves,
    leaves it stopped unless a recurring monitor finds it)."""
    return [replace(a, pseudo=True) if a.task == "start" and a.node == dest else a for a in acts
            if not (a.task == "stop" and a.node == dest)]


def _multiply_active_move(change: Change) -> Change:
    """A multiply active resource (``stop_unexpected``) that moves: its stop where it runs is
    "for being multiply active", and the summary line names it."""
    if change.change in ("Move", "Recover") and "->" in change.details and not change.reason:
        return replace(change, reason="due to being multiply active")
    if change.change == "Stop":  # placed somewhere but its start cannot run (no quorum, ...)
        return replace(change, reason="due to being multiply active")
    return change


def _orphan_order(tree: ResourceTree, orphans: dict[str, dict[Any, Any]], status: ClusterStatus) -> list[tuple[str, dict[Any, Any]]]:
    """Orphans as Pacemaker lists them: extra instances of a configured clone first (they belong
    to the clone; by instance number, then member order), then resources no longer configured in
    the order Pacemaker first meets their history (cluster nodes' status entries first, then the
    remote and guest nodes'; a probe counts)."""
    member_index = {base: i for top in tree.tops if top.kind == "clone" for i, base in enumerate(_clone_bases(top))}

    def instance_key(rsc_id: str) -> tuple[int, int]:
        base, _, number = rsc_id.rpartition(":")
        return int(number), member_index[base]

    in_clones = [r for r in orphans if _anonymous_clone_of(tree, r) is not None]
    seen: dict[str, int] = {}
    for node in sorted(status.nodes.values(), key=lambda n: n.state_index):
        for rsc_id in node.resources:
            seen.setdefault(rsc_id, len(seen))
    rest = sorted((r for r in orphans if r not in in_clones), key=lambda r: seen.get(r, len(seen)))
    return [(r, orphans[r]) for r in sorted(in_clones, key=instance_key) + rest]


def _apply_node_health(tree: ResourceTree, cons, props: dict[str, str],  # type: ignore[no-untyped-def]
                       attrs: dict[str, dict[str, str]]) -> None:
    """Node health as a location score for every resource (see ``crmsh_py.engine.node_health``)."""
    for node, node_attrs in attrs.items():
        health = node_health.node_score(props, node_attrs)
        if health == 0:
            continue
        for top in tree.tops:
            leaves = [l for u in top.units[:1] for l in u.leaves]
            meta = top.meta if top.kind != "primitive" or not leaves else leaves[0].meta
            if health < 0 and is_true(meta.get("allow-unhealthy-nodes")):
                continue
            table = cons.location.setdefault(top.id, {})
            table[node] = scores.add(table.get(node, 0), health)


def _placement_input(tree: ResourceTree, states: dict[str, LeafState], status: ClusterStatus,
                     props: dict[str, str], attrs: dict[str, dict[str, str]], decision: fencing.FenceDecision,
                     stuck: set[str], maintenance: bool, lost_quorum: bool, quorum_policy: str) -> PlacementInput:
    standby_nodes = {n for n, s in status.nodes.items() if s.standby}
    for leaf in tree.leaves:
        for node, s in states[leaf.id].on.items():
            if s.failed is not None and s.on_fail == "standby":
                standby_nodes.add(node)
    available = {n for n, s in status.nodes.items()
                 if decision.conditions[n].can_run and not s.maintenance and n not in standby_nodes}
    inp = PlacementInput(
        nodes=list(status.nodes), available=available,
        strategy=_prop(props, "placement-strategy", "default").lower(),
        symmetric=is_true(_prop(props, "symmetric-cluster", "true")),
        node_attrs=attrs)
    stop_all = is_true(_prop(props, "stop-all-resources", "false"))
    for leaf in tree.leaves:
        st = states[leaf.id]
        active = st.active_nodes
        current = active[0] if active else None
        # the id the instance's history is recorded under (Pacemaker's clone_name): where it is
        # active first, then wherever else it has history
        known_as = [s.history_id for n, s in sorted(st.on.items(), key=lambda kv: kv[0] not in active)
                    if s.history_id and s.history_id != leaf.id]
        if known_as:
            inp.history_name[leaf.id] = known_as[0]
        if current is not None:
            inp.current[leaf.id] = current
            inp.current_role[leaf.id] = st.role_on(current)
        if len(active) > 1:
            inp.multiply_active.add(leaf.id)
        target = leaf.meta.get("target-role", "Started").lower()
        failed = [s for s in st.on.values() if s.failed is not None]
        unmanaged = (maintenance or not is_true(leaf.meta.get("is-managed", "true"))
                     or is_true(leaf.meta.get("maintenance", "false"))
                     or any(status.nodes[n].maintenance for n in active)
                     or any(s.on_fail == "block" or s.failed_stop for s in failed)
                     or (leaf.id in stuck and not (lost_quorum and quorum_policy == "stop")))
        multiple = leaf.meta.get("multiple-active", "stop_start").lower() if len(active) > 1 else ""
        if unmanaged or multiple == "block":  # multiple-active=block: left alone, blocked
            inp.fixed[leaf.id] = current
        if target == "stopped" or stop_all or any(s.on_fail == "stop" for s in failed) or multiple == "stop_only":
            inp.disabled.add(leaf.id)
            inp.stopped_when_assigned.add(leaf.id)
        demoted = any(s.on_fail == "demote" and s.role == PROMOTED for s in failed)  # on-fail=demote
        # Without quorum, "freeze" keeps every instance in the role it has ("demote": see plan())
        capped = lost_quorum and quorum_policy == "freeze" and inp.current_role.get(leaf.id) != PROMOTED
        if target in ("unpromoted", "slave") or capped or demoted:
            inp.no_promote.add(leaf.id)
        _bans(leaf, st, status, inp)
    return inp


def _bans(leaf: Leaf, st: LeafState, status: ClusterStatus, inp: PlacementInput) -> None:
    threshold_text = leaf.meta.get("migration-threshold", "INFINITY")
    try:
        threshold = scores.score_value(threshold_text)
    except ValueError:
        threshold = scores.INFINITY
    timeout_s = duration_ms(leaf.meta.get("failure-timeout"), 0) // 1000
    for name in st.banned:
        inp.banned.add((leaf.id, name))
    if threshold <= 0:
        return
    for name, node in status.nodes.items():
        if node.transient_attributes and fail_count(node, leaf, status.now, timeout_s, status.legacy_fail_counts) >= threshold:
            inp.banned.add((leaf.id, name))
