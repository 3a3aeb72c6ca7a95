"""Bundles in status displays (Pacemaker 2.1's text layout); which replicas run where is the
status view's (:mod:`crmsh_py.engine.status_remote`)."""

from __future__ import annotations

from crmsh_py.cib.remote_xml import BundleShape
from crmsh_py.engine.status_remote import history


def bundle_active(view, res, shape: BundleShape, fold) -> bool:  # type: ignore[no-untyped-def]
    """Whether any replica's container (or the primitive inside) runs: a bundle without a
    primitive is active through its containers alone."""
    if res.active:
        return True
    return any(history(view.ops, f"{res.id}-{shape.runtime}-{i}", fold)[0] for i in range(shape.replicas))


def bundle_lines(view, res, shape: BundleShape, indent: str, fold) -> list[str]:  # type: ignore[no-untyped-def]
    """A bundle in Pacemaker 2.1's text layout: one header, one line per replica."""
    flags = (" (unique)" if shape.unique else "") + ("" if res.managed else " (unmanaged)")
    lines = [f"{indent}* Container bundle{' set' if shape.replicas > 1 else ''}: {res.id} [{shape.image}]{flags}:"]
    child = res.children[0] if res.children else None
    for i in range(shape.replicas):
        container = f"{res.id}-{shape.runtime}-{i}"
        hosts, c_failed, c_role = history(view.ops, container, fold)
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
        elif child is not None and shape.promotable:
            # a promotable bundle's child held at Unpromoted shows its configured target-role
            held = child.meta.get("target-role") or res.meta.get("target-role") or ""
            if held.lower() in ("unpromoted", "slave"):
                marks.append(f"target-role:{held}")
        # the replica's line shows its child's flags (a child in maintenance is unmanaged there)
        # (and a replica on a node in maintenance is unmanaged too)
        if not res.managed or (child is not None and shape.has_remote and not child.managed) \
                or (nv is not None and nv.maintenance):
            marks.append("unmanaged")
        lines.append(f"{indent}  * {text}" + (f" ({', '.join(marks)})" if marks else ""))
    return lines
