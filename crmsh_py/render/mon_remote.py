"""Pacemaker Remote nodes, guest nodes and bundle replicas in status displays.

Pacemaker derives these nodes from the resource configuration, not from ``<nodes>``:

- a **remote node** is an ``ocf:pacemaker:remote`` primitive; the node has the primitive's id and is
  online while that connection resource runs (and has not failed);
- a **guest node** is named by a primitive's ``remote-node`` meta attribute; its connection is an
  implicit ``ocf:pacemaker:remote`` resource of the same name (history only, never configured), and
  the node is online while both its container (the primitive) and the connection run;
- a **bundle** with a primitive inside has one guest node per replica, ``BUNDLE-N``, whose
  container is ``BUNDLE-docker-N`` (``podman``/``rkt`` likewise).

Offline guest nodes are not listed; offline remote nodes are (``RemoteOFFLINE``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass


REMOTE_AGENT = ("ocf", "pacemaker", "remote")
RUNTIMES = ("docker", "podman", "rkt")


@dataclass(frozen=True)
class RemoteDef:
    """One remote or guest node as the configuration defines it."""

    name: str
    kind: str  # "remote" or "guest"
    connection: str  # id of the connection resource (configured or implicit)
    container: str | None = None  # guest nodes: the resource that is the guest


def _meta(x: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for nv in x.findall("meta_attributes/nvpair"):
        if nv.get("name"):
            out.setdefault(nv.get("name", ""), nv.get("value", ""))
    return out


def is_remote_agent(x: ET.Element) -> bool:
    """True for an ``ocf:pacemaker:remote`` primitive."""
    return (x.get("class"), x.get("provider"), x.get("type")) == REMOTE_AGENT


def bundle_runtime(x: ET.Element) -> ET.Element | None:
    """The ``docker``/``podman``/``rkt`` element of a bundle, or None."""
    return next((c for c in x if c.tag in RUNTIMES), None)


def bundle_replicas(x: ET.Element) -> int:
    """A bundle's replica count (Pacemaker's default: promoted-max or 1)."""
    runtime = bundle_runtime(x)
    if runtime is None:
        return 0
    text = runtime.get("replicas") or runtime.get("promoted-max") or runtime.get("masters") or "1"
    try:
        return max(int(text), 0)
    except ValueError:
        return 1


def remote_defs(resources: ET.Element | None) -> list[RemoteDef]:
    """Every remote and guest node the resource section defines, in configuration order."""
    out: list[RemoteDef] = []
    if resources is None:
        return out
    for x in resources.iter():
        if x.tag == "primitive":
            if is_remote_agent(x):
                out.append(RemoteDef(x.get("id", ""), "remote", x.get("id", "")))
            else:
                guest = _meta(x).get("remote-node")
                if guest:
                    out.append(RemoteDef(guest, "guest", guest, x.get("id", "")))
        elif x.tag == "bundle":
            shape = bundle_shape(x)
            if shape is None or not shape.has_remote:
                continue
            bid = x.get("id", "")
            for i in range(shape.replicas):
                out.append(RemoteDef(f"{bid}-{i}", "guest", f"{bid}-{i}", f"{bid}-{shape.runtime}-{i}"))
    return out


def _role_anywhere(ops: list, rsc: str, fold) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
    """(runs somewhere, failed somewhere) for one resource's history across nodes."""
    by_node: dict[str, list] = {}
    for op in ops:
        if op.rsc == rsc:
            by_node.setdefault(op.node, []).append(op)
    running = failed = False
    for history in by_node.values():
        role, bad = fold(sorted(history, key=lambda o: o.call_id))
        running |= role is not None
        failed |= bad and role is not None
    return running, failed


def _connection_lost(ops: list, rsc: str) -> bool:  # type: ignore[no-untyped-def]
    """A connection whose last result failed outside a start or a probe: the node must be reset."""
    last: dict[str, object] = {}
    for op in sorted((o for o in ops if o.rsc == rsc), key=lambda o: o.call_id):
        last[op.node] = op
    return any(o.failed and not (o.task == "start" or (o.task == "monitor" and o.interval_ms == 0))  # type: ignore[attr-defined]
               for o in last.values())


def remote_node_views(root: ET.Element, cluster: list, ops: list, stonith: bool, node_view, fold) -> list:  # type: ignore[no-untyped-def]
    """NodeViews (``kind`` remote/guest) for the nodes the resources define, online as Pacemaker
    decides from their connection (and container) history; ``node_view`` builds one view."""
    known = {n.name: n for n in cluster}
    states = {s.get("uname") or s.get("id"): s for s in root.findall("status/node_state")}
    out = []
    # <node type="remote"> entries are remote nodes even when no connection defines them (offline)
    for x in root.findall("configuration/nodes/node"):
        name = x.get("uname") or x.get("id", "")
        if x.get("type") == "remote" and name in known:
            known[name].kind, known[name].online, known[name].unclean = "remote", False, False
    for rdef in remote_defs(root.find("configuration/resources")):
        view = known.get(rdef.name)
        if view is None:
            view = node_view(rdef.name)
            out.append(view)
        view.kind = rdef.kind
        view.unclean = False
        running, failed = _role_anywhere(ops, rdef.connection, fold)
        view.online = running and not failed
        if rdef.container is not None:
            c_running, c_failed = _role_anywhere(ops, rdef.container, fold)
            view.online = view.online and c_running and not c_failed
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


def implicit_primitive(root: ET.Element, rsc_id: str) -> ET.Element | None:
    """A stand-in ``<primitive>`` for a resource Pacemaker creates implicitly (a guest node's
    connection), so that its operations can be recorded like a configured one's; else None."""
    def agent(provider: str, kind: str) -> ET.Element:
        return ET.Element("primitive", {"id": rsc_id, "class": "ocf", "provider": provider, "type": kind})

    resources = root.find("configuration/resources")
    for rdef in remote_defs(resources):
        if rdef.connection == rsc_id and rdef.kind == "guest":
            return agent("pacemaker", "remote")
    for x in resources.iter("bundle") if resources is not None else []:
        shape = bundle_shape(x)
        if shape is None or not rsc_id.startswith(x.get("id", "") + "-"):
            continue
        bid = x.get("id", "")
        for i in range(shape.replicas):
            if rsc_id == f"{bid}-{shape.runtime}-{i}":
                return agent("heartbeat", shape.runtime)
            if shape.ips[i] and rsc_id == f"{bid}-ip-{shape.ips[i]}":
                return agent("heartbeat", "IPaddr2")
    return None


def ensure_remote_state(root: ET.Element, node: str) -> None:
    """Give a remote or guest node a ``node_state`` marked ``remote_node="true"`` (as Pacemaker's
    controller writes it) before anything is recorded there."""
    status = root.find("status")
    if status is None:
        status = ET.SubElement(root, "status")
    if any((s.get("uname") or s.get("id")) == node for s in status.findall("node_state")):
        return
    if any(r.name == node for r in remote_defs(root.find("configuration/resources"))):
        ET.SubElement(status, "node_state", {"id": node, "uname": node, "remote_node": "true",
                                             "in_ccm": "true", "crm-debug-origin": "crm_simulate"})


@dataclass(frozen=True)
class BundleShape:
    """What a status display needs to know about a bundle's configuration."""

    runtime: str
    image: str
    replicas: int
    ips: tuple[str | None, ...]
    has_remote: bool
    promotable: bool
    unique: bool


def bundle_shape(x: ET.Element) -> BundleShape | None:
    """A bundle element's shape (None without a container runtime)."""
    runtime = bundle_runtime(x)
    if runtime is None:
        return None
    network = x.find("network")
    start = network.get("ip-range-start") if network is not None else None
    replicas = bundle_replicas(x)
    ips: list[str | None] = []
    for _ in range(replicas):
        ips.append(start)
        start = next_address(start) if start else None
    child = x.find("primitive") is not None
    valid = network is not None and bool(network.get("ip-range-start") or network.get("control-port"))
    promoted = (runtime.get("promoted-max") or runtime.get("masters") or "0").strip()
    per_host = (runtime.get("replicas-per-host") or "1").strip()
    # Pacemaker clears a bundle's "unique" flag when each host runs at most one replica.
    unique = per_host.isdigit() and int(per_host) > 1 and \
        (_meta(x).get("globally-unique") or "true").lower() in ("true", "yes", "on", "1")
    return BundleShape(runtime.tag, runtime.get("image", ""), replicas, tuple(ips), child and valid,
                       promoted.isdigit() and int(promoted) > 0, unique)


def next_address(address: str) -> str | None:
    """The next IPv4 address as Pacemaker allocates bundle addresses (x.y.z.254 -> x.y.z+1.1)."""
    parts = address.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return None
    a, b, c, d = (int(p) for p in parts)
    if c > 253:
        return None
    c, d = (c + 1, 1) if d > 253 else (c, d + 1)
    return f"{a}.{b}.{c}.{d}"


def _history(ops: list, rsc: str, fold) -> tuple[list[str], bool, str | None]:  # type: ignore[no-untyped-def]
    """(nodes it runs on, failed, role) of one resource from its history across nodes."""
    by_node: dict[str, list] = {}
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


def bundle_lines(view, res, shape: BundleShape, indent: str, fold) -> list[str]:  # type: ignore[no-untyped-def]
    """A bundle in Pacemaker 2.1's text layout: one header, one line per replica."""
    flags = (" (unique)" if shape.unique else "") + ("" if res.managed else " (unmanaged)")
    lines = [f"{indent}* Container bundle{' set' if shape.replicas > 1 else ''}: {res.id} [{shape.image}]{flags}:"]
    child = res.children[0] if res.children else None
    for i in range(shape.replicas):
        container = f"{res.id}-{shape.runtime}-{i}"
        hosts, c_failed, c_role = _history(view.ops, container, fold)
        node = hosts[0] if len(hosts) == 1 else None
        name = f"{res.id}-{i}" if shape.has_remote else container
        if shape.ips[i]:
            name += f" ({shape.ips[i]})"
        if child is not None and shape.has_remote:
            agent = child.agent
            guest = f"{res.id}-{i}"
            role = child.running.get(guest)
            failed = guest in child.failed_on
            if role == "Started" and shape.promotable:
                role = "Unpromoted"
        else:
            agent = f"ocf:heartbeat:{shape.runtime}"
            role, failed = c_role, c_failed
        state = ("FAILED" + (f" {role}" if role == "Promoted" else "")) if failed else (role or "Stopped")
        text = f"{name}\t({agent}):\t {state}" + (f" {node}" if node else "")
        marks = []
        nv = view.node(node) if node else None
        if nv is not None and nv.unclean and not nv.online:
            marks.append("UNCLEAN")
        if (child.disabled if child is not None else res.disabled):
            marks.append("disabled")
        if not res.managed:
            marks.append("unmanaged")
        lines.append(f"{indent}  * {text}" + (f" ({', '.join(marks)})" if marks else ""))
    return lines
