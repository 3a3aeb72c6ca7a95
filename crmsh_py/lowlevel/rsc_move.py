"""``crm_resource --move / --ban / --clear``: the ``cli-prefer-RSC`` and ``cli-ban-RSC-on-NODE``
location constraints Pacemaker's tool writes."""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.lowlevel import exitcodes
from crmsh_py.lowlevel.rsc_common import Result, constraints, failure, find_resource, node_names, not_found
from crmsh_py.records import record

# an ISO 8601 duration; compiled (and cached by ``re``) when a lifetime is given: most moves have none
_DURATION = r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"


@record
class MoveRequest:
    """The options of a move/ban/clear."""

    rsc: str
    node: str | None = None
    force: bool = False
    lifetime: str | None = None
    promoted: bool = False


def lifetime_end(duration: str, now: float) -> str | None:
    """``PT1H`` → ``2026-11-26 14:12:47Z`` (UTC), None when not an ISO 8601 duration."""
    import re  # (only here: re and enum cost a one-shot that never needs them ~5 ms)
    m = re.match(_DURATION, duration.strip().upper())
    if not m or not any(m.groups()):
        return None
    y, mo, w, d, h, mi, s = (int(g or 0) for g in m.groups())
    seconds = (((y * 365 + mo * 30 + w * 7 + d) * 24 + h) * 60 + mi) * 60 + s
    return time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime(now + seconds))


def _location(rsc: str, cid: str, node: str, score: str, role: str, end: str | None, kind: str) -> ET.Element:
    loc = ET.Element("rsc_location", {"id": cid, "rsc": rsc, "role": role})
    if end is None:
        loc.set("node", node)
        loc.set("score", score)
        return loc
    rule = ET.SubElement(loc, "rule", {"id": f"cli-{kind}-rule-{rsc}", "score": score, "boolean-op": "and"})
    ET.SubElement(rule, "expression", {"id": f"cli-{kind}-expr-{rsc}", "attribute": "#uname",
                                       "operation": "eq", "value": node, "type": "string"})
    ET.SubElement(rule, "date_expression", {"id": f"cli-{kind}-lifetime-end-{rsc}", "operation": "lt", "end": end})
    return loc


def _put(root: ET.Element, loc: ET.Element) -> None:
    section = constraints(root)
    for old in section.findall("rsc_location"):
        if old.get("id") == loc.get("id"):
            section.remove(old)
    section.append(loc)


def _ban_warning(rsc: str, node: str) -> list[str]:
    return [f"WARNING: Creating rsc_location constraint 'cli-ban-{rsc}-on-{node}' with a score of -INFINITY "
            f"for resource {rsc} on {node}.",
            f"\tThis will prevent {rsc} from running on {node} until the constraint is removed using the "
            "clear option or by editing the CIB with an appropriate tool",
            f"\tThis will be the case even if {node} is the last node in the cluster"]


def _check(root: ET.Element, req: MoveRequest) -> Result | None:
    if find_resource(root, req.rsc) is None:
        return not_found(req.rsc)
    if req.node is not None and req.node not in node_names(root):
        return failure(exitcodes.CRM_EX_NOSUCH, f"Node '{req.node}' not found")
    if req.lifetime is not None and lifetime_end(req.lifetime, 0) is None:
        return failure(exitcodes.CRM_EX_INVALID_PARAM, f"Invalid lifetime '{req.lifetime}'")
    return None


def _current(root: ET.Element, rsc: str) -> list[str]:
    # here: clear (unmove) needs none
    from crmsh_py.engine.facade import running_nodes, status_view

    plain = running_nodes(root, rsc)  # a plain history read directly: no status view to build
    if plain is not None:
        return plain
    view = status_view(root)
    res = view.find(rsc)
    return sorted({n for p in res.primitives() for n in p.running}) if res else []


def _ban(root: ET.Element, req: MoveRequest, node: str, now: float, out: list[str]) -> None:
    end = lifetime_end(req.lifetime, now) if req.lifetime else None
    role = "Promoted" if req.promoted else "Started"
    _put(root, _location(req.rsc, f"cli-ban-{req.rsc}-on-{node}", node, "-INFINITY", role, end, "ban"))
    out.extend(_ban_warning(req.rsc, node))


def _no_location(rsc: str) -> Result:
    return Result(err=[f"crm_resource: Resource '{rsc}' not moved: active in 0 locations.",
                       f"To prevent '{rsc}' from running on a specific location, specify a node."],
                  rc=exitcodes.CRM_EX_USAGE)


def move(root: ET.Element, req: MoveRequest, now: float) -> Result:
    """Prefer ``req.node`` (INFINITY); with ``--force`` also ban the current node.  Without a node,
    ban the node the resource runs on."""
    bad = _check(root, req)
    if bad:
        return bad
    current = _current(root, req.rsc)
    res = Result()
    if req.node is None:
        if len(current) != 1:
            return _no_location(req.rsc)
        _ban(root, req, current[0], now, res.out)
        return res
    if current == [req.node] and not req.force:
        return failure(exitcodes.CRM_EX_EXISTS)
    end = lifetime_end(req.lifetime, now) if req.lifetime else None
    role = "Promoted" if req.promoted else "Started"
    _put(root, _location(req.rsc, f"cli-prefer-{req.rsc}", req.node, "INFINITY", role, end, "prefer"))
    if end:
        res.out.append(f"Migration will take effect until: {end}")
    if req.force:
        for node in current:
            if node != req.node:
                _ban(root, req, node, now, res.out)
    return res


def ban(root: ET.Element, req: MoveRequest, now: float) -> Result:
    """``cli-ban-RSC-on-NODE`` with -INFINITY (the current node when none is given)."""
    bad = _check(root, req)
    if bad:
        return bad
    res = Result()
    node = req.node
    if node is None:
        current = _current(root, req.rsc)
        if len(current) != 1:
            return _no_location(req.rsc)
        node = current[0]
    _ban(root, req, node, now, res.out)
    return res


def clear(root: ET.Element, req: MoveRequest) -> Result:
    """Remove the tool's constraints for the resource (only those about ``req.node`` when given)."""
    if find_resource(root, req.rsc) is None:
        return not_found(req.rsc)
    section = constraints(root)
    prefer = f"cli-prefer-{req.rsc}"
    ban_prefix = f"cli-ban-{req.rsc}-on-"
    res = Result()
    bans = [c for c in section.findall("rsc_location") if (c.get("id") or "").startswith(ban_prefix)]
    prefers = [c for c in section.findall("rsc_location") if c.get("id") == prefer]
    for c in bans + prefers:
        if req.node is not None and _constraint_node(c) != req.node:
            continue
        section.remove(c)
        res.out.append(f"Removing constraint: {c.get('id')}")
    return res


def _constraint_node(c: ET.Element) -> str | None:
    if c.get("node"):
        return c.get("node")
    expr = c.find("rule/expression")
    return expr.get("value") if expr is not None else None
