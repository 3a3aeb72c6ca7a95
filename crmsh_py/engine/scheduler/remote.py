"""Pacemaker Remote nodes and guest nodes in the scheduler (Pacemaker 2.1 semantics).

- A **remote node** is defined by an ``ocf:pacemaker:remote`` primitive (the node has its id).
- A **guest node** is named by the ``remote-node`` meta attribute of a primitive (the container,
  e.g. a VM).  Pacemaker adds an implicit connection resource of that name (``ocf:pacemaker:remote``,
  ``container=VM``), placed after every configured resource, colocated with the container
  (INFINITY) and started after it.
- A resource with ``container=X`` meta (a "filler") runs with X and starts after it.

State (online, fencing, guest resets) is decided in :mod:`remote_state`.

Placement: connections are placed first; a remote or guest node can host resources in this
transition only when its connection is placed (so a connection that starts now brings its node
online); connections, stonith devices and guest containers never run on remote or guest nodes.
"""

from __future__ import annotations

from crmsh_py.cib import scores
from crmsh_py.cib.node_order import natural_key
from crmsh_py.cib.model import Agent, Bundle, Configuration, Primitive
from crmsh_py.engine.scheduler.bundles import (add_orders, bundle_settings, implicit_primitive, monitor_op,
                                               pin_children)
from crmsh_py.engine.scheduler.container_failures import container_bans
from crmsh_py.engine.scheduler.placement import PlacementInput
from crmsh_py.engine.scheduler.constraints import ColocationPair, Constraints, OrderPair
from crmsh_py.engine.scheduler.resources import (Leaf, ResourceTree, Top, Unit, cluster_options, duration_ms,
                                                 is_true, nvpairs)
from crmsh_py.engine.scheduler.state import STOPPED, LeafState, fail_count
from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord
from crmsh_py.records import field, record, replace

REMOTE_AGENT = ("ocf", "pacemaker", "remote")
UNRECOVERABLE = "remote connection is unrecoverable"
GUEST_UNCLEAN = "guest is unclean"


@record(frozen=True)
class RemoteNode:
    """One remote or guest node: its connection leaf and (guests) its container leaf."""

    name: str
    kind: str  # "remote" or "guest"
    connection: str
    container: str | None = None
    bundle: str | None = None  # bundle replicas: the bundle's id
    orphan: bool = False  # its connection is no longer configured (history only)


@record
class Remotes:
    """The remote and guest nodes of a configuration, and container relations."""

    nodes: dict[str, RemoteNode] = field(default_factory=dict)
    fillers: dict[str, str] = field(default_factory=dict)  # leaf id -> container id ("container" meta)
    fence: dict[str, str] = field(default_factory=dict)  # remote node -> fencing reason
    guest_resets: list[tuple[str, str]] = field(default_factory=list)  # (guest, container)
    unclean: set[str] = field(default_factory=set)  # remote nodes that cannot host anything now
    # remote node -> (node its connection ran on, whether it failed), read before any fencing
    connection_was: dict[str, tuple[str, bool]] = field(default_factory=dict)
    was_online: set[str] = field(default_factory=set)  # remote nodes up before this transition
    failed_containers: set[str] = field(default_factory=set)  # reset guests' containers to recover
    reset_hosts: dict[str, list[str]] = field(default_factory=dict)  # reset guest -> its container's hosts

    @property
    def connections(self) -> dict[str, str]:
        """Node name -> connection leaf id."""
        return {n.name: n.connection for n in self.nodes.values()}


def _is_remote_agent(prim: Primitive) -> bool:
    agent = prim.agent
    return agent is not None and (agent.ra_class, agent.provider, agent.ra_type) == REMOTE_AGENT


def node_names(cfg: Configuration) -> list[str]:
    """Names of the remote and guest nodes the configuration defines (for counting nodes)."""
    out: list[str] = []
    for element in cfg.elements:
        if isinstance(element, Bundle) and element.primitive:
            _, attrs, network = bundle_settings(element)
            if network.get("control-port") or network.get("ip-range-start"):
                promoted = int(attrs.get("promoted-max") or 0) if (attrs.get("promoted-max") or "0").isdigit() else 0
                count = int(attrs["replicas"]) if attrs.get("replicas", "").isdigit() else max(promoted, 1)
                out.extend(f"{element.id}-{i}" for i in range(count))
        if isinstance(element, Primitive) and not element.template:
            if _is_remote_agent(element):
                out.append(element.id)
            else:
                guest = nvpairs(element.attr_sets, "meta").get("remote-node")
                if guest:
                    out.append(guest)
    return out


def _add_top(tree: ResourceTree, leaf: Leaf) -> None:
    leaf.index = len(tree.leaves)
    tree.leaves.append(leaf)
    tree.leaf_by_id[leaf.id] = leaf
    tree.leaves_by_top.setdefault(leaf.id, []).append(leaf.id)
    tree.top_of[leaf.id] = leaf.id
    tree.members_of.setdefault(leaf.id, []).append(leaf.id)
    tree.tops.append(Top(leaf.id, "primitive", {}, units=[Unit(leaf.id, [leaf], leaf.id)], index=len(tree.tops)))


def expand(cfg: Configuration, tree: ResourceTree) -> Remotes:
    """Find remote and guest nodes; add each guest's implicit connection resource to ``tree``."""
    remotes = Remotes()
    defaults = cluster_options(cfg, "rsc_defaults")
    bundle_of = {conn: info.id for info in tree.bundles for conn in info.connections if conn}
    for leaf in list(tree.leaves):
        if leaf.instance is None and _is_remote_agent(leaf.prim):
            if leaf.meta.get("container"):  # a bundle replica's connection
                remotes.nodes.setdefault(leaf.id, RemoteNode(leaf.id, "guest", leaf.id, leaf.meta["container"],
                                                             bundle_of.get(leaf.id)))
            else:
                remotes.nodes.setdefault(leaf.id, RemoteNode(leaf.id, "remote", leaf.id))
                # remote connections may move live unless told otherwise (Pacemaker's default)
                leaf.meta.setdefault("allow-migrate", "true")
            continue
        guest = leaf.meta.get("remote-node")
        if guest and leaf.instance is None and guest not in tree.leaf_by_id:
            # the parameters Pacemaker gives a guest's connection: only what the meta attributes set
            prim = implicit_primitive(guest, Agent("ocf", "remote", "pacemaker"),
                                      {k: leaf.meta[m] for k, m in (("addr", "remote-addr"), ("port", "remote-port"))
                                       if m in leaf.meta})
            meta = dict(defaults)
            meta["container"] = leaf.id
            # what Pacemaker copies from the container's meta onto the implicit connection
            for src, dst in (("remote-allow-migrate", "allow-migrate"), ("is-managed", "is-managed")):
                if src in leaf.meta:
                    meta[dst] = leaf.meta[src]
            _add_top(tree, Leaf(guest, guest, guest, prim, meta, monitor_op("30s", "30s"), {}))
            remotes.nodes.setdefault(guest, RemoteNode(guest, "guest", guest, leaf.id))
        container = leaf.meta.get("container")
        if container and container != leaf.id and not leaf.meta.get("remote-node"):
            remotes.fillers[leaf.id] = container
    for node in remotes.nodes.values():
        if node.container is not None:
            remotes.fillers[node.connection] = node.container
    return remotes


def add_orphans(remotes: Remotes, tree: ResourceTree, status: ClusterStatus) -> None:
    """Remote nodes whose ``ocf:pacemaker:remote`` connection is gone from the configuration but
    still has history (Pacemaker keeps such a connection as an orphan, and its node with it)."""
    for node in status.nodes.values():
        for rsc_id, history in node.resources.items():
            if (history.ra_class, history.provider, history.ra_type) != REMOTE_AGENT:
                continue
            if rsc_id in tree.leaf_by_id or rsc_id in remotes.nodes or rsc_id not in status.nodes:
                continue
            remotes.nodes[rsc_id] = RemoteNode(rsc_id, "remote", rsc_id, orphan=True)


def with_nodes(status: ClusterStatus, remotes: Remotes, recorded: list[str] | None = None) -> ClusterStatus:
    """A copy of ``status`` with a (so far offline) entry for every remote and guest node.  Remote
    and guest nodes come after the cluster nodes, in ``recorded`` (status section) order: Pacemaker
    reads their history only once their connections are known, which numbers anonymous clone
    instances there last."""
    order = [n for n in status.nodes if n not in remotes.nodes]
    order += sorted((n for n in status.nodes if n in remotes.nodes), key=lambda n: status.nodes[n].state_index)
    nodes = {name: replace(status.nodes[name]) for name in order}
    for index, name in enumerate(reading_order(status, remotes, recorded or [])):
        nodes[name].state_index = index
    for name in remotes.nodes:
        if name not in nodes:
            nodes[name] = NodeStatus(name=name, node_id=name, online=False)
        # A remote node's membership is its connection's state (see resolve), not a node_state's
        # in_ccm/crmd/join: the node conditions read the flags set here instead.
        nodes[name].unclean = False
        nodes[name].online = False
        nodes[name].state_attrs = {}
        nodes[name].seen = True
    return replace(status, nodes=nodes)


def unmanaged_connection_maintenance(status: ClusterStatus, remotes: Remotes, tree: ResourceTree,
                                     with_state: set[str], maintenance_mode: bool, stonith: bool) -> None:
    """A remote or guest node whose connection is unmanaged (is-managed=false or maintenance, its
    own or inherited, maintenance-mode, or running on a cluster node in maintenance) is in
    maintenance, as Pacemaker decides when it reads the node's status entry (``with_state``): in a
    pass once its connection (and container) is known to run, or, with fencing enabled, in the
    last pass over every node.  What runs there is left alone."""
    read = set(read_in_passes(status, remotes, [])) if not stonith else set(status.nodes)
    for name, node in remotes.nodes.items():
        leaf = tree.leaf_by_id.get(node.connection)
        if leaf is None or name not in with_state or name not in read:
            continue
        on_maintenance_node = any(host.maintenance and host_name not in remotes.nodes
                                  and _active_here(host.resources.get(node.connection))
                                  for host_name, host in status.nodes.items())
        if maintenance_mode or not is_true(leaf.meta.get("is-managed", "true")) \
                or is_true(leaf.meta.get("maintenance", "false")) or on_maintenance_node:
            status.nodes[name].maintenance = True


def _active_here(history: object) -> bool:
    ops = getattr(history, "ops", None)
    if not ops:
        return False
    last = max(ops, key=lambda o: o.call_id)
    return (last.task in ("start", "promote", "demote", "migrate_from") and last.rc == 0) or \
        (last.task == "monitor" and last.rc in (0, 8))


def reading_order(status: ClusterStatus, remotes: Remotes, recorded: list[str]) -> list[str]:
    """The order Pacemaker reads the nodes' histories in (it numbers anonymous clone instances):
    passes over the status section, each taking the cluster nodes and the remote and guest nodes
    whose connection (and container) are by then known to run; then, last, the nodes left."""
    done = read_in_passes(status, remotes, recorded)
    position = {name: i for i, name in enumerate(recorded)}
    xml_order = sorted(status.nodes, key=lambda n: (status.nodes[n].state_index, position.get(n, len(position))))
    return done + [n for n in xml_order if n not in done]


def read_in_passes(status: ClusterStatus, remotes: Remotes, recorded: list[str]) -> list[str]:
    """The nodes whose histories Pacemaker reads in its passes over the status section (before
    the last pass that, with fencing enabled, takes the nodes left), in reading order."""
    position = {name: i for i, name in enumerate(recorded)}
    xml_order = sorted(status.nodes, key=lambda n: (status.nodes[n].state_index, position.get(n, len(position))))
    running: set[str] = set()
    done: list[str] = []
    for _ in range(len(xml_order) + 1):
        progressed = False
        for name in xml_order:
            if name in done:
                continue
            node = remotes.nodes.get(name)
            if node is not None and (node.connection not in running
                                     or (node.container is not None and node.container not in running)):
                continue
            done.append(name)
            progressed = True
            running.update(rsc for rsc, history in status.nodes[name].resources.items() if _active_here(history))
        if not progressed:
            break
    return done


def add_constraints(remotes: Remotes, tree: ResourceTree, cons: Constraints, nodes: list[str]) -> None:
    """Implicit constraints: fillers and guest connections with their container; connections,
    stonith devices and guest containers kept off remote and guest nodes."""
    inf = scores.INFINITY
    add_orders(tree.bundles, cons)
    for rid, container in remotes.fillers.items():
        if container not in tree.top_of:
            continue
        target = remotes.nodes.get(container)
        if target is not None and target.kind == "remote":
            # container=REMOTE-CONNECTION: run on that remote node itself
            for n in nodes:
                if n != target.name:
                    _ban(cons, rid, n)
            continue
        cons.colocations.append(ColocationPair(rid, container, inf))
        cons.orders.append(OrderPair(container, rid))
    avoiders = [n.connection for n in remotes.nodes.values() if not n.bundle]
    # guests may not nest in remote nodes; bundles may
    avoiders += [n.container for n in remotes.nodes.values() if n.container and not n.bundle]
    avoiders += [l.base for l in tree.leaves if l.is_stonith]
    for rid in dict.fromkeys(avoiders):
        for name in remotes.nodes:
            _ban(cons, rid, name)
    # a bundle's guest nodes run nothing but the bundle's own primitive
    children = {info.child_base for info in tree.bundles}
    child_tops = {tree.top_of[c] for c in children if c in tree.top_of}
    bundle_nodes = [n.name for n in remotes.nodes.values() if n.bundle]
    for base in dict.fromkeys(l.base for l in tree.leaves if l.base not in children):
        for name in bundle_nodes:
            _ban(cons, base, name)
    for top in tree.tops:
        if top.kind in ("clone", "group") and top.id not in child_tops:
            for name in bundle_nodes:
                _ban(cons, top.id, name)


def _ban(cons: Constraints, rid: str, node: str) -> None:
    cons.location.setdefault(rid, {})[node] = -scores.INFINITY


def placement_hooks(remotes: Remotes, tree: ResourceTree, inp: PlacementInput, status: ClusterStatus,
                    states: dict[str, LeafState]) -> None:
    """Connections first; a remote node needs its connection placed; bundle instances pinned; a
    connection with ``reconnect_interval`` stays stopped while its last failure is that recent."""
    for node in remotes.nodes.values():
        leaf = tree.leaf_by_id.get(node.connection)
        if leaf is None or node.kind != "remote":
            continue
        interval = duration_ms(nvpairs(leaf.prim.attr_sets, "params").get("reconnect_interval"), 0) // 1000
        # A lost connection whose node gets fenced keeps its failure until the fencing is done
        # (Pacemaker waits for it before expiring the failure): with reconnect_interval it stays down.
        if interval > 0 and (node.name in remotes.fence or
                             any(fail_count(ns, leaf, status.now, interval, status.legacy_fail_counts) > 0 for ns in status.nodes.values())):
            inp.disabled.add(leaf.id)
    inp.remote_conn = remotes.connections
    for node in remotes.nodes.values():
        if node.container is not None:
            hosts = states[node.container].active_nodes if node.container in states else []
            inp.attr_host[node.name] = hosts[0] if hosts else None
            inp.guest_container[node.name] = node.container
    # top-level connections go first (a guest's pulls its container along); a bundle's are inside it
    inp.place_first = {tree.top_of[n.connection] for n in remotes.nodes.values()
                       if n.connection in tree.top_of and n.bundle is None}
    pin_children(tree.bundles, inp.nodes, inp.banned)
    bundled = {c for info in tree.bundles for c in info.containers}
    inp.banned |= container_bans(tree, remotes.fillers, bundled, status)
    for info in tree.bundles:
        for conn, container in zip(info.connections, info.containers):
            if conn is not None:
                inp.detached[conn] = container


def container_restarts(remotes: Remotes, tree: ResourceTree, states: dict[str, LeafState],
                       dest: dict[str, str | None], restart: set[str],
                       fixed: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """Restarts a guest's container forces: when the container stops and starts again (moves,
    recovers, restarts), its connection and everything on the guest restart with it.  Adds them to
    ``restart`` and returns each one's reason ('due to required CONTAINER start')."""
    reasons: dict[str, str] = {}

    def disrupted(leaf_id: str) -> bool:
        if leaf_id in fixed:
            return False  # an unmanaged container is left as it is: nothing on it restarts
        active = [(node, s) for node, s in states[leaf_id].on.items() if s.role != STOPPED]
        if leaf_id in restart or any(s.failed is not None for _, s in active):
            return True
        moving = any(node != dest.get(leaf_id) for node, _ in active)
        # a container that migrates live keeps its guest (and what runs there) up
        migrates = len(active) == 1 and dest.get(leaf_id) is not None and \
            is_true(tree.leaf_by_id[leaf_id].meta.get("allow-migrate", "false"))
        return moving and not migrates

    guests = {n.connection for n in remotes.nodes.values()}
    # A filler failing with the default policy restarts its container ("restart-container").
    for filler, container in remotes.fillers.items():
        if filler in guests or container not in states or filler not in states:
            continue
        for where, st in states[filler].on.items():
            if st.failed is not None and _default_on_fail(tree.leaf_by_id[filler], st.failed) \
                    and states[container].role_on(where) != STOPPED and dest.get(container) == where \
                    and container not in fixed:
                restart.add(container)
    for filler, container in remotes.fillers.items():
        if filler in guests or container not in states or filler not in states or not disrupted(container):
            continue
        where = [n for n, st in states[filler].on.items() if st.role != STOPPED and st.failed is None]  # type: ignore[assignment]
        if where and dest.get(filler) == where[0]:
            restart.add(filler)
            reasons[filler] = f"due to required {container} start"
    reset = {container for _, container in remotes.guest_resets}
    for node in remotes.nodes.values():
        if node.container is None or node.container not in states or \
                not (disrupted(node.container) or node.container in reset):
            continue
        reason = f"due to required {node.container} start"
        for leaf in tree.leaves:
            if leaf.id == node.container:
                continue
            if leaf.id == node.connection:
                where = [n for n, st in states[leaf.id].on.items() if st.role != STOPPED and st.failed is None]  # type: ignore[assignment]
            else:
                st = states[leaf.id].on.get(node.name)  # type: ignore[assignment]
                where = [node.name] if st is not None and st.role != STOPPED and st.failed is None else []  # type: ignore[assignment]
            if where and dest.get(leaf.id) == where[0]:
                restart.add(leaf.id)
                reasons[leaf.id] = reason
    return reasons


def _default_on_fail(leaf: Leaf, op: OpRecord) -> bool:
    """True when the failed operation has no ``on-fail`` of its own (nor in op defaults)."""
    for definition in leaf.ops:
        if definition.name == op.task and duration_ms(definition.interval) == op.interval_ms:
            return not any(a.name == "on-fail" and a.value for a in definition.attributes)
    return True


def implicit_ids(remotes: Remotes, tree: ResourceTree) -> set[str]:
    """Guest connections (``remote-node`` meta): resources Pacemaker makes itself whose recorded
    digests are not compared with a definition of ours.  A bundle's implicit resources are: they
    carry the parameters Pacemaker generates (:mod:`bundle_params`)."""
    return set()


def mark_kinds(remotes: Remotes, attrs: dict[str, dict[str, str]]) -> None:
    """``#kind`` for rules: ``remote`` for remote nodes, ``container`` for guest and bundle nodes."""
    for node in remotes.nodes.values():
        if node.name in attrs:
            attrs[node.name]["#kind"] = "container" if node.container is not None else "remote"


def as_recovery(remotes: Remotes, leaf_id: str, change):  # type: ignore[no-untyped-def]
    """A reset guest's container that moves off a fenced host is recovered, not merely moved."""
    if change is not None and change.change == "Move" and leaf_id in remotes.failed_containers:
        change.change = "Recover"
    return change


def bundle_connections_off_remotes(remotes: Remotes, tree: ResourceTree, dest: dict[str, str | None],
                                   states: dict[str, LeafState], available: set[str]) -> None:
    """A bundle replica whose container runs on a Pacemaker Remote node keeps its connection on a
    cluster node (connections never run on remote nodes): where it runs now if it may stay there,
    else the first available cluster node."""
    cluster = sorted((n for n in available if n not in remotes.nodes), key=natural_key)
    load = {n: 0 for n in cluster}
    for node in dest.values():
        if node in load:
            load[node] += 1
    for info in tree.bundles:
        for conn, container in zip(info.connections, info.containers):
            if conn is None or dest.get(container) not in remotes.nodes:
                continue
            current = [n for n in states[conn].active_nodes if n in cluster]
            # like any placement: the node holding the fewest resources, then the first by name
            choice = current[0] if current else min(cluster, key=lambda n: load[n], default=None)
            if dest.get(conn) in load:
                load[dest[conn]] -= 1  # type: ignore[index]  # checked: in load
            dest[conn] = choice
            if choice is not None:
                load[choice] += 1
