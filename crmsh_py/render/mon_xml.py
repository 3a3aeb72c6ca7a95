"""``crm_mon --output-as=xml``: Pacemaker 2.1's ``<pacemaker-result>`` document (main elements)."""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.render.mon_text import RC_TEXT, StackInfo, ctime
from crmsh_py.render.mon_view import ClusterView, ResourceView, fail_counts


def _b(value: bool) -> str:
    return "true" if value else "false"


def _primitive(view: ClusterView, prim: ResourceView, parent: ET.Element) -> None:
    nodes = list(prim.running)
    role = prim.running[nodes[0]] if nodes else "Stopped"
    x = ET.SubElement(parent, "resource", {
        "id": prim.id, "resource_agent": prim.agent, "role": role, "active": _b(bool(nodes)),
        "orphaned": "false", "blocked": "false", "managed": _b(prim.managed),
        "failed": _b(bool(prim.failed_on)), "failure_ignored": _b(prim.failure_ignored),
        "nodes_running_on": str(len(nodes))})
    if prim.disabled:
        x.set("target_role", "Stopped")
    for name in nodes:
        node = view.node(name)
        ET.SubElement(x, "node", {"name": name, "id": node.node_id if node else name, "cached": "true"})


def _resource(view: ClusterView, res: ResourceView, parent: ET.Element) -> None:
    if res.kind == "primitive":
        _primitive(view, res, parent)
        return
    if res.kind == "group":
        x = ET.SubElement(parent, "group", {"id": res.id, "number_resources": str(len(res.children)),
                                            "managed": _b(res.managed), "disabled": _b(res.disabled)})
    else:
        x = ET.SubElement(parent, "clone", {
            "id": res.id, "multi_state": _b(res.promotable), "unique": "false",
            "maintenance": "false", "managed": _b(res.managed), "disabled": _b(res.disabled),
            "failed": _b(any(p.failed_on for p in res.primitives())), "failure_ignored": "false"})
    for child in res.children:
        _resource(view, child, x)


def render(view: ClusterView, info: StackInfo, argv: list[str]) -> str:
    """The XML document text (with a trailing newline)."""
    root = ET.Element("pacemaker-result", {"api-version": "2.25", "request": " ".join(argv)})
    summary = ET.SubElement(root, "summary")
    ET.SubElement(summary, "stack", {"type": info.stack})
    if view.dc:
        dc = view.node(view.dc)
        ET.SubElement(summary, "current_dc", {
            "present": "true", "version": info.version, "name": view.dc,
            "id": dc.node_id if dc else view.dc, "with_quorum": _b(view.have_quorum)})
    else:
        ET.SubElement(summary, "current_dc", {"present": "false"})
    now = info.now if info.now is not None else time.time()
    ET.SubElement(summary, "last_update", {"time": ctime(now)})
    ET.SubElement(summary, "last_change", {"time": view.last_written, "user": view.update_user,
                                           "client": view.update_client, "origin": view.update_origin})
    ET.SubElement(summary, "nodes_configured", {"number": str(len(view.nodes))})
    ET.SubElement(summary, "resources_configured", {"number": str(view.instance_count()),
                                                    "disabled": str(view.disabled_count()), "blocked": "0"})
    nodes = ET.SubElement(root, "nodes")
    for n in view.nodes:
        running = sum(1 for r in view.resources for p in r.primitives() if n.name in p.running)
        ET.SubElement(nodes, "node", {
            "name": n.name, "id": n.node_id, "online": _b(n.online), "standby": _b(n.standby),
            "standby_onfail": "false", "maintenance": _b(n.maintenance), "pending": "false",
            "unclean": _b(n.unclean), "shutdown": "false", "expected_up": _b(n.online),
            "is_dc": _b(n.name == view.dc), "resources_running": str(running), "type": "member"})
    resources = ET.SubElement(root, "resources")
    for res in view.resources:
        _resource(view, res, resources)
    history = ET.SubElement(root, "node_history")
    for n in view.nodes:
        ops = [o for o in view.ops if o.node == n.name and not (o.task == "monitor" and o.rc == 7
                                                                and o.interval_ms == 0)]
        if not ops:
            continue
        nx = ET.SubElement(history, "node", {"name": n.name})
        counts = fail_counts(n)
        for rsc in dict.fromkeys(o.rsc for o in ops):
            rx = ET.SubElement(nx, "resource_history", {"id": rsc, "orphan": "false"})
            if rsc in counts:
                rx.set("fail-count", str(counts[rsc][0]))
            for o in (o for o in ops if o.rsc == rsc):
                attrs = {"call": str(o.call_id), "task": o.task, "rc": str(o.rc),
                         "rc_text": RC_TEXT.get(o.rc, "unknown")}
                if o.interval_ms:
                    attrs["interval"] = f"{o.interval_ms}ms"
                attrs.update({"last-rc-change": ctime(o.last_rc_change), "exec-time": f"{o.exec_ms}ms",
                              "queue-time": f"{o.queue_ms}ms"})
                ET.SubElement(rx, "operation_history", attrs)
    failed = view.failed_ops()
    if failed:
        fx = ET.SubElement(root, "failures")
        for o in failed:
            ET.SubElement(fx, "failure", {
                "op_key": f"{o.rsc}_{o.task}_{o.interval_ms}", "node": o.node, "exitstatus": RC_TEXT.get(o.rc, "unknown"),
                "exitreason": o.exit_reason, "exitcode": str(o.rc), "call": str(o.call_id),
                "status": "complete" if o.op_status == 0 else "error",
                "last-rc-change": ctime(o.last_rc_change), "queued": str(o.queue_ms),
                "exec": str(o.exec_ms), "interval": str(o.interval_ms), "task": o.task})
    ET.SubElement(root, "status", {"code": "0", "message": "OK"})
    ET.indent(root, "  ")
    return ET.tostring(root, encoding="unicode") + "\n"
