"""Where a resource runs, read straight from the status section when its history is plain.

``crm_resource --move`` needs the nodes a resource is active on before it writes its constraints.
The status view (:mod:`crmsh_py.engine.status_view`) answers that for every case, but building it
costs a one-shot the view's modules and a pass over every resource.  For the usual case, a
top-level primitive or group whose operations all succeeded on nodes that are plainly members, the
answer depends on nothing but the order of those operations: no on-fail policy, failure-timeout or
fail count is consulted when no operation failed.  This module reads that case with the very
helpers the view and the scheduler use (``status.distinct_history`` for the entries that
count, ``status_xml.op_from_xml`` for each operation,
``op_history.replay_ops`` for the role it leaves), and says ``None`` for everything else, so the
caller asks the full view: one reading of history, taken in two sizes.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

# a node_state exactly as a member that is up and has joined: no membership rule can read it otherwise
_MEMBER = {"in_ccm": "true", "crmd": "online", "join": "member", "expected": "member"}


def _primitive_ids(root: ET.Element, rsc_id: str) -> list[str] | None:
    """The primitives of ``rsc_id`` when it is a primitive or a group at the top level of
    ``<resources>``; None for anything else (clones, bundles, a group's member, unknown ids)."""
    resources = root.find("configuration/resources")
    if resources is None:
        return None
    for element in resources:
        if element.get("id") != rsc_id:
            continue
        if element.tag == "primitive":
            return [rsc_id]
        if element.tag == "group":
            return [child.get("id", "") for child in element if child.tag == "primitive"]
        return None
    return None


def _plain_member(state: ET.Element) -> bool:
    """Whether a ``node_state`` is a cluster node that is up and has joined (not a remote node)."""
    return state.get("remote_node") != "true" and all(state.get(k) == v for k, v in _MEMBER.items())


def running_nodes(root: ET.Element, rsc_id: str) -> list[str] | None:
    """The sorted names of the nodes where a primitive of ``rsc_id`` is active, or None when
    the answer needs the full status view (see the module's docstring for what is plain)."""
    primitives = _primitive_ids(root, rsc_id)
    if primitives is None:
        return None
    from crmsh_py.engine.op_history import STOPPED, replay_ops
    from crmsh_py.engine.status import distinct_history
    from crmsh_py.engine.status_xml import op_from_xml

    wanted = set(primitives)
    running: set[str] = set()
    for state in root.findall("status/node_state"):
        node = state.get("uname") or state.get("id") or ""
        for lrm_rsc in state.findall("lrm/lrm_resources/lrm_resource"):
            rid = lrm_rsc.get("id", "")
            if rid.partition(":")[0] not in wanted:
                continue
            if rid not in wanted or not _plain_member(state):
                return None  # a clone instance's name, or a node whose membership rules decide
            ops = [op_from_xml(element, node) for element in distinct_history(lrm_rsc)]
            if any(op.op_status != 0 or op.call_id < 0 or op.rc != op.expected_rc for op in ops):
                return None  # a failure (or a pending or cancelled op): on-fail and timeouts count
            if any(op.task in ("migrate_to", "migrate_from") for op in ops):
                return None  # a migration counts on the other end too (status_view_migration)
            ops.sort(key=lambda op: op.call_id)
            if replay_ops(ops, False, _never_asked).role != STOPPED:
                running.add(node)
    return sorted(running)


def _never_asked(op: object) -> tuple[str, bool]:
    """The on-fail policy ``replay_ops`` asks for a failed operation: none reaches it here."""
    return "restart", False
