"""Membership of the bundled cluster: who is online, offline or unclean, who is DC, quorum.

The facts live in the CIB status like Pacemaker keeps them: ``<node_state in_ccm crmd join
expected>`` per node, ``dc-uuid`` and ``have-quorum`` on ``<cib>``.  We add one attribute of our own
to ``node_state``, ``crmsh_py-joined`` (UNIX time of the last join), which the election reads;
Pacemaker's status schema accepts any attribute and its tools ignore it.

Node states (attribute values Pacemaker's tools understand):

==========  =======  =======  ======  ========
state       in_ccm   crmd     join    expected
==========  =======  =======  ======  ========
online      true     online   member  member
offline     false    offline  down    down       (left cleanly, or fenced)
unclean     false    offline  down    member     (lost without shutdown: must be fenced)
==========  =======  =======  ======  ========

**DC election rule.**  The DC is the online, clean node that joined first (smallest join time):
a running DC keeps its role while other nodes come and go.  Nodes that joined at the same moment
(a fresh cluster, or all nodes restarted together) are tied; the tie goes to the node listed *last*
in ``cluster.yaml`` (the highest node id).  This is the simple rule that reproduces the reference
demo, where on a freshly started cluster srv02 is DC while resources are placed on srv01 (the
scheduler's own tie-break prefers the first node), so the DC and the resources' node differ.  A DC
that leaves (stop, crash, fence) hands over to the next node by the same rule.

**Quorum.**  More than half of the configured nodes online; a two-node cluster keeps quorum with
one node (corosync's ``two_node`` mode, the usual setting for such clusters).
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.engine.definition import ClusterDefinition

JOINED_ATTR = "crmsh_py-joined"
_STATES: dict[str, dict[str, str]] = {
    "online": {"in_ccm": "true", "crmd": "online", "join": "member", "expected": "member"},
    "offline": {"in_ccm": "false", "crmd": "offline", "join": "down", "expected": "down"},
    "unclean": {"in_ccm": "false", "crmd": "offline", "join": "down", "expected": "member"},
}


def node_state_element(root: ET.Element, definition: ClusterDefinition, name: str) -> ET.Element:
    """The ``node_state`` of node ``name`` (created offline with an empty lrm when missing)."""
    status = root.find("status")
    if status is None:
        status = ET.SubElement(root, "status")
    node = definition.node(name)
    uuid = node.uuid if node else name
    for state in status.findall("node_state"):
        if state.get("uname") == name or state.get("id") == uuid:
            return state
    state = ET.SubElement(status, "node_state", {"id": uuid, "uname": name, **_STATES["offline"],
                                                  "crm-debug-origin": "crmsh_py"})
    return state


def state_of(state: ET.Element) -> str:
    """``online``, ``offline`` or ``unclean`` from a ``node_state`` element."""
    if state.get("in_ccm") == "true" and state.get("crmd") == "online":
        return "online"
    if state.get("expected") == "member" and state.get("in_ccm") != "true":
        return "unclean"
    return "offline"


def set_state(root: ET.Element, definition: ClusterDefinition, name: str, new_state: str,
              now: int | None = None, origin: str = "crmsh_py") -> None:
    """Put node ``name`` into ``online``/``offline``/``unclean``; joining records the join time.
    Re-elects the DC and recomputes quorum."""
    state = node_state_element(root, definition, name)
    was_online = state_of(state) == "online"
    for key, value in _STATES[new_state].items():
        state.set(key, value)
    state.set("crm-debug-origin", origin)
    if new_state == "online" and not was_online:
        state.set(JOINED_ATTR, str(now or 0))
    reelect(root, definition)


def start_all(root: ET.Element, definition: ClusterDefinition, now: int) -> None:
    """Bring every node online at the same moment (a new cluster) and elect the DC."""
    for node in definition.nodes:
        state = node_state_element(root, definition, node.name)
        for key, value in _STATES["online"].items():
            state.set(key, value)
        state.set(JOINED_ATTR, str(now))
    reelect(root, definition)


def node_join(root: ET.Element, definition: ClusterDefinition, name: str, now: int) -> None:
    """Node ``name`` joins the cluster now."""
    set_state(root, definition, name, "online", now)


def elect_dc(candidates: list[tuple[str, int]], order: list[str]) -> str | None:
    """The DC among ``candidates`` (online clean nodes with their join times) — see the module doc.

    Earliest join wins; ties go to the node latest in ``order``.
    """
    if not candidates:
        return None
    position = {name: i for i, name in enumerate(order)}
    return min(candidates, key=lambda c: (c[1], -position.get(c[0], -1)))[0]


def reelect(root: ET.Element, definition: ClusterDefinition) -> str | None:
    """Recompute ``dc-uuid`` and ``have-quorum`` from the node states; returns the DC name."""
    status = root.find("status")
    states = status.findall("node_state") if status is not None else []
    online = [(s.get("uname") or "", int(s.get(JOINED_ATTR, "0") or 0)) for s in states
              if state_of(s) == "online"]
    current = definition.node_by_uuid(root.get("dc-uuid", ""))
    online_names = [name for name, _ in online]
    if current is not None and current.name in online_names:
        dc: str | None = current.name  # a running DC keeps its role
    else:
        dc = elect_dc(online, definition.node_names)
    dc_node = definition.node(dc) if dc else None
    if dc_node is not None:
        root.set("dc-uuid", dc_node.uuid)
    elif "dc-uuid" in root.attrib:
        del root.attrib["dc-uuid"]
    root.set("have-quorum", "1" if has_quorum(len(online_names), len(definition.nodes)) else "0")
    return dc


def has_quorum(online: int, total: int) -> bool:
    """More than half online; two-node clusters keep quorum with one node (two_node mode)."""
    if total == 2:
        return online >= 1
    return online * 2 > total


def dc_name(root: ET.Element, definition: ClusterDefinition) -> str | None:
    """The DC's node name from ``dc-uuid`` (None when there is no DC)."""
    node = definition.node_by_uuid(root.get("dc-uuid", ""))
    if node is not None:
        return node.name
    status = root.find("status")
    for state in status.findall("node_state") if status is not None else []:
        if state.get("id") == root.get("dc-uuid"):
            return state.get("uname")
    return None
