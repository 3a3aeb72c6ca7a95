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

import re
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
            runtime = bundle_runtime(x)
            if runtime is None or x.find("primitive") is None:
                continue
            bid = x.get("id", "")
            for i in range(bundle_replicas(x)):
                out.append(RemoteDef(f"{bid}-{i}", "guest", f"{bid}-{i}", f"{bid}-{runtime.tag}-{i}"))
    return out


_CHUNK = re.compile(r"(\d+)")


def node_sort_key(name: str) -> tuple:
    """Pacemaker's node order: case-insensitive, digit runs compared as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in _CHUNK.split(name) if p)


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
