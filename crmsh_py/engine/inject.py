"""Cluster events, real or injected: nodes joining, leaving cleanly, failing; operation results.

The vocabulary is ``crm_simulate``'s: node up / down / fail, and an operation result
``RSC_TASK_INTERVALMS@NODE=RC`` (``dummy_monitor_10000@srv01=7``).  Unlike crm_simulate these
act on the live bundled cluster: each event is applied under the cluster lock and the cluster is
settled (scheduler, agents, fencing) before the lock is released, whether or not the engine
daemon runs.  The daemon only adds what needs time: repeating monitors, expiring failures, and
bringing a rebooted node back after ``reboot_delay``.

- :func:`node_up`: the node joins fresh (no history, so it is probed) and the DC is re-elected.
- :func:`nodes_leave`: clean shutdown, like stopping Pacemaker on the node: its resources are
  stopped or moved away first (the node is treated as standby during that settle), then it goes
  offline and its history and transient attributes are dropped.
- :func:`node_fail`: the node is lost without shutdown: its agents' processes and state die with
  it (its ``HA_RSCTMP`` is emptied) and it becomes *unclean*; the scheduler then fences it when
  stonith is enabled and a device can, and recovers its resources elsewhere; when fencing is
  impossible the scheduler blocks and the reasons are logged and returned.
- :func:`inject_op`: record a result as if the agent had returned it, then re-plan.

:func:`parse_op_spec` and :func:`mark_node` work on plain XML so that ``crm_simulate`` can use them
on its private copy of the CIB.
"""

from __future__ import annotations

import re
import shutil
import time
from crmsh_py import xmltree as ET
from typing import TYPE_CHECKING

from crmsh_py.engine import cibfile, membership, status_xml
from crmsh_py.engine.definition import ClusterDefinition
from crmsh_py.errors import CommandError
from crmsh_py.records import record

if TYPE_CHECKING:
    from crmsh_py.engine.store import BundledCluster, CibSnapshot

CRM_EX_NOSUCH = 105
_TASKS = "migrate_to|migrate_from|start|stop|monitor|promote|demote|notify|reload|reload-agent"
_OP_SPEC = re.compile(rf"^(?P<rsc>.+)_(?P<task>{_TASKS})_(?P<interval>\d+)@(?P<node>[^=@\s]+)=(?P<rc>\d+)$")


@record(frozen=True)
class OpInjection:
    """A parsed ``RSC_TASK_INTERVALMS@NODE=RC``."""

    rsc_id: str
    task: str
    interval_ms: int
    node: str
    rc: int


def parse_op_spec(text: str) -> OpInjection:
    """Parse crm_simulate's op-inject syntax; CommandError (usage) when malformed."""
    match = _OP_SPEC.match(text.strip())
    if match is None:
        raise CommandError(f"invalid operation spec '{text}': use RSC_TASK_INTERVALMS@NODE=RC, "
                           "e.g. dummy_monitor_10000@srv01=7", exit_code=64)
    return OpInjection(match["rsc"], match["task"], int(match["interval"]), match["node"], int(match["rc"]))


def mark_node(root: ET.Element, definition: ClusterDefinition, node: str, event: str, now: int) -> None:
    """Apply a membership event to ``root`` only (no agent, no settle): ``up`` joins fresh,
    ``down`` goes offline cleanly (history dropped), ``fail`` goes unclean (history kept: the
    cluster must assume its resources may still run until it is fenced)."""
    if event == "up":
        if membership.state_of(membership.node_state_element(root, definition, node)) != "online":
            status_xml.clear_node_history(root, definition, node)
            membership.node_join(root, definition, node, now)
    elif event == "down":
        status_xml.clear_node_history(root, definition, node)
        membership.set_state(root, definition, node, "offline")
    elif event == "fail":
        membership.set_state(root, definition, node, "unclean")
    else:
        raise CommandError(f"unknown node event '{event}' (use up, down or fail)", exit_code=64)


def _check_node(snap: "CibSnapshot", node: str) -> None:
    if snap.definition.node(node) is None:
        raise CommandError(f"node '{node}' is not part of the cluster (nodes: "
                           f"{' '.join(snap.definition.node_names)})", exit_code=CRM_EX_NOSUCH)


def _state(snap: "CibSnapshot", node: str) -> str:
    return membership.state_of(membership.node_state_element(snap.root, snap.definition, node))


def _load(cluster: "BundledCluster") -> "CibSnapshot":
    from crmsh_py.engine.store import CibSnapshot

    return CibSnapshot(cibfile.read_cib(cluster.path), cluster.definition, cluster.path, False)


def node_up(cluster: "BundledCluster", nodes: list[str], tool: str) -> list[str]:
    """Bring ``nodes`` online (those not online yet) and settle; returns the nodes that joined."""
    from crmsh_py.engine.daemon_events import REJOIN_ATTR

    joined: list[str] = []
    with cluster.mutate(tool) as snap:
        for node in nodes:
            _check_node(snap, node)
        for node in nodes:
            membership.node_state_element(snap.root, snap.definition, node).attrib.pop(REJOIN_ATTR, None)
            if _state(snap, node) != "online":
                mark_node(snap.root, snap.definition, node, "up", int(time.time()))
                joined.append(node)
    for node in joined:
        cluster.log("pacemaker-controld", f"Node {node} joined the cluster", "notice", node=node)
    return joined


def nodes_leave(cluster: "BundledCluster", nodes: list[str], tool: str) -> list[str]:
    """Shut ``nodes`` down cleanly (resources stopped or moved first); returns those that left."""
    from crmsh_py.engine.settle import settle_snapshot

    with cluster.locked():
        snap = _load(cluster)
        for node in nodes:
            _check_node(snap, node)
        leaving = [n for n in nodes if _state(snap, n) != "offline"]
        if not leaving:
            if _cancel_rejoins(snap, nodes):  # a rebooting node asked to stay down
                cibfile.bump_updates(snap.root)
                cibfile.write_cib_atomic(cluster.path, snap.root)
            return []
        _cancel_rejoins(snap, nodes)
        for node in leaving:
            cluster.log("pacemaker-controld", f"Node {node} is shutting down", "notice", node=node)
            if _state(snap, node) == "online":
                # a shutting-down node may not run resources: standby is exactly that rule, and it
                # never reaches the disk (the node's transient attributes are dropped below)
                status_xml.set_transient_attribute(snap.root, snap.definition, node, "standby", "on")
        settle_snapshot(cluster, snap, tool)
        for node in leaving:
            mark_node(snap.root, snap.definition, node, "down", int(time.time()))
            cluster.log("pacemaker-controld", f"Node {node} left the cluster", "notice", node=node)
        settle_snapshot(cluster, snap, tool)
        cibfile.bump_updates(snap.root)
        cibfile.write_cib_atomic(cluster.path, snap.root)
    return leaving


def _cancel_rejoins(snap: "CibSnapshot", nodes: list[str]) -> bool:
    """Forget pending reboots of ``nodes`` (they were asked to stay down); True if any was pending."""
    from crmsh_py.engine.daemon_events import REJOIN_ATTR

    found = False
    for node in nodes:
        state = membership.node_state_element(snap.root, snap.definition, node)
        found = state.attrib.pop(REJOIN_ATTR, None) is not None or found
    return found


def node_fail(cluster: "BundledCluster", node: str, tool: str) -> list[str]:
    """Lose ``node`` without shutdown, then let the cluster react (fence, recover); returns the
    reasons recovery is blocked (empty when the cluster could handle it)."""
    from crmsh_py.engine import scheduler
    from crmsh_py.engine.settle import settle_snapshot

    with cluster.locked():
        snap = _load(cluster)
        _check_node(snap, node)
        if _state(snap, node) != "online":
            raise CommandError(f"node '{node}' is not online", exit_code=CRM_EX_NOSUCH)
        # the node's processes die with it: what its agents kept in HA_RSCTMP is gone
        shutil.rmtree(cluster.rsctmp(node), ignore_errors=True)
        cluster.rsctmp(node)
        mark_node(snap.root, snap.definition, node, "fail", int(time.time()))
        cluster.log("pacemaker-controld", f"Node {node} was lost without shutting down (unclean)", "warning",
                    node=node)
        cibfile.bump_updates(snap.root)
        settle_snapshot(cluster, snap, tool)
        cibfile.write_cib_atomic(cluster.path, snap.root)
        blocked = list(scheduler.plan(snap.configuration, snap.status).blocked)
    for reason in blocked:
        cluster.log("pacemaker-schedulerd", f"Recovery blocked: {reason}", "warning")
    return blocked


def inject_op(cluster: "BundledCluster", text: str, tool: str) -> OpInjection:
    """Record ``RSC_TASK_INTERVALMS@NODE=RC`` as if the agent had returned RC, then settle."""
    from crmsh_py.engine import resources, settle
    from crmsh_py.engine.executor import OpResult

    inj = parse_op_spec(text)
    with cluster.mutate(tool) as snap:
        _check_node(snap, inj.node)
        cfg = snap.configuration
        spec = resources.resolve(cfg, inj.rsc_id)
        if spec is None:
            raise CommandError(f"resource '{inj.rsc_id}' not found", exit_code=CRM_EX_NOSUCH)
        probe = inj.task == "monitor" and inj.interval_ms == 0
        expected = settle.expected_rc(inj.task, inj.interval_ms, spec, probe)
        cluster.log("pacemaker-controld", f"Injecting result {inj.rc} of {inj.rsc_id}_{inj.task}_"
                    f"{inj.interval_ms} on {inj.node}", "notice", node=inj.node)
        result = OpResult(rc=inj.rc, op_status=0, exec_ms=0, output="")
        settle.record_result(cluster, snap, spec, inj.task, inj.rsc_id, inj.node, inj.interval_ms, result,
                             int(time.time()), expected, settle.SettleReport(), probe=probe)
    return inj
