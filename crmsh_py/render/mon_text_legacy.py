"""``crm_mon`` text in the Pacemaker 1.0 layout of the reference demo (Heartbeat stack)::

    ============
    Last updated: Mon Jul 25 17:40:27 2011
    Stack: Heartbeat
    Current DC: srv02 (22222222-2222-2222-2222-222222222222) - partition with quorum
    Version: 1.0.11-1554a83db0d3c3e546cfd3aaff6af1184f79ee87
    2 Nodes configured, unknown expected votes
    1 Resources configured.
    ============

    Online: [ srv01 srv02 ]

    dummy  (ocf::heartbeat:Dummy): Started srv01
"""

from __future__ import annotations

import time

from crmsh_py.render.mon_text import MonOptions, RC_TEXT, StackInfo
from crmsh_py.render.mon_view import ClusterView, ResourceView, fail_counts

RULE = "============"


def _agent_10(agent: str) -> str:
    """1.0 spelled agents ``class::provider:type`` (empty provider field for stonith)."""
    parts = agent.split(":")
    if len(parts) == 3:
        return f"{parts[0]}::{parts[1]}:{parts[2]}"
    return f"{parts[0]}::{parts[-1]}"


def _primitive(view: ClusterView, prim: ResourceView, indent: str) -> str:
    head = f"{indent}{prim.id}  ({_agent_10(prim.agent)}):"
    if not prim.running:
        return f"{head} Stopped"
    node, role = next(iter(prim.running.items()))
    role = {"Promoted": "Master", "Unpromoted": "Slave"}.get(role, role)
    if node in prim.failed_on:
        role = "Started" if role == "Started" else role
        return f"{head} {role} {node} FAILED"
    return f"{head} {role} {node}" + ("" if prim.managed else " (unmanaged)")


def _resource(view: ClusterView, res: ResourceView, opts: MonOptions) -> list[str]:
    if not opts.inactive and not res.active:
        return []
    if res.kind == "primitive":
        return [_primitive(view, res, "")]
    if res.kind == "group":
        return [f" Resource Group: {res.id}", *(_primitive(view, c, "     ") for c in res.children)]
    child = res.children[0] if res.children else None
    label = "Master/Slave Set" if res.promotable else "Clone Set"
    lines = [f" {label}: {res.id} [{child.id if child else ''}]"]
    if child is None or child.kind != "primitive":
        return lines
    by_role: dict[str, list[str]] = {}
    for node in (n.name for n in view.nodes):
        if node in child.running:
            role = {"Promoted": "Masters", "Unpromoted": "Slaves"}.get(child.running[node], "Started")
            by_role.setdefault(role, []).append(node)
    for role in ("Masters", "Slaves", "Started"):
        if role in by_role:
            lines.append(f"     {role}: [ {' '.join(by_role[role])} ]")
    stopped = [n.name for n in view.nodes if n.name not in child.running]
    if opts.inactive and stopped:
        lines.append(f"     Stopped: [ {' '.join(stopped)} ]")
    return lines


def render(view: ClusterView, opts: MonOptions, info: StackInfo) -> str:
    """The whole 1.0-style ``crm_mon -1`` text, ending with a newline."""
    now = info.now if info.now is not None else time.time()
    dc_node = view.node(view.dc) if view.dc else None
    lines = [RULE, f"Last updated: {time.ctime(now)}", f"Stack: {info.stack}"]
    if dc_node is not None:
        quorum = "partition with quorum" if view.have_quorum else "partition WITHOUT quorum"
        lines.append(f"Current DC: {dc_node.name} ({dc_node.node_id}) - {quorum}")
        lines.append(f"Version: {info.version}")
    else:
        lines.append("Current DC: NONE")
    lines.append(f"{len(view.nodes)} Nodes configured, unknown expected votes")
    lines.append(f"{len(view.resources)} Resources configured.")
    lines += [RULE, ""]
    online, offline = [], []
    for node in view.nodes:
        if node.unclean:
            lines.append(f"Node {node.name} ({node.node_id}): UNCLEAN (offline)")
        elif node.online and node.standby:
            lines.append(f"Node {node.name} ({node.node_id}): standby")
        elif node.online:
            online.append(node.name)
        else:
            offline.append(node.name)
    if online:
        lines.append(f"Online: [ {' '.join(online)} ]")
    if offline:
        lines.append(f"OFFLINE: [ {' '.join(offline)} ]")
    lines.append("")
    lines += [line for res in view.resources for line in _resource(view, res, opts)]
    if opts.failcounts:
        lines += ["", "Migration summary:"]
        for node in view.nodes:
            if not node.online:
                continue
            lines.append(f"* Node {node.name}: ")
            for rsc, (n, _last) in fail_counts(node).items():
                lines.append(f"   {rsc}: migration-threshold="
                             f"{view.rsc_defaults.get('migration-threshold', '1000000')} fail-count={n}")
    failed = view.failed_ops()
    if failed:
        lines += ["", "Failed actions:"]
        for op in failed:
            lines.append(f"    {op.rsc}_{op.task}_{op.interval_ms} (node={op.node}, call={op.call_id}, "
                         f"rc={op.rc}, status=complete): {RC_TEXT.get(op.rc, 'unknown error')}")
    return "\n".join(lines) + "\n"
