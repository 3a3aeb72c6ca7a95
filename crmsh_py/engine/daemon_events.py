"""Time-driven cluster events besides monitors: expiring failures and rebooted nodes rejoining.

- **failure-timeout**: a fail count whose ``last-failure`` is older than the resource's
  ``failure-timeout`` meta attribute has expired.  Like Pacemaker's controller, the daemon then
  clears it (``fail-count-*``/``last-failure-*`` and the failed history entries of that
  operation) and lets the scheduler re-plan.
- **rejoin**: a node fenced with ``reboot`` while the daemon runs stays down for the
  ``reboot_delay`` of ``cluster.yaml``; :func:`schedule_rejoin` marks when it is back (a
  ``crmsh_py-rejoin-at`` attribute on its ``node_state``, UNIX seconds) and the daemon makes it
  join when that time has come.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.cib.model import Configuration
from crmsh_py.engine import membership, status_xml
from crmsh_py.engine.definition import ClusterDefinition
from crmsh_py.records import record

REJOIN_ATTR = "crmsh_py-rejoin-at"


@record(frozen=True)
class ExpiredFailure:
    """A fail count that has outlived its resource's failure-timeout."""

    node: str
    rsc_id: str  # the history id (``dummy``, or ``rsc:N`` for unique clones)
    op_key: str  # ``monitor_10000``
    timeout_s: int


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def expired_failures(root: ET.Element, cfg: Configuration, now: float) -> list[ExpiredFailure]:
    """Fail counts in the status of ``root`` whose failure-timeout has passed at ``now``."""
    from crmsh_py.engine import resources

    out: list[ExpiredFailure] = []
    timeouts: dict[str, int] = {}
    status = root.find("status")
    for state in status.findall("node_state") if status is not None else []:
        attrs = status_xml.transient_attributes(state)
        for name in sorted(attrs):
            if not name.startswith("fail-count-") or "#" not in name:
                continue
            rest = name[len("fail-count-"):]
            rsc_id, op_key = rest.split("#", 1)
            if rsc_id not in timeouts:
                spec = resources.resolve(cfg, rsc_id)
                timeouts[rsc_id] = resources.duration_ms(spec.meta.get("failure-timeout"), 0) // 1000 \
                    if spec is not None else 0
            timeout = timeouts[rsc_id]
            last = _float(attrs.get("last-failure-" + rest))
            if timeout > 0 and last is not None and last + timeout <= now:
                out.append(ExpiredFailure(state.get("uname") or "", rsc_id, op_key, timeout))
    return out


def clear_failure(root: ET.Element, definition: ClusterDefinition, failure: ExpiredFailure) -> None:
    """Forget one expired failure: its fail count, last-failure and failed history entries."""
    suffix = f"{failure.rsc_id}#{failure.op_key}"
    status_xml.set_transient_attribute(root, definition, failure.node, f"fail-count-{suffix}", None)
    status_xml.set_transient_attribute(root, definition, failure.node, f"last-failure-{suffix}", None)
    operation_key = f"{failure.rsc_id}_{failure.op_key}"
    status = root.find("status")
    for state in status.findall("node_state") if status is not None else []:
        if state.get("uname") != failure.node:
            continue
        for rsc in state.findall("lrm/lrm_resources/lrm_resource"):
            if rsc.get("id") != failure.rsc_id:
                continue
            for op in list(rsc.findall("lrm_rsc_op")):
                record = status_xml.op_from_xml(op, failure.node)
                if op.get("operation_key") == operation_key and record.failed:
                    rsc.remove(op)


def schedule_rejoin(root: ET.Element, definition: ClusterDefinition, node: str, at: float) -> None:
    """Mark ``node`` (offline, rebooting) to rejoin at UNIX time ``at``."""
    membership.node_state_element(root, definition, node).set(REJOIN_ATTR, f"{at:.3f}")


def due_rejoins(root: ET.Element, now: float) -> list[str]:
    """Nodes whose rejoin time has come."""
    status = root.find("status")
    return [state.get("uname") or "" for state in (status.findall("node_state") if status is not None else [])
            if (when := _float(state.get(REJOIN_ATTR))) is not None and when <= now]


def rejoin(root: ET.Element, definition: ClusterDefinition, node: str, now: int) -> bool:
    """Bring a rebooted ``node`` back (fresh: no history); False when it was back already."""
    state = membership.node_state_element(root, definition, node)
    state.attrib.pop(REJOIN_ATTR, None)
    if membership.state_of(state) == "online":
        return False
    status_xml.clear_node_history(root, definition, node)
    membership.node_join(root, definition, node, now)
    return True
