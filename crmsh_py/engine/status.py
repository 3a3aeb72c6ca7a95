"""The cluster status model: what the scheduler reads besides the configuration.

It mirrors the CIB ``<status>`` section (``node_state`` / ``lrm_rsc_op`` history /
``transient_attributes``) as plain dataclasses.  ``crmsh_py.engine.status_xml`` converts it to and
from Pacemaker's XML so that Pacemaker's own tools (``crm_mon``, ``crm_simulate`` with
``CIB_file``) read the status we write.
"""

from __future__ import annotations

from crmsh_py.cib.tickets import TicketState  # noqa: F401 - part of the status model
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from crmsh_py import xmltree as ET

# OCF return codes (Pacemaker's names)
OCF_SUCCESS = 0
OCF_ERR_GENERIC = 1
OCF_ERR_ARGS = 2
OCF_ERR_UNIMPLEMENTED = 3
OCF_ERR_PERM = 4
OCF_ERR_INSTALLED = 5
OCF_ERR_CONFIGURED = 6
OCF_NOT_RUNNING = 7
OCF_RUNNING_PROMOTED = 8
OCF_FAILED_PROMOTED = 9
# Execution status (op-status) of an operation, as Pacemaker records it beside rc-code: a timed-out
# op is op-status 2 with rc-code 1 (generic error), not a special return code.
PCMK_EXEC_DONE = 0
PCMK_EXEC_TIMEOUT = 2
PCMK_EXEC_ERROR = 4
#: every execution status as Pacemaker's tools name it (crm_mon's failed actions, crm_resource -O)
OP_STATUS_TEXT = {-1: "pending", 0: "complete", 1: "Cancelled", 2: "Timed Out", 3: "NOT SUPPORTED",
                  4: "Error", 5: "Not installed", 6: "Not Connected", 7: "Invalid parameter",
                  8: "exited", 9: "Degraded"}


def distinct_history(lrm_resource: ET.Element) -> list[ET.Element]:
    """The ``lrm_rsc_op`` entries of one ``lrm_resource`` a reader of history counts, in CIB
    order: an entry that repeats an earlier one (``*_last_failure_0`` copying ``*_last_0``: the
    same call id, operation, interval, rc and op-status) once; a differing one says more, and
    pending entries (call id -1) always count."""
    out: list[ET.Element] = []
    seen: set[tuple[int, str | None, str | None, str | None, str | None]] = set()
    for op in lrm_resource.findall("lrm_rsc_op"):
        call = int(op.get("call-id", "0") or 0)
        same = (call, op.get("operation"), op.get("interval"), op.get("rc-code"), op.get("op-status"))
        if same in seen and call >= 0:
            continue
        seen.add(same)
        out.append(op)
    return out


def expected_rc(transition_key: str) -> int:
    """The result an operation expected: the third field of its ``transition-key`` (0 without)."""
    parts = transition_key.split(":")
    return int(parts[2]) if len(parts) >= 3 and parts[2].lstrip("-").isdigit() else 0


def recorded_task(task: str) -> str:
    """The task a finished op is recorded as: a reload counts as a fresh start."""
    return "start" if task in ("reload", "reload-agent") else task


@record
class OpRecord:
    """One entry of a resource's operation history on a node (an ``lrm_rsc_op``).

    ``interval_ms`` 0 for one-shot ops; ``rc`` the agent's return code; ``op_status`` Pacemaker's
    execution status (0 done, 1 cancelled, 2 timed out, 4 error, ...); times are UNIX seconds.
    """

    task: str
    interval_ms: int
    rc: int
    call_id: int
    op_status: int = 0
    last_rc_change: int = 0
    exec_time_ms: int = 0
    expected_rc: int = 0
    on_node: str = ""
    # Live migration: the ends a migrate_to/migrate_from ran between (``migrate_source``/``migrate_target``).
    migrate_source: str = ""
    migrate_target: str = ""
    # Parameter digests Pacemaker records with an op (see crmsh_py.engine.scheduler.reload).
    op_digest: str = ""
    restart_digest: str | None = None  # op-restart-digest: set when the agent can reload
    force_restart: str | None = None  # op-force-restart: the parameters a reload cannot change
    # op-secure-params / op-secure-digest: a digest without private parameters (crm_report masks
    # them); crm_feature_set: the layout the digests were made with
    secure_params: str | None = None
    secure_digest: str | None = None
    feature_set: str = ""
    # transition-magic ("status:rc;action:transition:expected:uuid"): orders a pending op (call
    # id -1) against the others, by the transition that ran each
    magic: str = ""

    @property
    def key(self) -> str:
        """Pacemaker's operation key, e.g. ``dummy_monitor_10000`` (without the resource id)."""
        return f"{self.task}_{self.interval_ms}"

    @property
    def failed(self) -> bool:
        """True when the result differs from what was expected."""
        return self.op_status != 0 or self.rc != self.expected_rc


@record
class ResourceHistory:
    """Operation history of one resource (instance) on one node (an ``lrm_resource``)."""

    rsc_id: str
    ra_class: str
    ra_type: str
    provider: str | None = None
    ops: list[OpRecord] = field(default_factory=list)

    def last(self, task: str, interval_ms: int = 0) -> OpRecord | None:
        """The most recent record of ``task`` at ``interval_ms`` (by call id)."""
        found = [o for o in self.ops if o.task == task and o.interval_ms == interval_ms]
        return max(found, key=lambda o: o.call_id) if found else None


@record
class NodeStatus:
    """One node's state (``node_state``) plus its history and transient attributes.

    ``online``: the node is a member; ``unclean``: it was lost without being fenced;
    ``standby`` and ``maintenance`` come from node attributes (permanent or transient) but are
    resolved into these flags by the reader so the scheduler need not know where they live.
    ``transient_attributes`` carries fail counts as Pacemaker 2 names them
    (``fail-count-dummy#monitor_10000``, ``last-failure-dummy#monitor_10000``).
    """

    name: str
    node_id: str
    online: bool = True
    unclean: bool = False
    standby: bool = False
    maintenance: bool = False
    expected_down: bool = False
    joined_at: int = 0  # when it last joined: the DC election rule uses it
    # The raw node_state attributes (in_ccm, crmd, join, expected) when read from a CIB, for the
    # scheduler's reading of membership; empty when the status was built another way.
    state_attrs: dict[str, str] = field(default_factory=dict)
    seen: bool = True  # False: the CIB has no node_state for it (never seen by this cluster)
    state_index: int = 0  # position of its node_state in the CIB: Pacemaker reads histories in that order
    attributes: dict[str, str] = field(default_factory=dict)
    transient_attributes: dict[str, str] = field(default_factory=dict)
    resources: dict[str, ResourceHistory] = field(default_factory=dict)

    def fail_count(self, rsc_id: str) -> int:
        """Sum of this resource's fail counts on this node (INFINITY is 1,000,000)."""
        total = 0
        prefix = f"fail-count-{rsc_id}#"
        for name, value in self.transient_attributes.items():
            if name.startswith(prefix) or name == f"fail-count-{rsc_id}":
                total += 1_000_000 if value.lower() in ("infinity", "+infinity") else int(value)
        return min(total, 1_000_000)


@record
class ClusterStatus:
    """The whole status section: nodes by name (in cluster.yaml order), the DC, and fencing history."""

    nodes: dict[str, NodeStatus] = field(default_factory=dict)
    dc: str | None = None
    have_quorum: bool = True
    quorum_panic: bool = False  # the CIB's no-quorum-panic: a suicide policy applies though never quorate
    now: int = 0  # the time the scheduler treats as "now" (UNIX seconds); makes planning pure
    # a CIB written before feature set 3.0.13 counts failures per resource ("fail-count-RSC"),
    # a newer one per operation ("fail-count-RSC#monitor_10000"); Pacemaker reads only that form
    legacy_fail_counts: bool = False
    tickets: dict[str, TicketState] = field(default_factory=dict)
