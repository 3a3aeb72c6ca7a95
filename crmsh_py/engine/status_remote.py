"""Pacemaker Remote nodes, guest nodes and bundle replicas as the status view resolves them.

Pacemaker derives these nodes from the resource configuration, not from ``<nodes>``:

- a **remote node** is an ``ocf:pacemaker:remote`` primitive; the node has the primitive's id and is
  online while that connection resource runs (and has not failed);
- a **guest node** is named by a primitive's ``remote-node`` meta attribute; its connection is an
  implicit ``ocf:pacemaker:remote`` resource of the same name (history only, never configured), and
  the node is online while both its container (the primitive) and the connection run;
- a **bundle** with a primitive inside has one guest node per replica, ``BUNDLE-N``, whose
  container is ``BUNDLE-docker-N`` (``podman``/``rkt`` likewise).

Offline guest nodes are not listed; offline remote nodes are (``RemoteOFFLINE``).  How the XML
defines these nodes is read by :mod:`crmsh_py.cib.remote_xml`; how a bundle is printed is
:mod:`crmsh_py.render.mon_remote`'s.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib.remote_xml import RemoteDef, is_remote_agent, remote_defs

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any


def _role_anywhere(ops: list[Any], rsc: str, fold) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
    """(runs somewhere, failed somewhere) for one resource's history across nodes."""
    by_node: dict[str, list[Any]] = {}
    for op in ops:
        if op.rsc == rsc:
            by_node.setdefault(op.node, []).append(op)
    running = failed = False
    for history in by_node.values():
        role, bad = fold(sorted(history, key=lambda o: o.call_id))
        running |= role is not None
        failed |= bad and role is not None
    return running, failed


def _hosts(ops: list[Any], rsc: str, fold) -> list[str]:  # type: ignore[no-untyped-def]
    """The nodes where one resource's history shows it running."""
    by_node: dict[str, list[Any]] = {}
    for op in ops:
        if op.rsc == rsc:
            by_node.setdefault(op.node, []).append(op)
    return [node for node, history in by_node.items()
            if fold(sorted(history, key=lambda o: o.call_id))[0] is not None]


def _connection_lost(ops: list[Any], rsc: str) -> bool:
    """A connection whose last result failed outside a start or a probe: the node must be reset."""
    last: dict[str, object] = {}
    for op in sorted((o for o in ops if o.rsc == rsc), key=lambda o: o.call_id):
        last[op.node] = op
    return any(o.failed and not (o.task == "start" or (o.task == "monitor" and o.interval_ms == 0))  # type: ignore[attr-defined]
               for o in last.values())


def _as_remote(view, kind: str) -> None:  # type: ignore[no-untyped-def]
    """A remote or guest node has no membership of its own (its connection decides): clear what a
    cluster node's ``node_state`` would have said."""
    view.kind = kind
    view.online = view.unclean = view.pending = view.shutdown = False


def reset_guests(nodes: list, resources: list, stonith: bool) -> None:  # type: ignore[type-arg]
    """Guests Pacemaker must reset, and what that means for the display (call once the nodes'
    cleanliness is known): a guest whose container runs on a lost host (down and unclean) is down
    too; with fencing enabled, a guest that is down while resources are still recorded active on
    it, or where something failed with ``on-fail=fence``, is reset by recovering its container.
    What it runs counts as failed, and so does its container."""
    lost = {n.name for n in nodes if n.unclean and not n.online}
    prims = [p for res in resources for p in res.primitives()]
    busy = {n for p in prims if p.managed for n in p.running}
    fence_asked = {n for p in prims for n in p.failed_on
                   if any(v.lower() == "fence" for v in p.on_fail.values())}
    reset = set()
    for node in nodes:
        if node.kind != "guest":
            continue
        if node.online and any(h in lost for h in node.container_hosts):
            node.online = False
            node.reset = True
        elif stonith and ((not node.online and node.name in busy) or node.name in fence_asked):
            node.reset = True
        if node.reset:
            reset.add(node.name)
    containers = {n.container for n in nodes if n.name in reset and n.container}
    down = {n.name for n in nodes if n.name in reset and not n.online}  # a guest still up keeps its resources
    for prim in prims:
        if prim.managed:
            prim.failed_on.update(n for n in prim.running if n in down)
        if prim.id in containers:
            prim.failed_on.update(prim.running)
            prim.failed_stopped = not prim.running
    # a clone's instance recorded on such a guest that is down is not shown (nor the guest listed
    # among the clone's stopped nodes)
    for res in resources:
        for inst in getattr(res, "instances", []):
            for per_node in inst.running.values():
                for name in [n for n in per_node if n in down]:
                    del per_node[name]


def _reconnecting(root: ET.Element) -> set[str]:
    """Ids of remote connections configured with ``reconnect_interval``."""
    out = set()
    # every primitive at any depth, walked here: a "resources//primitive" query loads re (5 ms)
    for resources in root.iterfind("configuration/resources"):
        for x in resources.iter("primitive"):
            if is_remote_agent(x) and any(nv.get("name") == "reconnect_interval"
                                          and nv.get("value") not in (None, "", "0")
                                          for nv in x.iterfind("instance_attributes/nvpair")):
                out.add(x.get("id", ""))
    return out


def _lost_since_start(ops: list[Any], rsc: str) -> bool:
    """Whether the connection's history on some node has a failure after its last start that drops
    an active connection (not a start, not a probe)."""
    by_node: dict[str, list[Any]] = {}
    for op in ops:
        if op.rsc == rsc:
            by_node.setdefault(op.node, []).append(op)
    for history in by_node.values():
        history.sort(key=lambda o: o.call_id)
        starts = [i for i, o in enumerate(history) if o.task == "start" and not o.failed]
        since = history[starts[-1]:] if starts else history
        if any(o.failed and not (o.task == "start" or (o.task == "monitor" and o.interval_ms == 0)) for o in since):
            return True
    return False


def held_remote_failures(root: ET.Element, nodes: list, resources: list, ops: list,  # type: ignore[type-arg]
                         stonith: bool) -> None:
    """A remote connection with ``reconnect_interval`` that was lost keeps its failure after it
    stopped (Pacemaker clears it only once the node is fenced and the interval has passed): the
    connection shows FAILED and, with fencing enabled, its node UNCLEAN until it is fenced."""
    held = {rsc for rsc in _reconnecting(root) if _lost_since_start(ops, rsc)}
    if not held:
        return
    for res in resources:
        for prim in res.primitives():
            if prim.id in held and not prim.running:
                prim.failed_stopped = True
    # fenced since (node_fenced records when): the node is down and clean
    fenced = {st.get("uname") or st.get("id") for st in root.iterfind("status/node_state")
              if st.get("node_fenced") not in (None, "", "0")}
    for node in nodes:
        if node.kind == "remote" and node.name in held and not node.online and stonith and node.name not in fenced:
            node.unclean = True


def remote_node_views(root: ET.Element, cluster: list[Any], ops: list[Any], stonith: bool, node_view,  # type: ignore[no-untyped-def]
                      fold) -> list[Any]:
    """NodeViews (``kind`` remote/guest) for the nodes the resources define, online as Pacemaker
    decides from their connection (and container) history; ``node_view`` builds one view."""
    known = {n.name: n for n in cluster}
    states = {s.get("uname") or s.get("id"): s for s in root.findall("status/node_state")}
    out = []
    # <node type="remote"> entries are remote nodes even when no connection defines them (offline)
    for x in root.findall("configuration/nodes/node"):
        name = x.get("uname") or x.get("id", "")
        if x.get("type") == "remote" and name in known:
            _as_remote(known[name], "remote")
    defs = remote_defs(root.find("configuration/resources"))
    # a remote node whose connection is no longer configured (an orphan) is still a remote node
    defined = {r.name for r in defs}
    with_history = {op.rsc for op in ops}
    # an orphaned guest connection still names its container in its history: a guest, not a remote node
    containers = {lr.get("id", ""): lr.get("container") for lr in root.iter("lrm_resource") if lr.get("container")}
    orphans = [RemoteDef(name, "guest" if containers.get(name) else "remote", name, containers.get(name))
               for name, st in states.items()
               if name and st.get("remote_node") == "true" and name not in defined and name in with_history]
    for rdef in defs + orphans:
        view = known.get(rdef.name)
        if view is None:
            view = node_view(rdef.name)
            view.orphan = rdef in orphans
            out.append(view)
        _as_remote(view, rdef.kind)
        view.bundle = rdef.bundle
        view.container = rdef.container
        running, failed = _role_anywhere(ops, rdef.connection, fold)
        view.online = running and not failed
        if rdef.container is not None:
            c_running, c_failed = _role_anywhere(ops, rdef.container, fold)
            view.online = view.online and c_running and not c_failed
            view.container_hosts = _hosts(ops, rdef.container, fold)
        elif failed and stonith and _connection_lost(ops, rdef.connection):
            view.unclean = True
        state = states.get(rdef.name)
        if state is not None:
            for nv in state.findall("transient_attributes/instance_attributes/nvpair"):
                if nv.get("name"):
                    view.transient[nv.get("name", "")] = nv.get("value", "")
        merged = {**view.attributes, **view.transient}
        view.standby = (merged.get("standby") or "").lower() in ("true", "yes", "on", "1", "y")
        view.maintenance = (merged.get("maintenance") or "").lower() in ("true", "yes", "on", "1", "y")
        view.attributes = merged
    return out






def connection_maintenance(root: ET.Element, nodes: list[Any], resources: list[Any], maintenance_mode: bool,  # type: ignore[no-untyped-def]
                           ops: list[Any], stonith: bool, fold) -> None:
    """A remote or guest node whose connection is unmanaged is in maintenance (Pacemaker:
    "RemoteNode NAME: maintenance") when Pacemaker reads its status entry: once its connection
    (and a guest's container) runs, or, with fencing enabled, in its last pass over every node.
    The connection of a bundle replica is the bundle's child (it inherits the bundle's meta); a
    guest's implicit connection takes only the container's own ``is-managed``."""
    with_state = {s.get("uname") or s.get("id") for s in root.findall("status/node_state")}
    by_id = {r.id: r for top in resources for r in _walk(top)}
    for node in nodes:
        if node.kind == "cluster" or node.name not in with_state:
            continue
        if not stonith and not (_role_anywhere(ops, node.name, fold)[0] and (
                node.container is None or _role_anywhere(ops, node.container, fold)[0])):
            continue  # its status entry is never read
        if node.bundle is not None:
            owner = by_id.get(node.bundle)
            unmanaged = owner is not None and not owner.managed
        elif node.container is not None:
            owner = by_id.get(node.container)
            unmanaged = owner is not None and owner.meta.get("is-managed", "true").lower() in FALSE_WORDS
        else:
            owner = by_id.get(node.name)
            unmanaged = owner is not None and not owner.managed
        # a connection running on a cluster node in maintenance is unmanaged too (a guest's and a
        # bundle replica's implicit connection alike: it runs where the container runs)
        hosts_in_maintenance = {n.name for n in nodes if n.kind == "cluster" and n.maintenance}
        if hosts_in_maintenance:
            unmanaged = unmanaged or any(fold(sorted(h, key=lambda o: o.call_id))[0] is not None
                                         for host, h in _by_node(ops, node.name).items()
                                         if host in hosts_in_maintenance)
        if unmanaged or (maintenance_mode and owner is not None):
            node.maintenance = True


def _by_node(ops: list[Any], rsc: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for op in ops:
        if op.rsc == rsc:
            out.setdefault(op.node, []).append(op)
    return out


FALSE_WORDS = ("false", "no", "off", "0", "n")


def _walk(resource: Any) -> list[Any]:
    return [resource, *(r for child in resource.children for r in _walk(child))]


def history(ops: list[Any], rsc: str, fold) -> tuple[list[str], bool, str | None]:  # type: ignore[no-untyped-def]
    """(nodes it runs on, failed, role) of one resource from its history across nodes."""
    by_node: dict[str, list[Any]] = {}
    for op in ops:
        if op.rsc == rsc:
            by_node.setdefault(op.node, []).append(op)
    nodes, failed, role = [], False, None
    for node, history in by_node.items():
        r, bad = fold(sorted(history, key=lambda o: o.call_id))
        if r is not None:
            nodes.append(node)
            role = role or r
            failed |= bad
    return nodes, failed, role
