"""Bundles in the scheduler: the implicit resources Pacemaker 2.1 creates for each replica.

A ``bundle B`` with a ``docker``/``podman``/``rkt`` container and ``replicas=N`` becomes, for each
replica ``i``:

- the container ``B-docker-i`` (``ocf:heartbeat:docker``; ``podman``/``rkt`` likewise);
- with ``network ip-range-start=A``: an address ``B-ip-A+i`` (``ocf:heartbeat:IPaddr2``) that runs
  with the container and starts before it;
- with a primitive inside: a guest node ``B-i`` whose connection ``B-i`` (``ocf:pacemaker:remote``)
  starts after the container and runs with it (or, when the container runs on a Pacemaker Remote
  node, on a cluster node), and the primitive's instance ``P:i``, which runs only on ``B-i``.

The replicas are placed like clone instances (``replicas-per-host``, default 1, per node), and the
primitive's instances form a clone (promotable when ``promoted-max`` is set).  In the summary a
replica's lines come as address, container, connection, instance; bundles keep their place in the
configuration order.
"""

from __future__ import annotations

from crmsh_py.cib.model import Agent, AttrSet, Bundle, NVPair, Op, Primitive
from crmsh_py.engine.scheduler.bundle_params import next_ip, read_spec, replica_params
from crmsh_py.engine.scheduler.constraints import Constraints, OrderPair
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, Top, Unit, is_true, nvpairs
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

RUNTIMES = ("docker", "podman", "rkt")


@record
class BundleInfo:
    """One expanded bundle."""

    id: str
    runtime: str
    replicas: int
    per_host: int
    containers: list[str] = field(default_factory=list)
    ips: list[str | None] = field(default_factory=list)
    connections: list[str | None] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # child instance leaf ids ("P:i")
    child_base: str | None = None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def bundle_settings(bundle: Bundle) -> tuple[str | None, dict[str, str], dict[str, str]]:
    """(runtime kind, runtime attributes, network attributes) of a bundle."""
    runtime, attrs, network = None, {}, {}
    for part in bundle.parts:
        values = {p.name: p.value or "" for p in part.attributes}
        if part.kind in RUNTIMES and runtime is None:
            runtime, attrs = part.kind, values
        elif part.kind == "network":
            network = values
    return runtime, attrs, network


def monitor_op(interval: str, timeout: str | None = None) -> list[Op]:
    """The recurring monitor Pacemaker gives an implicit resource: a connection's has a 30s timeout,
    the others none of their own (``op_defaults``, else 20s, apply)."""
    return [Op("monitor", interval, [NVPair("timeout", timeout)] if timeout else [])]


def implicit_primitive(rid: str, agent: Agent, params: dict[str, str] | None) -> Primitive:
    """An implicit resource with the parameters Pacemaker gives it (so its digests compare)."""
    sets = [AttrSet("params", [NVPair(k, v) for k, v in params.items()])] if params else []
    return Primitive(rid, agent=agent, attr_sets=sets)


def _leaf(tree: ResourceTree, rid: str, agent: Agent, top: str, meta: dict[str, str],
          prim: Primitive | None = None, clone: str | None = None, instance: int | None = None,
          promotable: bool = False, ops: list[Op] | None = None, params: dict[str, str] | None = None) -> Leaf:
    leaf = Leaf(rid, prim.id if prim is not None else rid, top, prim or implicit_primitive(rid, agent, params), meta,
                list(prim.ops) if prim is not None else list(ops or []), {}, None, clone, instance, promotable,
                len(tree.leaves))
    tree.leaves.append(leaf)
    tree.leaf_by_id[rid] = leaf
    tree.leaves_by_top.setdefault(top, []).append(rid)
    tree.top_of[rid] = top
    tree.members_of.setdefault(leaf.base, []).append(rid)
    return leaf


def add_bundle(tree: ResourceTree, bundle: Bundle, by_id: dict[Any, Any], defaults: dict[str, str]) -> BundleInfo | None:
    """Expand one bundle into ``tree`` (a replicas top, and a clone top for its primitive)."""
    runtime, attrs, network = bundle_settings(bundle)
    if runtime is None:
        return None
    own_meta = nvpairs(bundle.attr_sets, "meta")
    meta = {**defaults, **own_meta}
    promoted_max = _int(attrs.get("promoted-max", attrs.get("masters")), 0)
    replicas = _int(attrs.get("replicas"), max(promoted_max, 1))
    info = BundleInfo(bundle.id, runtime, replicas, _int(attrs.get("replicas-per-host"), 1))
    child = by_id.get(bundle.primitive or "")
    child = child if isinstance(child, Primitive) else None
    if child is not None and not network.get("ip-range-start") and network.get("control-port"):
        info.per_host = 1  # Pacemaker: a control port without addresses allows one replica per host
    # A connection (guest node) needs a way to reach the container: an address or a control port.
    has_remote = child is not None and bool(network.get("control-port") or network.get("ip-range-start"))
    top = Top(bundle.id, "clone", meta, index=len(tree.tops), clone_max=replicas,
              clone_node_max=info.per_host, child_kind="primitive", child_id=f"{bundle.id}-{runtime}")
    tree.top_of[bundle.id] = bundle.id
    clone_id = f"{bundle.id}-{'master' if promoted_max else 'clone'}"
    child_top = None
    if child is not None:
        child_meta = {**meta, **nvpairs(child.attr_sets, "meta")}
        # Pacemaker's clone of the primitive is globally unique when a host may run several replicas
        clone_meta = {**meta, "globally-unique": "true" if info.per_host > 1 else "false"}
        child_top = Top(clone_id, "clone", clone_meta, clone_max=replicas, clone_node_max=1,
                        promotable=promoted_max > 0, promoted_max=promoted_max or 1,
                        promoted_node_max=1, child_id=child.id)
        info.child_base = child.id
        tree.top_of[clone_id] = clone_id
    address = network.get("ip-range-start")
    spec = read_spec(bundle, child is not None)
    generated = replica_params(spec) if spec is not None else []
    for i in range(replicas):
        made = generated[i] if i < len(generated) else None
        leaves = []
        if address:
            ip = _leaf(tree, f"{bundle.id}-ip-{address}", Agent("ocf", "IPaddr2", "heartbeat"), bundle.id, dict(meta),
                       ops=monitor_op("60s"), params=made.ip if made else None)
            info.ips.append(ip.id)
            leaves.append(ip)
            address = next_ip(address)
        else:
            info.ips.append(None)
        container = _leaf(tree, f"{bundle.id}-{runtime}-{i}", Agent("ocf", runtime, "heartbeat"), bundle.id,
                          dict(meta), ops=monitor_op("60s"), params=made.container if made else None)
        info.containers.append(container.id)
        leaves.insert(0, container)
        if child is not None and has_remote:
            conn = _leaf(tree, f"{bundle.id}-{i}", Agent("ocf", "remote", "pacemaker"), bundle.id,
                         {**meta, "container": container.id}, ops=monitor_op("30s", "30s"),
                         params=made.connection if made else None)
            info.connections.append(conn.id)
            leaves.append(conn)
        else:
            info.connections.append(None)
        top.units.append(Unit(f"{bundle.id}:{i}", leaves, bundle.id, i))
        if child is not None and child_top is not None:
            inst = _leaf(tree, f"{child.id}:{i}", child.agent or Agent("ocf", "Dummy", "heartbeat"), clone_id,
                         child_meta, prim=child, clone=bundle.id, instance=i, promotable=promoted_max > 0)
            info.children.append(inst.id)
            child_top.units.append(Unit(inst.id, [inst], clone_id, i))
    tree.tops.append(top)
    if child_top is not None:
        child_top.index = len(tree.tops)
        tree.tops.append(child_top)
        tree.top_of[child.id] = clone_id  # type: ignore[union-attr]  # a child top has a child
    return info


def nested_ids(elements: list[Any]) -> set[str]:
    """Ids of primitives that live inside a bundle (not top-level resources)."""
    return {e.primitive for e in elements if isinstance(e, Bundle) and e.primitive}


def guest_nodes(info: BundleInfo) -> list[tuple[str, str, str]]:
    """(guest node, connection id, container id) per replica that has a connection."""
    return [(conn, conn, cont) for conn, cont in zip(info.connections, info.containers) if conn]


def add_orders(infos: list[BundleInfo], cons: Constraints) -> None:
    """Address before container before connection before the instance, per replica."""
    for info in infos:
        for i, container in enumerate(info.containers):
            chain = [info.ips[i], container, info.connections[i],
                     info.children[i] if i < len(info.children) else None]
            present: list[str] = [c for c in chain if c]
            if info.connections[i] and i < len(info.children):
                # the instance waits for its container's start itself (a start that cannot run
                # blocks it under the container's name), and for the connection
                cons.orders.append(OrderPair(container, info.children[i]))
            cons.orders.extend(OrderPair(a, b) for a, b in zip(present, present[1:]))


def pin_children(infos: list[BundleInfo], nodes: list[str], banned: set[tuple[str, str]]) -> None:
    """Each primitive instance may run only on its own replica's guest node."""
    for info in infos:
        for inst, conn in zip(info.children, info.connections):
            for node in nodes:
                if node != conn:
                    banned.add((inst, node))


def assign_child_history(infos: list[BundleInfo], states: dict[Any, Any]) -> None:
    """History of a bundle's primitive on guest node ``B-i`` belongs to instance ``P:i``."""
    for info in infos:
        if not info.children:
            continue
        found = {}
        for inst in info.children:
            for node, st in list(states[inst].on.items()):
                found[node] = st
            states[inst].on.clear()
        for inst, conn in zip(info.children, info.connections):
            if conn in found:
                states[inst].on[conn] = found[conn]


def unmanaged(bundle_meta: dict[str, str]) -> bool:
    """True when the bundle is not managed."""
    return not is_true(bundle_meta.get("is-managed", "true"))
