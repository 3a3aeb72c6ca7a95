"""The CIB XML of Pacemaker Remote nodes, guest nodes and bundles, read the way Pacemaker reads it.

- a **remote node** is an ``ocf:pacemaker:remote`` primitive (the node has the primitive's id);
- a **guest node** is named by a primitive's ``remote-node`` meta attribute; its connection is an
  implicit ``ocf:pacemaker:remote`` resource of that name (it has history, never configuration);
- a **bundle** with a primitive and a way to reach it (``control-port`` or ``ip-range-start``) has
  one guest node per replica, ``BUNDLE-N``, whose container is ``BUNDLE-docker-N`` (``podman`` and
  ``rkt`` likewise) and whose address, with ``ip-range-start``, is ``BUNDLE-ip-ADDRESS``.

Shared by the status displays, ``crm_simulate`` and the bundled engine.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.records import record

REMOTE_AGENT = ("ocf", "pacemaker", "remote")
RUNTIMES = ("docker", "podman", "rkt")


@record(frozen=True)
class RemoteDef:
    """One remote or guest node as the configuration defines it."""

    name: str
    kind: str  # "remote" or "guest"
    connection: str  # id of the connection resource (configured or implicit)
    container: str | None = None  # guest nodes: the resource that is the guest
    bundle: str | None = None  # bundle replicas: the bundle's id


def _meta(x: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    # the children walked directly: a path findall costs more than the walk for every primitive
    for block in x:
        if block.tag != "meta_attributes":
            continue
        for nv in block:
            name = nv.get("name") if nv.tag == "nvpair" else None
            if name:
                out.setdefault(name, nv.get("value", ""))
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
                out.append(RemoteDef(f"{bid}-{i}", "guest", f"{bid}-{i}", f"{bid}-{shape.runtime}-{i}", bid))
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


@record(frozen=True)
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


def configured_remote_nodes(root: ET.Element) -> list[tuple[str, str]]:
    """``(kind, name)`` of the guest nodes (``remote-node`` meta) then the remote nodes
    (``ocf:pacemaker:remote`` primitives) in document order, as ``crmadmin -N`` lists them after
    the cluster nodes (bundle replicas are not listed)."""
    resources = root.find("configuration/resources")
    if resources is None:
        return []
    guests = [("guest", nv.get("value", "")) for prim in resources.iter("primitive")
              for nv in prim.findall(".//meta_attributes/nvpair") if nv.get("name") == "remote-node"]
    remotes = [("remote", prim.get("id", "")) for prim in resources.iter("primitive") if is_remote_agent(prim)]
    return guests + remotes


def cluster_node_clashes(root: ET.Element) -> list[str]:
    """Messages for remote, guest and bundle nodes named like a cluster node of this CIB (a node
    entry, or a cluster node's state in the status section, which a configuration update that
    replaced the node entry leaves behind)."""
    cluster = {n.get("uname") or n.get("id") or "" for n in root.findall("configuration/nodes/node")
               if n.get("type", "member") not in ("remote", "ping")}
    cluster |= {s.get("uname") or s.get("id") or "" for s in root.findall("status/node_state")
                if s.get("remote_node") != "true"}
    remote = remote_defs(root.find("configuration/resources"))
    return [f"{r.kind} node name '{r.name}' (resource {r.container or r.connection}) is already the name "
            f"of a cluster node" for r in remote if r.name in cluster]


def is_remote_node(root: ET.Element, name: str) -> bool:
    """Whether ``name`` is a remote, guest or bundle node of this CIB."""
    return any(r.name == name for r in remote_defs(root.find("configuration/resources")))


def mark_fenced(root: ET.Element, name: str) -> None:
    """Record that remote node ``name`` was fenced (``node_fenced`` on its ``node_state``, as
    Pacemaker's controller does), keeping it a remote node's state."""
    ensure_remote_state(root, name)
    for state in root.findall("status/node_state"):
        if (state.get("uname") or state.get("id")) == name:
            for key in ("crmd", "join", "expected"):
                state.attrib.pop(key, None)
            state.set("remote_node", "true")
            state.set("node_fenced", "1")


def implicit_ids(root: ET.Element) -> set[str]:
    """Ids of the resources Pacemaker makes itself from this configuration: guest connections and
    each bundle replica's container, address and connection (their history is not an orphan's)."""
    resources = root.find("configuration/resources")
    defs = remote_defs(resources)
    out = {r.connection for r in defs if r.kind == "guest"}
    out |= {r.container for r in defs if r.container}
    for x in resources.iter("bundle") if resources is not None else []:
        shape = bundle_shape(x)
        if shape is None:
            continue
        bid = x.get("id", "")
        out.update(f"{bid}-{shape.runtime}-{i}" for i in range(shape.replicas))
        out.update(f"{bid}-ip-{ip}" for ip in shape.ips if ip)
    return out
