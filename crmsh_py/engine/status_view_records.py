"""The records a status view is made of: nodes, operations, resources and the cluster, resolved
for display (``crmsh_py.engine.status_view`` builds them from a CIB; the displays in
``crmsh_py.render`` and the low-level tools read them).  Only data and the questions a display asks
of it (counts, lookups, failed operations); nothing here reads XML or prints."""

from __future__ import annotations

from crmsh_py.cib import remote_xml
from crmsh_py.cib.vocabulary import is_true
from crmsh_py.engine.status_clone import Instance
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing's flag without importing typing at run time (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any


@record
class NodeView:
    """One configured node and its membership state."""

    name: str
    node_id: str
    online: bool = False
    unclean: bool = False
    standby: bool = False
    standby_onfail: bool = False
    maintenance: bool = False
    pending: bool = False  # in the membership but not yet able to run resources
    health: str | None = None  # RED / YELLOW under a node-health-strategy
    shutdown: bool = False
    attributes: dict[str, str] = field(default_factory=dict)  # permanent + transient, for -A
    transient: dict[str, str] = field(default_factory=dict)
    kind: str = "cluster"  # cluster, remote or guest (see mon_remote)
    orphan: bool = False  # a remote node known only from an orphaned connection's history
    bundle: str | None = None  # a bundle replica's guest node: the bundle's id
    reset: bool = False  # a guest that must be reset (its container's host is lost): what ran there failed
    container_hosts: list[str] = field(default_factory=list)  # guests: where the container runs
    container: str | None = None  # guests: the resource that is the guest


@record
class OpView:
    """One ``lrm_rsc_op`` record."""

    rsc: str
    node: str
    task: str
    interval_ms: int
    rc: int
    op_status: int
    call_id: int
    expected_rc: int
    exit_reason: str
    last_rc_change: int
    exec_ms: int
    queue_ms: int
    op_id: str
    on_node: bool = False  # the entry names its node (on_node=), which crm_mon's failed-probe note needs
    magic: str = ""  # transition-magic: orders pending ops (see crmsh_py.engine.op_history)
    migrate_source: str = ""  # a migrate_to/migrate_from's ends (see status_view_migration)
    migrate_target: str = ""

    @property
    def failed(self) -> bool:
        """True when the result is not the expected one (or the op did not complete)."""
        return self.op_status not in (0, 1) or (self.op_status == 0 and self.rc != self.expected_rc)


@record
class ResourceView:
    """A resource (primitive, group, clone) with its children and, for primitives, where it runs.

    ``running`` maps node → role text (Started, Promoted, Unpromoted) for primitive instances;
    ``failed_on`` holds nodes whose last result was a failure.
    """

    id: str
    kind: str  # primitive, group, clone, bundle
    agent: str = ""
    children: list["ResourceView"] = field(default_factory=list)
    promotable: bool = False
    disabled: bool = False
    managed: bool = True
    meta: dict[str, str] = field(default_factory=dict)
    running: dict[str, str] = field(default_factory=dict)
    failed_on: set[str] = field(default_factory=set)
    unique: bool = False  # a globally-unique clone
    on_fail: dict[tuple[str, int], str] = field(default_factory=dict)  # (op, interval ms) -> on-fail
    flags_on: dict[str, set[str]] = field(default_factory=dict)  # node -> "blocked", "failure ignored"
    instances: list[Instance] = field(default_factory=list)  # a clone's instances (mon_clone)
    bundle: "remote_xml.BundleShape | None" = None  # bundles: their replicas (see mon_remote)
    orphaned: bool = False  # still active but gone from the configuration (crm_mon: ORPHANED)
    failed_stopped: bool = False  # failed while not running anywhere (a reset guest's container): "FAILED"
    failure_ignored: bool = False  # some failure was ignored (on-fail=ignore): shown wherever it is
    # an instance of a promotable clone held at Unpromoted: its target-role, shown as a flag
    # ("target-role:Unpromoted") on its own line
    held_role: str = ""
    failed_probe: str = ""  # a stopped primitive's failed probe result ("not installed"), as crm_mon shows
    # the first operation still pending (no probe) and its node: "Starting node1" with pending
    # shown, and the node a stopped resource is listed on ("Stopped node1") either way
    pending_task: str = ""
    pending_node: str = ""

    def primitives(self) -> list["ResourceView"]:
        """All primitives at or below this resource, in order."""
        if self.kind == "primitive":
            return [self]
        return [p for c in self.children for p in c.primitives()]

    @property
    def active(self) -> bool:
        """True when any primitive below runs somewhere."""
        return any(p.running for p in self.primitives())


@record
class ClusterView:
    """Everything a status display shows, resolved."""

    nodes: list[NodeView]
    resources: list[ResourceView]
    ops: list[OpView]
    properties: dict[str, str]
    rsc_defaults: dict[str, str]
    dc: str | None
    have_quorum: bool
    last_written: str
    update_user: str
    update_client: str
    update_origin: str
    tickets: list[Any] = field(default_factory=list)  # (name, TicketState | None): crm_mon --tickets
    # pending operations shown ("Starting", "(Monitoring)"): crm_mon's default, and crm_simulate's
    # for the input; its revised status does without, as Pacemaker's does
    show_pending: bool = True

    def node(self, name: str) -> NodeView | None:
        """The node called ``name``, or None."""
        return next((n for n in self.nodes if n.name == name), None)

    def find(self, rsc_id: str) -> ResourceView | None:
        """The resource (at any depth) with this id, or None."""
        stack = list(self.resources)
        while stack:
            res = stack.pop(0)
            if res.id == rsc_id:
                return res
            stack.extend(res.children)
        return None

    def instance_count(self) -> int:
        """Resource instances configured (clone children count once per clone instance)."""
        return sum(_instances(r, len(self.nodes)) for r in self.resources)

    def disabled_count(self) -> int:
        """Instances whose target-role is Stopped (inherited from parents)."""
        return sum(_instances(r, len(self.nodes), only_disabled=True) for r in self.resources)

    def failed_ops(self) -> list[OpView]:
        """Failed operation results, latest first per resource/node/key, in history order."""
        seen: set[tuple[str, str, str, int]] = set()
        out = []
        for op in self.ops:
            key = (op.rsc, op.node, op.task, op.interval_ms)
            probe_absent = op.task == "monitor" and op.interval_ms == 0 and op.rc == 5
            if op.failed and not probe_absent and key not in seen and op.call_id >= 0:
                seen.add(key)
                out.append(op)
        return out

    @property
    def stonith_enabled(self) -> bool:
        return is_true(self.properties.get("stonith-enabled", "true"))


def _instances(res: ResourceView, n_nodes: int, only_disabled: bool = False, mult: int = 1,
               disabled: bool = False) -> int:
    disabled = disabled or res.disabled
    if res.kind == "primitive":
        # a VM holding a guest node brings the guest's implicit connection with it
        own = 2 if res.meta.get("remote-node") else 1
        return mult * own if (disabled or not only_disabled) else 0
    if res.kind == "clone":
        mult *= int(res.meta.get("clone-max", n_nodes) or n_nodes)
    if res.kind == "bundle" and res.bundle is not None:  # container, address, connection, instance
        shape = res.bundle
        per_replica = 1 + (1 if shape.ips and shape.ips[0] else 0) + (2 if shape.has_remote else 0)
        return mult * shape.replicas * per_replica if (disabled or not only_disabled) else 0
    return sum(_instances(c, n_nodes, only_disabled, mult, disabled) for c in res.children)
