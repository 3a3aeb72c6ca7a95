"""The CIB ``<status>`` section in Pacemaker's format <-> :mod:`crmsh_py.engine.status` dataclasses.

We write what Pacemaker's controller writes, so ``/usr/sbin/crm_mon`` and ``crm_simulate`` with
``CIB_file=<our cib.xml>`` read our status and agree with us::

    <node_state id=UUID uname=srv01 in_ccm="true" crmd="online" join="member" expected="member">
      <transient_attributes id=UUID><instance_attributes id="status-UUID">
          <nvpair id="status-UUID-fail-count-dummy.monitor_10000" name="fail-count-dummy#monitor_10000" value="1"/>
      <lrm id=UUID><lrm_resources><lrm_resource id="dummy" class="ocf" provider="heartbeat" type="Dummy">
          <lrm_rsc_op id="dummy_last_0" operation_key="dummy_start_0" operation="start" call-id="2"
                      rc-code="0" op-status="0" interval="0" transition-key=... transition-magic=... .../>

History is compacted the way Pacemaker does it: per resource and node the last one-shot operation
(``<rsc>_last_0``), the last failure (``<rsc>_last_failure_0``) and one entry per recurring
operation (``<rsc>_monitor_10000``).
"""

from __future__ import annotations

import time
from crmsh_py import xmltree as ET

from crmsh_py.engine import membership
from crmsh_py.engine.definition import ClusterDefinition
from crmsh_py.engine.status import ClusterStatus, NodeStatus, OpRecord, ResourceHistory, expected_rc
from crmsh_py.cib.tickets import read_tickets
from crmsh_py.cib.vocabulary import is_true
from crmsh_py.engine.attr_blocks_xml import resolve_xml

CRM_FEATURE_SET = "3.16.1"
# A fixed "DC uuid" part of transition keys: our transitions are not a real controller's.
TRANSITION_UUID = "c0ffee00-0000-4000-8000-000000000000"
# What Pacemaker's crm_simulate writes into the transition keys of the results it injects (with
# transition -1): a pending op of a real transition of that name then counts as older.
SIMULATION_UUID = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"


# --------------------------------------------------------------------------- reading


def _older_than(version: str | None, than: tuple[int, ...]) -> bool:
    """Whether a dotted version (a CIB's ``crm_feature_set``) is older than ``than``; a missing
    one is older than anything, as Pacemaker compares it."""
    if not version:
        return True
    parts: list[int] = []
    for word in version.split("."):
        digits = "".join(ch for ch in word if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts) < than


def status_from_cib(root: ET.Element, definition: ClusterDefinition, now: int | None = None) -> ClusterStatus:
    """The whole status: nodes in definition order (then any other node_state), DC, quorum.

    ``standby``/``maintenance`` are resolved from permanent node attributes (configuration
    ``<nodes>``) overridden by transient ones, like Pacemaker.
    """
    now = int(time.time()) if now is None else now
    permanent = _permanent_node_attributes(root, now)
    states = {s.get("uname") or s.get("id") or "": s for s in _status(root).findall("node_state")}
    position = {name: i for i, name in enumerate(states)}
    names = list(definition.node_names)
    names += [n for n in states if n not in names]
    names += [n for n in permanent if n not in names]
    result = ClusterStatus(dc=membership.dc_name(root, definition),
                           have_quorum=root.get("have-quorum", "1") in ("1", "true"),
                           quorum_panic=root.get("no-quorum-panic", "0") not in ("0", "", "false"),
                           now=now, legacy_fail_counts=_older_than(root.get("crm_feature_set"), (3, 0, 13)))
    for name in names:
        node_def = definition.node(name)
        state = states.get(name)
        node = NodeStatus(name=name, node_id=node_def.uuid if node_def else (state.get("id", name) if state is not None else name))
        node.attributes = dict(permanent.get(name, {}))
        node.state_index = position.get(name, len(position))
        if state is not None:
            _read_node_state(state, node)
        else:
            node.online = False
            node.seen = False
        merged = {**node.attributes, **node.transient_attributes}
        node.standby = is_true(merged.get("standby"))
        node.maintenance = is_true(merged.get("maintenance"))
        result.nodes[name] = node
    result.tickets = read_tickets(root)
    return result


def _read_node_state(state: ET.Element, node: NodeStatus) -> None:
    kind = membership.state_of(state)
    node.online = kind == "online"
    node.unclean = kind == "unclean"
    node.expected_down = state.get("expected") == "down"
    node.joined_at = int(state.get(membership.JOINED_ATTR, "0") or 0)
    node.state_attrs = {k: v for k, v in state.attrib.items() if k in ("in_ccm", "crmd", "join", "expected")}
    for nvpair in state.findall("transient_attributes/instance_attributes/nvpair"):
        if nvpair.get("name") is not None:
            node.transient_attributes[nvpair.get("name", "")] = nvpair.get("value", "")
    for lrm_rsc in state.findall("lrm/lrm_resources/lrm_resource"):
        history = ResourceHistory(rsc_id=lrm_rsc.get("id", ""), ra_class=lrm_rsc.get("class", ""),
                                  ra_type=lrm_rsc.get("type", ""), provider=lrm_rsc.get("provider"))
        seen: set[tuple[int, str, int, int, int]] = set()
        for op in lrm_rsc.findall("lrm_rsc_op"):
            record = op_from_xml(op, node.name)
            same = (record.call_id, record.task, record.interval_ms, record.rc, record.op_status)
            if same in seen and record.call_id > 0:
                continue  # _last_failure_0 repeating _last_0 (a differing one is kept: it tells more)
            seen.add(same)
            history.ops.append(record)
        earlier = node.resources.get(history.rsc_id)
        if earlier is not None:  # the same id twice on a node (old CIBs): one history
            history.ops = earlier.ops + history.ops
        history.ops.sort(key=lambda o: o.call_id)
        node.resources[history.rsc_id] = history


def op_from_xml(op: ET.Element, node_name: str) -> OpRecord:
    """One ``lrm_rsc_op`` as an OpRecord (expected rc from the transition key)."""
    expected = expected_rc(op.get("transition-key", ""))
    return OpRecord(
        task=op.get("operation", ""),
        interval_ms=_int(op.get("interval")),
        rc=_int(op.get("rc-code")),
        call_id=_int(op.get("call-id")),
        op_status=_int(op.get("op-status")),
        last_rc_change=_int(op.get("last-rc-change") or op.get("last-run")),
        exec_time_ms=_int(op.get("exec-time")),
        expected_rc=expected,
        on_node=op.get("on_node") or node_name,
        migrate_source=op.get("migrate_source", ""),
        migrate_target=op.get("migrate_target", ""),
        op_digest=op.get("op-digest", ""),
        restart_digest=op.get("op-restart-digest"),
        force_restart=op.get("op-force-restart"),
        secure_params=op.get("op-secure-params"),
        secure_digest=op.get("op-secure-digest"),
        feature_set=op.get("crm_feature_set", ""),
        magic=op.get("transition-magic", ""),
    )


def _permanent_node_attributes(root: ET.Element, now: int) -> dict[str, dict[str, str]]:
    """Each configured node's attribute blocks, resolved at ``now`` (scores, date rules)."""
    result: dict[str, dict[str, str]] = {}
    nodes = root.find("configuration/nodes")
    for node in nodes.findall("node") if nodes is not None else []:
        result[node.get("uname") or node.get("id") or ""] = resolve_xml(node, "instance_attributes", now)
    return result


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _status(root: ET.Element) -> ET.Element:
    status = root.find("status")
    if status is None:
        status = ET.SubElement(root, "status")
    return status


# --------------------------------------------------------------------------- writing


def lrm_resource_element(root: ET.Element, definition: ClusterDefinition, node: str, history: ResourceHistory,
                         node_id: str | None = None) -> ET.Element:
    """The ``lrm_resource`` of ``history.rsc_id`` on ``node`` (created with the agent's class/type)."""
    state = _node_state(root, definition, node, node_id)
    lrm = state.find("lrm")
    if lrm is None:
        lrm = ET.SubElement(state, "lrm", {"id": state.get("id", node)})
    resources = lrm.find("lrm_resources")
    if resources is None:
        resources = ET.SubElement(lrm, "lrm_resources")
    for rsc in resources.findall("lrm_resource"):
        if rsc.get("id") == history.rsc_id:
            return rsc
    attrs = {"id": history.rsc_id, "class": history.ra_class}
    if history.provider:
        attrs["provider"] = history.provider
    attrs["type"] = history.ra_type
    return ET.SubElement(resources, "lrm_resource", attrs)


def record_op(root: ET.Element, definition: ClusterDefinition, node: str, history: ResourceHistory,
              op: OpRecord, transition: int = 0, action: int = 0, node_id: str | None = None,
              exit_reason: str = "", digest: str | None = None, uuid: str = TRANSITION_UUID,
              call_ids: CallIds | None = None) -> None:
    """Record one finished operation in the node's history, compacting like Pacemaker.

    ``digest`` is the operation's parameter digest (:func:`crmsh_py.engine.digest.op_digest`);
    without it Pacemaker's scheduler treats the parameters as changed and plans a restart.
    ``call_ids`` is the counter the operation's call id came from (it learns the id is taken).
    """
    rsc = lrm_resource_element(root, definition, node, history, node_id)
    # the entry names the agent that ran last: after a changed agent ran once, it is the new one
    # (else the scheduler would see the change again and restart it over and over)
    if history.ra_class and history.ra_type:
        rsc.set("class", history.ra_class)
        rsc.set("type", history.ra_type)
        if history.provider:
            rsc.set("provider", history.provider)
        elif "provider" in rsc.attrib:
            del rsc.attrib["provider"]
    if call_ids is not None:
        call_ids.note(op.call_id)
    key = f"{history.rsc_id}_{op.task}_{op.interval_ms}"
    element = _op_element(op, key, transition, action, exit_reason, uuid)
    digest = digest or op.op_digest
    if digest:
        element.set("op-digest", digest)
    if op.restart_digest is not None:
        element.set("op-force-restart", op.force_restart or "")
        element.set("op-restart-digest", op.restart_digest)
    if op.secure_digest is not None:
        element.set("op-secure-params", op.secure_params or "")
        element.set("op-secure-digest", op.secure_digest)
    if op.migrate_source and op.migrate_target:
        element.set("migrate_source", op.migrate_source)
        element.set("migrate_target", op.migrate_target)
    entry_ids = [f"{history.rsc_id}_last_0" if op.interval_ms == 0 else key]
    if op.failed:
        entry_ids.append(f"{history.rsc_id}_last_failure_0")
    for entry_id in entry_ids:
        for old in rsc.findall("lrm_rsc_op"):
            if old.get("id") == entry_id:
                rsc.remove(old)
        copy = ET.SubElement(rsc, "lrm_rsc_op", dict(element.attrib))
        copy.set("id", entry_id)


def _op_element(op: OpRecord, key: str, transition: int, action: int, exit_reason: str,
                uuid: str = TRANSITION_UUID) -> ET.Element:
    tkey = f"{action}:{transition}:{op.expected_rc}:{uuid}"
    return ET.Element("lrm_rsc_op", {
        "id": key, "operation_key": key, "operation": op.task, "crm-debug-origin": "do_update_resource",
        "crm_feature_set": CRM_FEATURE_SET, "transition-key": tkey,
        "transition-magic": f"{op.op_status}:{op.rc};{tkey}", "exit-reason": exit_reason,
        "on_node": op.on_node, "call-id": str(op.call_id), "rc-code": str(op.rc),
        "op-status": str(op.op_status), "interval": str(op.interval_ms),
        "last-rc-change": str(op.last_rc_change), "exec-time": str(op.exec_time_ms), "queue-time": "0",
    })


def remove_recurring(root: ET.Element, definition: ClusterDefinition, node: str, rsc_id: str,
                     task: str | None = None, interval_ms: int | None = None) -> None:
    """Forget armed recurring operations of ``rsc_id`` on ``node`` (a stop cancels them)."""
    for rsc in _lrm_resources(root, definition, node):
        if rsc.get("id") != rsc_id:
            continue
        for op in list(rsc.findall("lrm_rsc_op")):
            interval = _int(op.get("interval"))
            if interval == 0 or op.get("id", "").endswith("_last_failure_0"):
                continue
            if task is not None and op.get("operation") != task:
                continue
            if interval_ms is not None and interval != interval_ms:
                continue
            rsc.remove(op)


def clear_resource_history(root: ET.Element, definition: ClusterDefinition, rsc_id: str,
                           node: str | None = None, keep_attributes: bool = False) -> int:
    """Remove the ``lrm_resource`` of ``rsc_id`` (on ``node`` or everywhere) and its fail counts
    (``crm_resource --cleanup``); returns how many histories were removed."""
    removed = 0
    for state in _status(root).findall("node_state"):
        if node is not None and state.get("uname") != node:
            continue
        resources = state.find("lrm/lrm_resources")
        if resources is not None:
            for rsc in list(resources.findall("lrm_resource")):
                if rsc.get("id") == rsc_id or rsc.get("id", "").startswith(rsc_id + ":"):
                    resources.remove(rsc)
                    removed += 1
        name = state.get("uname") or ""
        for attr in [] if keep_attributes else list(transient_attributes(state)):
            if attr in (f"fail-count-{rsc_id}", f"last-failure-{rsc_id}") or \
                    attr.startswith((f"fail-count-{rsc_id}#", f"last-failure-{rsc_id}#")):
                set_transient_attribute(root, definition, name, attr, None)
    return removed


def clear_node_history(root: ET.Element, definition: ClusterDefinition, node: str) -> None:
    """Forget everything a node ran and its transient attributes (after fencing or a restart)."""
    state = _node_state(root, definition, node, None)
    for child in list(state):
        if child.tag in ("lrm", "transient_attributes"):
            state.remove(child)


def transient_attributes(state: ET.Element) -> dict[str, str]:
    """The transient attributes of one ``node_state`` element."""
    return {nv.get("name", ""): nv.get("value", "")
            for nv in state.findall("transient_attributes/instance_attributes/nvpair")}


def get_transient_attribute(root: ET.Element, node: str, name: str) -> str | None:
    """The value of transient attribute ``name`` on ``node`` (None when not set)."""
    for state in _status(root).findall("node_state"):
        if state.get("uname") == node:
            return transient_attributes(state).get(name)
    return None


def set_transient_attribute(root: ET.Element, definition: ClusterDefinition, node: str, name: str,
                            value: str | None, node_id: str | None = None) -> None:
    """Set (or with ``value=None`` delete) a transient attribute, with Pacemaker's element ids
    (``status-<uuid>-<name>`` where ``#`` becomes ``.``)."""
    state = _node_state(root, definition, node, node_id)
    uuid = state.get("id", node)
    transient = state.find("transient_attributes")
    if transient is None:
        if value is None:
            return
        transient = ET.Element("transient_attributes", {"id": uuid})
        state.insert(0, transient)
    attrs = transient.find("instance_attributes")
    if attrs is None:
        attrs = ET.SubElement(transient, "instance_attributes", {"id": f"status-{uuid}"})
    for nvpair in attrs.findall("nvpair"):
        if nvpair.get("name") == name:
            if value is None:
                attrs.remove(nvpair)
            else:
                nvpair.set("value", value)
            return
    if value is not None:
        nv_id = f"status-{uuid}-{name}".replace("#", ".")
        ET.SubElement(attrs, "nvpair", {"id": nv_id, "name": name, "value": value})


class CallIds:
    """The operation call ids of one CIB (one counter for the whole cluster keeps ids increasing).

    The status is scanned for its highest id on the first :meth:`next` only: a settle or a
    simulation that records N operations would otherwise scan N times (a minute for 1,000
    resources).  One counter serves one command's work on one root; :func:`record_op` tells it of
    the ids it records (code writing ``lrm_rsc_op`` elements by hand does so before the first
    :meth:`next`, as it does today: within one command, before settling)."""

    __slots__ = ("root", "_highest")

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self._highest: int | None = None

    def next(self) -> int:
        """The next call id: one above the highest seen (taken only once an operation records it)."""
        if self._highest is None:
            self._highest = max((_int(op.get("call-id")) for op in _status(self.root).iter("lrm_rsc_op")),
                                default=0)
        return self._highest + 1

    def note(self, call_id: int) -> None:
        """An operation with ``call_id`` was recorded."""
        if self._highest is not None and call_id > self._highest:
            self._highest = call_id


def _lrm_resources(root: ET.Element, definition: ClusterDefinition, node: str) -> list[ET.Element]:
    for state in _status(root).findall("node_state"):
        if state.get("uname") == node:
            return state.findall("lrm/lrm_resources/lrm_resource")
    return []


def _node_state(root: ET.Element, definition: ClusterDefinition, node: str, node_id: str | None) -> ET.Element:
    for state in _status(root).findall("node_state"):
        if state.get("uname") == node:
            return state
    state = membership.node_state_element(root, definition, node)
    if node_id:
        state.set("id", node_id)
    return state
