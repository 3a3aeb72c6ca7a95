"""Remote and guest nodes' state, as Pacemaker's unpacking decides it (see :mod:`remote`).

- A remote node is online while its connection runs and has not failed; a guest also needs its
  container running and healthy.  The history of resources on a node that is not up is ignored.
- A connection that failed other than in a probe or a start, with fencing enabled, gets the remote
  node fenced ('remote connection is unrecoverable'); one that cannot be recovered while resources
  are active there likewise ('resources are active but connection is unrecoverable').
- A guest whose container failed, whose host is lost, whose connection failed, or where something
  failed with ``on-fail=fence`` is "fenced" by recovering its container ('guest is unclean'); that
  is possible only when each of the container's hosts is up or fenced.
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.bundles import assign_child_history
from crmsh_py.engine.scheduler.remote import UNRECOVERABLE, Remotes
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, is_true
from crmsh_py.engine.scheduler.state import STOPPED, LeafState
from crmsh_py.engine.status import ClusterStatus, OpRecord


def _seems_active(status: ClusterStatus, rsc_id: str) -> bool:
    """Whether the raw history shows ``rsc_id`` running on some cluster node (last op a success
    that leaves it running)."""
    for node in status.nodes.values():
        history = node.resources.get(rsc_id)
        if history is None or not history.ops:
            continue
        last = max(history.ops, key=lambda o: o.call_id)
        if last.task in ("start", "promote", "demote", "migrate_from") and last.rc == 0:
            return True
        if last.task == "monitor" and last.rc in (0, 8):
            return True
    return False


def _failed_active(state: LeafState) -> bool:
    return any(s.failed is not None and s.role != STOPPED for s in state.on.values())


def _connection_lost(state: LeafState) -> bool:
    """Failed in a way that drops an active connection: not a probe, not a start."""
    for s in state.on.values():
        op = s.failed
        if op is not None and s.role != STOPPED and op.task != "start" and not (op.task == "monitor"
                                                                                and not op.interval_ms):
            return True
    return False


def resolve(remotes: Remotes, tree: ResourceTree, states: dict[str, LeafState], status: ClusterStatus,
            stonith: bool) -> None:
    """Decide each remote and guest node's state from its connection (and container), as
    Pacemaker's unpacking does; record fencing needs in ``remotes``; forget history on nodes
    that are not up."""
    assign_child_history(tree.bundles, states)
    for node in remotes.nodes.values():
        ns = status.nodes[node.name]
        conn = states.get(node.connection, LeafState())
        # an orphaned connection still running keeps its node up until it is stopped
        up = bool(conn.active_nodes) or (node.orphan and _seems_active(status, node.connection))
        # a failure recorded on a cluster node that is down does not count (Pacemaker fences the
        # node or forgets its history): the connection just moves
        failed = any(s.failed is not None and s.role != STOPPED and (n not in status.nodes or status.nodes[n].online)
                     for n, s in conn.on.items())
        if conn.active_nodes:
            remotes.connection_was[node.name] = (conn.active_nodes[0], failed)
        if up and not failed:
            remotes.was_online.add(node.name)
        ns.online = up and not failed
        reset = False
        if node.container is not None:
            cont = states.get(node.container, LeafState())
            hosts = cont.active_nodes
            # A host that is down with the container thought active there gets fenced (when
            # fencing is enabled) or already is: either way the guest is lost with it.
            host_lost = any(not status.nodes[h].online and (status.nodes[h].unclean or stonith)
                            for h in hosts if h in status.nodes)
            # a failed container, a lost host, or a connection up while its container is not
            # running anywhere (cleaned up): the guest must be reset
            # A failed guest connection restarts its container (on-fail's default for it).
            lost = bool(hosts) and (_failed_active(cont) or host_lost or failed)
            # on-fail=fence of something on a guest that is up: reset, yet the guest stays up
            asked = bool(hosts) and not lost and _fence_asked(tree, states, node.name)
            if lost or asked or (up and not hosts):
                reset = True
            ns.online = ns.online and bool(hosts) and not reset
            if reset:
                # Fenced by recovering its container: it can host resources again in this
                # transition, so what ran there is recovered in place.
                ns.online = True
                remotes.guest_resets.append((node.name, node.container))
                remotes.reset_hosts[node.name] = list(hosts)
                hosted = False
                for leaf in tree.leaves:
                    st = states[leaf.id].on.get(node.name)
                    # what was thought active on a guest found down has failed; on a guest
                    # still up it only restarts with the container
                    if st is not None and st.role != STOPPED and st.failed is None and not asked:
                        st.failed = OpRecord("monitor", 0, 1, 0, on_node=node.name)
                        hosted = True
                # Resources thought active on the lost guest, or its own failure, make the
                # container's recovery a failure recovery (a lost host alone only moves it).
                if hosted or _failed_active(cont) or failed or asked:
                    remotes.failed_containers.add(node.container)
                    _mark_failed(states, node.container)
                continue
        elif failed and stonith:
            # The failed connection still counts as started, so the node's history is read:
            # a lost connection, or resources thought active there, get the node fenced.
            reason = UNRECOVERABLE if _connection_lost(conn) else _active_there(tree, states, status, node.name)
            if reason:
                remotes.fence[node.name] = reason
                remotes.unclean.add(node.name)
                continue
        elif not up and stonith and not _connection_can_start(tree.leaf_by_id.get(node.connection), status, remotes):
            # Never seen since the connection stopped, yet resources are recorded as active there:
            # fenced, unless the connection can come back elsewhere (then fencing is revoked).
            active = _active_there(tree, states, status, node.name)
            if active:
                remotes.fence[node.name] = active.replace(
                    " is thought to be active there",
                    " is active there (fencing will be revoked if remote connection can be re-established elsewhere)")
                remotes.unclean.add(node.name)
                continue
        if not ns.online:
            for leaf in tree.leaves:
                states[leaf.id].on.pop(node.name, None)


def _fence_asked(tree: ResourceTree, states: dict[str, LeafState], name: str) -> bool:
    """Whether something failed on guest ``name`` with ``on-fail=fence``.  Fencing a guest means
    recovering its container, so the request is taken over here: the failure becomes an ordinary
    recovery and the node itself is not fenced as a cluster node would be."""
    asked = False
    for leaf in tree.leaves:
        st = states[leaf.id].on.get(name)
        if st is not None and st.failed is not None and st.on_fail == "fence":
            st.on_fail = "restart"
            asked = True
    return asked


def fenceable_resets(remotes: Remotes, online: set[str], fenced: set[str]) -> list[tuple[str, str]]:
    """The guest resets that can be done: a guest is "fenced" by stopping its container, which
    needs each of the container's hosts up or fenced now (a host that is lost and cannot be
    fenced holds the container, and the guest with it)."""
    return [(guest, container) for guest, container in remotes.guest_resets
            if all(h in online or h in fenced for h in remotes.reset_hosts.get(guest, []))]


def held_by_unfenceable_guests(remotes: Remotes, tree: ResourceTree, states: dict[str, LeafState],
                               done: list[tuple[str, str]]) -> set[str]:
    """Leaves active on a guest that needs a reset which cannot be done (see
    :func:`fenceable_resets`): like those on an unclean node that cannot be fenced, they stay."""
    held = {guest for guest, _ in remotes.guest_resets} - {guest for guest, _ in done}
    return {leaf.id for leaf in tree.leaves
            if any(node in held and st.role != STOPPED for node, st in states[leaf.id].on.items())}


def _connection_can_start(leaf: Leaf | None, status: ClusterStatus, remotes: Remotes) -> bool:
    """Whether some cluster node could take the connection now (online, not standby)."""
    if leaf is None or leaf.meta.get("target-role", "").lower() == "stopped":
        return False
    return any(ns.online and not ns.standby and not ns.maintenance and not ns.unclean
               for name, ns in status.nodes.items() if name not in remotes.nodes)


def _active_there(tree: ResourceTree, states: dict[str, LeafState], status: ClusterStatus, name: str) -> str | None:
    """'RSC is thought to be active there' for the first resource (status order) active on ``name``."""
    for rsc_id in status.nodes[name].resources:
        for leaf_id in [rsc_id] if rsc_id in tree.leaf_by_id else tree.members_of.get(rsc_id, []):
            st = states[leaf_id].on.get(name)
            if st is not None and st.role != STOPPED and is_true(tree.leaf_by_id[leaf_id].meta.get("is-managed", "true")):
                return f"{rsc_id} is thought to be active there"
    return None


def _mark_failed(states: dict[str, LeafState], leaf_id: str) -> None:
    for node, s in states.get(leaf_id, LeafState()).on.items():
        if s.role != STOPPED and s.failed is None:
            s.failed = OpRecord("monitor", 0, 1, 0, on_node=node)


def make_available(remotes: Remotes, status: ClusterStatus, fenced: set[str]) -> None:
    """After history is settled: every remote node that is not being fenced may host resources
    (placement still requires its connection to be placed)."""
    for name in remotes.nodes:
        if name not in fenced and name not in remotes.unclean:
            status.nodes[name].online = True


RESOURCES_UNRECOVERABLE = "resources are active but connection is unrecoverable"
CONNECTION_UNRECOVERABLE = "the connection is unrecoverable"


def unrecoverable(remotes: Remotes, tree: ResourceTree, states: dict[str, LeafState],
                  dest: dict[str, str | None], lost: set[str]) -> list[tuple[str, str]]:
    """Remote nodes to fence after placement, with the reason: the connection will not run
    anywhere although it ran on a node that is lost (``lost``: fenced or unclean) or failed.  A
    node that was down already is fenced as 'the connection is unrecoverable'; one that was up,
    when resources are still active there (only fencing can stop them)."""
    out = []
    for node in remotes.nodes.values():
        if node.kind != "remote" or node.name in remotes.fence or dest.get(node.connection) is not None:
            continue
        was = remotes.connection_was.get(node.name)
        if was is None or not (was[0] in lost or was[1]):
            continue
        if node.name not in remotes.was_online:
            out.append((node.name, CONNECTION_UNRECOVERABLE))
        elif any(st.role != STOPPED and dest.get(leaf.id) != node.name
                 for leaf in tree.leaves for n, st in states[leaf.id].on.items() if n == node.name):
            out.append((node.name, RESOURCES_UNRECOVERABLE))
    return out
