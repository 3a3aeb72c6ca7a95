"""``crm_resource --list / --list-raw / --locate / --list-operations / --constraints``."""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.engine.facade import OP_STATUS_TEXT
from crmsh_py.engine.facade import status_view as build_view
from crmsh_py.lowlevel.rsc_common import Result, find_resource, not_found


def list_resources(root: ET.Element) -> Result:
    """``-L``: ``Full List of Resources:`` in crm_mon's layout (crm_mon, the display tool, prints it)."""
    from crmsh_py.lowlevel.crm_mon import resource_list

    return Result(out=resource_list(root))


def list_raw(root: ET.Element) -> Result:
    """``-l``: primitive ids, one a line."""
    view = build_view(root)
    return Result(out=[p.id for r in view.resources for p in r.primitives()])


def locate(root: ET.Element, rsc_id: str, quiet: bool) -> Result:
    """``-W``: ``resource dummy is running on: srv01`` (``-Q``: just the node)."""
    view = build_view(root)
    res = view.find(rsc_id)
    if res is None:
        return not_found(rsc_id)
    found = [(n, p.running[n]) for p in res.primitives() for n in p.running]
    if not found:
        return Result(err=[f"resource {rsc_id} is NOT running"])
    if quiet:
        return Result(out=[n for n, _ in found])
    out = []
    for node, role in found:
        suffix = " Promoted" if role == "Promoted" else ""
        out.append(f"resource {rsc_id} is running on: {node}{suffix}")
    return Result(out=out)


def list_operations(root: ET.Element, rsc_id: str | None, node: str | None) -> Result:
    """``-O``: every recorded operation, ``dummy\\t(ocf:heartbeat:Dummy):\\t Started: dummy_start_0 (...)``."""
    view = build_view(root)
    if rsc_id is not None and view.find(rsc_id) is None:
        return not_found(rsc_id)
    prims = {p.id: p for r in view.resources for p in r.primitives()}
    out = []
    for op in view.ops:
        base = op.rsc.split(":", 1)[0]
        if (rsc_id is not None and base != rsc_id and not _below(view, rsc_id, base)) or \
                (node is not None and op.node != node) or base not in prims:
            continue
        prim = prims[base]
        state = next(iter(prim.running.values()), "Stopped")
        status = OP_STATUS_TEXT.get(op.op_status, "unknown")
        out.append(f"{base}\t({prim.agent}):\t {state}: {op.rsc}_{op.task}_{op.interval_ms} (node={op.node}, "
                   f"call={op.call_id}, rc={op.rc}, last-rc-change='{time.ctime(op.last_rc_change)}', "
                   f"exec={op.exec_ms}ms): {status}")
    return Result(out=out)


def _below(view, parent: str, child: str) -> bool:  # type: ignore[no-untyped-def]
    res = view.find(parent)
    return res is not None and any(p.id == child for p in res.primitives())


def constraints(root: ET.Element, rsc_id: str) -> Result:
    """``-a``/``-A``: the location constraints of the resource."""
    if find_resource(root, rsc_id) is None:
        return not_found(rsc_id)
    lines = []
    for c in root.findall("configuration/constraints/rsc_location"):
        if c.get("rsc") != rsc_id:
            continue
        node = c.get("node")
        if node is None:
            expr = c.find("rule/expression")
            node = expr.get("value") if expr is not None else "(rule)"
        score = c.get("score") or (rule.get("score") if (rule := c.find("rule")) is not None else "")
        lines.append(f"  * Node {node} (score={score}, id={c.get('id')}, rsc={rsc_id})")
    return Result(out=["Locations:", *lines] if lines else [])
