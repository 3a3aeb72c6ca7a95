"""Machine-readable output (``crm --output json|yaml``): tool output turned into plain data.

Each function takes what a low-level tool printed and returns JSON-ready values whose shapes are
documented in ``docs/json-output.md`` and checked against ``docs/schemas/*.schema.json`` by the
tests.  ``dump`` writes them as JSON (indented, UTF-8) or YAML.
"""

from __future__ import annotations

import json
import re
from crmsh_py import xmltree as ET
from typing import Any

from crmsh_py.errors import CommandError

FORMATS = ("text", "json", "yaml")
SCHEMA_VERSION = 1


def dump(data: Any, fmt: str) -> str:
    """``data`` as ``json`` or ``yaml`` text (ending in a newline)."""
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    raise CommandError(f"output format must be one of {', '.join(FORMATS)}, not '{fmt}'")


def _bool(value: str | None) -> bool:
    return (value or "").lower() == "true"


def _parse(xml_text: str, what: str) -> ET.Element:
    try:
        return ET.fromstring(xml_text)
    except ET.ParseError as error:
        raise CommandError(f"{what}: unreadable XML ({error})") from None


def mon_data(xml_text: str) -> dict[str, Any]:
    """``crm_mon --output-as=xml`` as data: summary, nodes, resources (flattened, each with its
    parent group/clone), failed actions."""
    root = _parse(xml_text, "crm_mon")
    summary = root.find("summary")
    dc = summary.find("current_dc") if summary is not None else None
    stack = summary.find("stack") if summary is not None else None
    data: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "stack": stack.get("type") if stack is not None else None,
        "dc": dc.get("name") if dc is not None and _bool(dc.get("present")) else None,
        "quorum": _bool(dc.get("with_quorum")) if dc is not None else False,
        "nodes": [], "resources": [], "failures": [],
    }
    for node in root.iterfind("nodes/node"):
        data["nodes"].append({
            "name": node.get("name"), "id": node.get("id"), "online": _bool(node.get("online")),
            "standby": _bool(node.get("standby")), "maintenance": _bool(node.get("maintenance")),
            "unclean": _bool(node.get("unclean")), "dc": _bool(node.get("is_dc")),
            "resources_running": int(node.get("resources_running") or 0)})
    resources = root.find("resources")
    if resources is not None:
        _resources(resources, None, data["resources"])
    for failure in root.iterfind("failures/failure"):
        data["failures"].append({
            "operation": failure.get("op_key"), "node": failure.get("node"), "exit_reason": failure.get("exitreason"),
            "status": failure.get("status"), "rc": int(failure.get("exitcode") or failure.get("rc") or 0),
            "last_rc_change": failure.get("last-rc-change")})
    return data


def _resources(parent: ET.Element, owner: str | None, out: list[dict[str, Any]]) -> None:
    for child in parent:
        if child.tag in ("group", "clone", "bundle"):
            _resources(child, child.get("id"), out)
            continue
        if child.tag != "resource":
            continue
        out.append({
            "id": child.get("id"), "agent": child.get("resource_agent"), "role": child.get("role"),
            "active": _bool(child.get("active")), "managed": _bool(child.get("managed")),
            "failed": _bool(child.get("failed")), "parent": owner,
            "nodes": [n.get("name") for n in child.iterfind("node")]})


_SCORE = re.compile(r"^(?:\s*\*\s*)?(?P<func>[\w:]+): (?P<rsc>\S+) allocation score on (?P<node>\S+): (?P<score>\S+)$")


def scores_data(text: str) -> list[dict[str, Any]]:
    """``crm_simulate -sL``'s allocation score lines as ``{resource, node, score, stage}``."""
    out = []
    for line in text.splitlines():
        match = _SCORE.match(line)
        if match:
            out.append({"resource": match.group("rsc"), "node": match.group("node"),
                        "score": _score(match.group("score")), "stage": match.group("func")})
    return out


def _score(text: str) -> int | str:
    """Numbers as integers; ``INFINITY``/``-INFINITY`` stay words (JSON has no infinity)."""
    try:
        return int(text)
    except ValueError:
        return text


_LOCATE = re.compile(r"^resource (?P<rsc>\S+) is (?P<state>running|NOT running)(?: on: (?P<node>\S+)(?P<role> Promoted| Master)?)?")


def locate_data(rsc: str, text: str) -> dict[str, Any]:
    """``crm_resource --locate``'s lines as ``{resource, running, nodes: [{node, promoted}]}``."""
    nodes = []
    for line in text.splitlines():
        match = _LOCATE.match(line.strip())
        if match and match.group("node"):
            nodes.append({"node": match.group("node"), "promoted": bool(match.group("role"))})
    return {"resource": rsc, "running": bool(nodes), "nodes": nodes}


def nodes_data(cib_xml: str) -> list[dict[str, Any]]:
    """The configured nodes (``cibadmin -Ql``): name, id, type, attributes, utilization, standby,
    and whether each is online now (from the status section)."""
    root = _parse(cib_xml, "cibadmin")
    states = {s.get("uname") or s.get("id"): s for s in root.iterfind("status/node_state")}
    out = []
    for node in root.iterfind("configuration/nodes/node"):
        name = node.get("uname") or node.get("id")
        attrs = {nv.get("name"): nv.get("value") for nv in node.iterfind("instance_attributes/nvpair")}
        util = {nv.get("name"): nv.get("value") for nv in node.iterfind("utilization/nvpair")}
        state = states.get(name)
        online = state is not None and state.get("crmd") in ("online", None) and \
            state.get("in_ccm", "true") not in ("false",) and state.get("join", "member") == "member"
        out.append({"name": name, "id": node.get("id"), "type": node.get("type") or "member",
                    "standby": _bool(attrs.get("standby")), "online": bool(online),
                    "attributes": attrs, "utilization": util})
    return out
