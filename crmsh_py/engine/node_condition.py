"""How the scheduler (and the status displays) read each node's membership: online, unclean (and why), pending, shutting down.

Pacemaker 2.1.5's rules, read from a ``node_state`` (``in_ccm``, ``crmd``, ``join``, ``expected``):

- With fencing enabled, a node that was expected up but left the membership is unclean: "peer is
  no longer part of the cluster"; one whose controller went away: "peer process is no longer
  available"; a node the cluster never saw (no ``node_state``) is unclean under
  ``startup-fencing`` and is fenced as "node is unclean".  A member whose ``join`` is still
  ``pending`` (or expected down yet in the membership) is *pending*: online but unable to run
  resources.  A node with a ``shutdown`` attribute is shutting down: its resources leave.
- Without fencing, a lost node is simply offline (unclean only when it was expected up and its
  controller still claims to be a peer: "peer is unexpectedly down").
- Under ``no-quorum-policy=suicide`` without quorum every online node fences itself: "cluster
  does not have quorum".

Nothing here decides whether a fence can run (that needs a device and quorum; see ``fencing``).
"""

from __future__ import annotations

from crmsh_py.cib.vocabulary import is_true
from crmsh_py.engine.status import ClusterStatus, NodeStatus
from crmsh_py.records import record



@record
class NodeCondition:
    """One node as the scheduler sees it."""

    name: str
    online: bool = False
    unclean: bool = False
    reason: str | None = None  # why it must be fenced (the first reason found wins)
    pending: bool = False
    shutdown: bool = False
    unseen: bool = False

    def mark_unclean(self, reason: str) -> bool:
        """Record a reason to fence; False when the node was already unclean (the reason is kept)."""
        if self.unclean:
            return False
        self.unclean, self.reason = True, reason
        return True

    @property
    def can_run(self) -> bool:
        """Whether resources may be placed here (before standby and maintenance are considered)."""
        return self.online and not self.unclean and not self.pending and not self.shutdown




def _shutdown_requested(node: NodeStatus) -> bool:
    value = node.transient_attributes.get("shutdown", "")
    return bool(value) and value != "0"


def _terminate_requested(node: NodeStatus) -> bool:
    value = node.transient_attributes.get("terminate", "")
    return is_true(value) or (bool(value) and value[0].isdigit() and value[0] != "0")


def _with_fencing(node: NodeStatus, cond: NodeCondition, shutdown: bool) -> None:
    raw = node.state_attrs
    in_cluster, peer = raw.get("in_ccm"), raw.get("crmd")
    join, expected = raw.get("join"), raw.get("expected") or "down"
    terminate = _terminate_requested(node)
    online = is_true(in_cluster)
    crmd_online = (peer or "").lower() == "online"
    if shutdown:
        online = crmd_online
    elif in_cluster is None:
        cond.mark_unclean("peer has not been seen by the cluster")
    elif join == "nack":
        cond.mark_unclean("peer failed Pacemaker membership criteria")
    elif not terminate and expected == "down":
        if online or crmd_online:
            cond.pending = True
    elif terminate and join == "down" and not online and not crmd_online:
        online = False  # it was just fenced
    elif not online:
        cond.mark_unclean("peer is no longer part of the cluster")
    elif not crmd_online:
        cond.mark_unclean("peer process is no longer available")
    elif terminate:
        cond.mark_unclean("termination was requested")
    elif join == "member":
        pass
    elif join in ("pending", "down"):
        cond.pending = True
    else:
        cond.mark_unclean("peer was in an unknown state")
    cond.online = online


def _without_fencing(node: NodeStatus, cond: NodeCondition) -> None:
    raw = node.state_attrs
    expected_up = raw.get("expected") == "member"
    if not is_true(raw.get("in_ccm")):
        return
    if (raw.get("crmd") or "").lower() == "online":
        cond.online = raw.get("join") == "member"
    elif expected_up:
        cond.mark_unclean("peer is unexpectedly down")


def _from_flags(node: NodeStatus, cond: NodeCondition, stonith: bool) -> None:
    # A status built without node_state attributes (the engine's own tests): trust its flags; a
    # lost node is merely down when fencing is off.
    cond.online = node.online and not node.unclean
    if node.unclean and stonith:
        cond.mark_unclean("peer is no longer part of the cluster")


def read_conditions(status: ClusterStatus, stonith: bool, startup_fencing: bool,
                    suicide_without_quorum: bool) -> dict[str, NodeCondition]:
    """Every node's condition, in ``status.nodes`` order."""
    out: dict[str, NodeCondition] = {}
    for name, node in status.nodes.items():
        cond = NodeCondition(name)
        out[name] = cond
        if not node.seen:
            cond.unseen = True
            cond.unclean = stonith and startup_fencing  # startup-fencing counts only with fencing on
            continue
        shutdown = _shutdown_requested(node)
        if not node.state_attrs:
            _from_flags(node, cond, stonith)
        elif stonith:
            _with_fencing(node, cond, shutdown)
        else:
            _without_fencing(node, cond)
        cond.shutdown = shutdown and cond.online
        if suicide_without_quorum and not status.have_quorum and cond.online:
            cond.mark_unclean("cluster does not have quorum")
    return out
