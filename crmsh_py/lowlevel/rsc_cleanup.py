"""``crm_resource --cleanup / --refresh / --fail``: edit the status section (operation history and
fail counts); the engine re-probes and recovers when the mutation settles."""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.rsc_common import Result, failure, find_resource, node_names, not_found
from crmsh_py.records import record
from crmsh_py.engine.facade import status_view as build_view


@record
class CleanupRequest:
    """Scope of a clean-up: resource, node, operation name, interval (ms)."""

    rsc: str | None = None
    node: str | None = None
    operation: str | None = None
    interval_ms: int | None = None
    refresh: bool = False


def _states(root: ET.Element, node: str | None) -> list[ET.Element]:
    return [s for s in root.findall("status/node_state")
            if node is None or (s.get("uname") or s.get("id")) == node]


def _failed_rscs(root: ET.Element) -> set[str]:
    view = build_view(root)
    failed = {o.rsc.split(":", 1)[0] for o in view.failed_ops()}
    for n in view.nodes:
        failed |= {k[len("fail-count-"):].split("#", 1)[0] for k in n.transient if k.startswith("fail-count-")}
    return failed


def _drop_attrs(state: ET.Element, rsc: str, op_key: str | None) -> None:
    for aset in state.findall("transient_attributes/instance_attributes"):
        for nv in list(aset.findall("nvpair")):
            name = nv.get("name", "")
            for prefix in ("fail-count-", "last-failure-"):
                if not name.startswith(prefix):
                    continue
                target = name[len(prefix):]
                if target.split("#", 1)[0] == rsc and (op_key is None or target == f"{rsc}#{op_key}"):
                    aset.remove(nv)


def _clean_on(state: ET.Element, rsc: str, req: CleanupRequest) -> bool:
    """Forget history/fail counts of ``rsc`` on one node; True when the node knew the resource."""
    op_key = None
    if req.operation:
        op_key = f"{req.operation}_{req.interval_ms or 0}"
    known = False
    for lrms in state.findall("lrm/lrm_resources"):
        for lr in list(lrms.findall("lrm_resource")):
            if lr.get("id", "").split(":", 1)[0] != rsc:
                continue
            known = True
            ops = lr.findall("lrm_rsc_op")
            failed = [o for o in ops if _is_failed(o)]
            if req.refresh or (failed and op_key is None):
                lrms.remove(lr)  # forgetting the history makes the engine re-probe the resource
                continue
            for o in failed:
                if op_key is None or o.get("operation_key", "").endswith(op_key):
                    lr.remove(o)
    _drop_attrs(state, rsc, op_key)
    return known


def _is_failed(op: ET.Element) -> bool:
    parts = op.get("transition-key", "").split(":")
    expected = int(parts[2]) if len(parts) >= 3 and parts[2].lstrip("-").isdigit() else 0
    status = op.get("op-status", "0")
    if op.get("operation") == "monitor" and op.get("interval", "0") == "0" and op.get("rc-code") in ("5", "7"):
        return False
    return status not in ("0", "1") or int(op.get("rc-code", "0") or 0) != expected \
        or "_last_failure_" in op.get("id", "")


def cleanup(root: ET.Element, req: CleanupRequest) -> Result:
    """Clear failed operations and fail counts (``--refresh``: the whole history) in scope."""
    if req.node is not None and req.node not in node_names(root):
        return failure(exitcodes.CRM_EX_NOSUCH, f"Node '{req.node}' not found")
    res = Result()
    if req.rsc is None:
        for rsc in sorted(_failed_rscs(root)) if not req.refresh else _all_ids(root):
            for state in _states(root, req.node):
                _clean_on(state, rsc, req)
        where = f"on {req.node}" if req.node else "on all nodes"
        res.out.append(f"Cleaned up all resources {where}")
        return res
    if find_resource(root, req.rsc) is None:
        return not_found(req.rsc)
    view = build_view(root)
    target = view.find(req.rsc)
    ids = [p.id for p in target.primitives()] if target else [req.rsc]
    for rsc in ids:
        for state in _states(root, req.node):
            name = state.get("uname") or state.get("id", "")
            if _clean_on(state, rsc, req) or req.node is not None:
                res.out.append(f"Cleaned up {rsc} on {name}")
    return res


def _all_ids(root: ET.Element) -> list[str]:
    return sorted({lr.get("id", "").split(":", 1)[0] for lr in root.iter("lrm_resource")})


def fail(root: ET.Element, rsc_id: str, node: str, now: float) -> Result:
    """Record a failed monitor of the resource on the node (the engine then recovers it), like
    Pacemaker's ``--fail`` asking the controller to fail the resource."""
    if find_resource(root, rsc_id) is None:
        return not_found(rsc_id)
    if node not in node_names(root):
        return failure(exitcodes.CRM_EX_NOSUCH, f"Node '{node}' not found")
    state = next((s for s in _states(root, node)), None)
    lr = None if state is None else next(
        (x for x in state.iter("lrm_resource") if x.get("id", "").split(":", 1)[0] == rsc_id), None)
    if lr is None or state is None:  # (no state: no lr)
        return failure(exitcodes.CRM_EX_NOSUCH, f"Resource '{rsc_id}' not active on {node}")
    calls = [int(o.get("call-id", "0") or 0) for o in lr.findall("lrm_rsc_op")]
    stamp = str(int(now))
    # Recorded as a failed result of the resource's recurring monitor (what the engine recovers from).
    interval = next((o.get("interval", "0") for o in lr.findall("lrm_rsc_op")
                     if o.get("operation") == "monitor" and o.get("interval", "0") != "0"), "0")
    op_key = f"monitor_{interval}"
    for old in lr.findall("lrm_rsc_op"):
        if old.get("id") in (f"{rsc_id}_{op_key}", f"{rsc_id}_last_failure_0"):
            lr.remove(old)
    for op_id in (f"{rsc_id}_{op_key}", f"{rsc_id}_last_failure_0"):
        ET.SubElement(lr, "lrm_rsc_op", {
            "id": op_id, "operation_key": f"{rsc_id}_{op_key}", "operation": "monitor",
            "transition-key": "0:0:0:crm_resource", "transition-magic": "0:1;0:0:0:crm_resource",
            "call-id": str(max(calls, default=0) + 1), "rc-code": "1", "op-status": "0", "interval": interval,
            "last-rc-change": stamp, "exec-time": "0", "queue-time": "0",
            "exit-reason": "Simulated failure (crm_resource --fail)", "on_node": node})
    attrs = state.find("transient_attributes/instance_attributes")
    if attrs is None:
        ta = state.find("transient_attributes")
        if ta is None:
            ta = ET.SubElement(state, "transient_attributes", {"id": state.get("id", node)})
        attrs = ET.SubElement(ta, "instance_attributes", {"id": f"status-{state.get('id', node)}"})
    key = f"fail-count-{rsc_id}#{op_key}"
    current = next((nv for nv in attrs.findall("nvpair") if nv.get("name") == key), None)
    if current is None:
        ET.SubElement(attrs, "nvpair", {"id": f"status-{node}-{key}", "name": key, "value": "1"})
    else:
        current.set("value", str(int(current.get("value", "0") or 0) + 1))
    last_key = f"last-failure-{rsc_id}#{op_key}"
    for nv in [nv for nv in attrs.findall("nvpair") if nv.get("name") == last_key]:
        attrs.remove(nv)
    ET.SubElement(attrs, "nvpair", {"id": f"status-{node}-{last_key}", "name": last_key, "value": stamp})
    return Result()
