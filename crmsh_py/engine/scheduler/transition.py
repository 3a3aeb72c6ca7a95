"""The scheduler's output: actions in execution order, placement, and crm_simulate's summary text."""

from __future__ import annotations

from crmsh_py.cib.scores import to_text
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

TASKS = ("start", "stop", "monitor", "promote", "demote", "fence", "cancel", "migrate_to", "migrate_from", "reload-agent")


@record(frozen=True)
class Action:
    """One thing to do.  ``fence`` actions have ``rsc_id`` "" and ``node`` the target."""

    task: str
    rsc_id: str
    node: str
    interval_ms: int = 0
    timeout_ms: int = 20000
    reason: str = ""
    migrate_source: str = ""  # migrate_to / migrate_from: where the resource moves from and to
    migrate_target: str = ""
    # implied by fencing (a stop on a guest that is reset with its container): nothing runs on the
    # node, so the node's history is not updated (Pacemaker's pseudo-action)
    pseudo: bool = False

    @property
    def key(self) -> str:
        """Pacemaker's operation key (``dummy_monitor_10000``), or ``stonith-NODE-reboot``."""
        if self.task == "fence":
            return f"stonith-{self.node}-reboot"
        return f"{self.rsc_id}_{self.task}_{self.interval_ms}"


@record
class Change:
    """One "Transition Summary" item for a resource instance."""

    change: str  # Start Stop Move Recover Restart Promote Demote Migrate Reload
    rsc_id: str
    details: str
    reason: str = ""


@record
class Transition:
    """What the cluster should do next (see ``crmsh_py.engine.scheduler.plan``)."""

    actions: list[Action] = field(default_factory=list)
    allocation: dict[str, str | None] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    scores: dict[tuple[str, str], int] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)
    # configuration errors the scheduler reported (Pacemaker saves such an input as pe-error-N)
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    fencing: list[tuple[str, str]] = field(default_factory=list)  # (node, reason)
    unfencing: list[tuple[str, str]] = field(default_factory=list)  # (node, reason): summary only
    fence_action: str = "reboot"  # stonith-action: what fencing a node does (reboot or off)
    guest_fencing: list[tuple[str, str]] = field(default_factory=list)  # (guest node, container)
    guest_fence_action: dict[str, str] = field(default_factory=dict)  # guest -> off (reboot if absent)
    allocation_lines: list[Any] = field(default_factory=list)  # (func, rsc, per-node scores) or text
    nodes: list[str] = field(default_factory=list)
    # (instance id, node) -> the lrm_resource id its history there is recorded under (for an
    # anonymous clone instance it may carry another number, or none): its results go there too
    history_ids: dict[tuple[str, str], str] = field(default_factory=dict)

    def summary(self) -> list[str]:
        """crm_simulate's "Transition Summary" lines, column widths as Pacemaker computes them."""
        lines = [f"  * Fence ({self.guest_fence_action.get(node, 'reboot')}) {node} (resource: {container}) "
                 "'guest is unclean'" for node, container in self.guest_fencing]
        # Node actions are listed newest first: fencing a node never seen (decided last) comes
        # before the unfencing, fencing decided while reading the status after it.
        late = [(n, r) for n, r in self.fencing if r == "node is unclean"] if self.unfencing else self.fencing
        early = [(n, r) for n, r in self.fencing if r != "node is unclean"] if self.unfencing else []
        lines += [f"  * Fence ({self.fence_action}) {node} '{reason}'" for node, reason in late]
        lines += [f"  * Fence (on) {node} '{reason}'" for node, reason in self.unfencing]
        lines += [f"  * Fence ({self.fence_action}) {node} '{reason}'" for node, reason in early]
        rsc_width, detail_width = 5, 5
        for item in self.changes:
            if len(item.rsc_id) > rsc_width:
                rsc_width = len(item.rsc_id) + 2
            detail_width = max(detail_width, len(item.details))
        for item in self.changes:
            tail = f"  {item.reason}" if item.reason else ""
            lines.append(f"  * {item.change:<8}   {item.rsc_id:<{rsc_width}}   "
                         f"( {item.details:>{detail_width}} ){tail}")
        return lines

    def score_lines(self) -> list[str]:
        """``crm_simulate -s`` "Allocation Scores" lines (without the leading ``  * ``)."""
        out = []
        for entry in self.allocation_lines:
            if isinstance(entry, str):
                out.append(entry)
                continue
            func, rid, values = entry
            out.extend(f"{func}: {rid} allocation score on {node}: {to_text(value)}"
                       for node, value in zip(self.nodes, values))
        return out


def details_text(origin: str | None, dest: str | None, role: str, next_role: str) -> str:
    """The parenthesised part of a summary line (Pacemaker's rules for when to show roles)."""
    need_role = role in ("Unpromoted", "Promoted") or next_role == "Promoted"
    same_host = origin is not None and origin == dest
    same_role = role == next_role
    if origin is None:
        return f"{role} -> {next_role} {dest}" if need_role else f"{dest}"
    if dest is None:
        return f"{role} {origin}" if need_role else f"{origin}"
    if same_role and same_host:
        return f"{role} {origin}" if need_role else f"{origin}"
    if same_role:
        return f"{origin} -> {dest} {role}" if need_role else f"{origin} -> {dest}"
    if same_host:
        return f"{role} -> {next_role} {origin}"
    return f"{role} {origin} -> {next_role} {dest}"
