"""Actions for one resource instance: from its current state and its placement to start/stop/....

A kept instance (same node, not failed, no restart) only changes role or re-arms missing monitors.
Otherwise every active copy is demoted (if promoted) and stopped, then it is started on its new
node, promoted if it should be, and its recurring monitors for the new role are armed.
"""

from __future__ import annotations

from crmsh_py.engine.scheduler.resources import Leaf, duration_ms
from crmsh_py.engine.scheduler.state import PROMOTED, STARTED, STOPPED, UNPROMOTED, LeafState
from crmsh_py.engine.scheduler.transition import Action, Change, details_text
from crmsh_py.records import record

TYPE_CHECKING = False  # typing costs every start-up ~2 ms: its names are for type checkers only
if TYPE_CHECKING:
    from typing import Any

ROLE_ALIASES = {"master": PROMOTED, "promoted": PROMOTED, "slave": UNPROMOTED,
                "unpromoted": UNPROMOTED, "started": STARTED, "stopped": STOPPED}


@record
class OpTimes:
    """Timeouts per op name and interval for one leaf, op_defaults applied."""

    default_timeout_ms: int = 20000

    def timeout(self, leaf: Leaf, task: str, interval_ms: int = 0) -> int:
        """The configured timeout of ``task`` at ``interval_ms`` (falls back to any interval)."""
        fallback = None
        for op in leaf.ops:
            if op.name != task:
                continue
            attrs = {a.name: a.value for a in op.attributes}
            value = duration_ms(attrs.get("timeout"), -1)
            if value < 0:
                continue
            if duration_ms(op.interval) == interval_ms:
                return value
            fallback = value if fallback is None else fallback
        return fallback if fallback is not None else self.default_timeout_ms


def monitors_for(leaf: Leaf, role: str) -> list[int]:
    """Recurring monitor intervals (ms) to run in ``role``, in configuration order."""
    out = []
    for op in leaf.ops:
        interval = duration_ms(op.interval)
        if op.name != "monitor" or interval <= 0:
            continue
        attrs = {a.name: (a.value or "") for a in op.attributes}
        if attrs.get("enabled", "true").lower() in ("false", "no", "0", "off"):
            continue
        op_role = ROLE_ALIASES.get(attrs.get("role", "").lower())
        if role == PROMOTED and op_role != PROMOTED:
            continue
        if role != PROMOTED and op_role not in (None, STARTED, UNPROMOTED):
            continue
        out.append(interval)
    return out


def leaf_actions(leaf: Leaf, state: LeafState, dest: str | None, next_role: str, restart: str | None,
                 times: OpTimes, blocked: str | None = None,
                 fenced_from: tuple[str, str, str] | None = None) -> tuple[list[Action], Change | None]:
    """Actions for one managed leaf and its summary item.

    ``restart`` is None, or the reason ("" for none) it restarts in place; ``blocked`` is None, or
    why its start cannot run ("" for no reason): it then starts nothing and stops where it runs.
    ``fenced_from`` is the (node, role) it ran on before that node is fenced: no stop is needed
    there, but the summary shows a move."""
    actions: list[Action] = []

    def act(task: str, node: str, interval: int = 0) -> None:
        actions.append(Action(task, leaf.id, node, interval, times.timeout(leaf, task, interval)))

    active = [(n, s) for n, s in state.on.items() if s.role != STOPPED]
    if blocked is not None and dest is not None:
        for node, s in active:
            if s.role == PROMOTED:
                act("demote", node)
            act("stop", node)
        return actions, _blocked_change(leaf, active, dest, next_role, blocked, fenced_from)
    kept = None
    multiple = len(active) > 1  # multiply active: stopped everywhere, started once (stop_start)
    for node, s in active:
        if (node == dest and not _recovers(leaf, s) and restart is None and kept is None and not multiple
                and not _promoted_primitive(leaf, s)):
            kept = s
            continue
        # No cancel before a stop: stopping a resource ends its recurring ops (as in Pacemaker's executor).
        if s.role == PROMOTED:
            act("demote", node)
        act("stop", node)
    if dest is not None and kept is None:
        act("start", dest)
        if next_role == PROMOTED:
            act("promote", dest)
        for interval in monitors_for(leaf, next_role):
            act("monitor", dest, interval)
    elif dest is not None and kept is not None:
        wanted = monitors_for(leaf, next_role)
        if _role_changes(kept.role, next_role) and next_role in (PROMOTED, UNPROMOTED):
            for interval in sorted(kept.monitors):
                if interval not in wanted:
                    actions.append(Action("cancel", leaf.id, dest, interval, 20000))
            act("promote" if next_role == PROMOTED else "demote", dest)
            armed: set[int] = set()
        else:
            armed = kept.monitors
        for interval in wanted:
            if interval not in armed:
                act("monitor", dest, interval)
    if not active and fenced_from is not None:
        origin, role, kind = fenced_from
        if dest is None:
            return actions, Change("Stop", leaf.id, details_text(origin, None, role, STOPPED),
                                   "due to node availability")
        return actions, Change(kind, leaf.id, details_text(origin, dest, role, next_role))
    return actions, _change(leaf, active, dest, next_role, restart, "")


def _blocked_change(leaf: Leaf, active: list[Any], dest: str, next_role: str, blocked: str,
                    fenced_from: tuple[str, str, str] | None) -> Change | None:
    if not active and fenced_from is not None:
        origin, role, _ = fenced_from
        return Change("Stop", leaf.id, details_text(origin, None, role, STOPPED), f"due to {blocked}" if blocked else "")
    if active:
        origin, s = active[0]
        return Change("Stop", leaf.id, details_text(origin, None, s.role, STOPPED),
                      f"due to {blocked}" if blocked else "")
    if next_role == PROMOTED:  # the promote itself carries no reason, it is only blocked
        return Change("Promote", leaf.id, details_text(None, dest, STOPPED, next_role), "blocked")
    return Change("Start", leaf.id, details_text(None, dest, STOPPED, next_role),
                  f"due to {blocked} (blocked)" if blocked else "blocked")


def _change(leaf: Leaf, active: list[Any], dest: str | None, next_role: str, restart: str | None,
            reason: str) -> Change | None:
    if not active:
        if dest is None:
            return None
        kind = "Promote" if next_role == PROMOTED else "Start"
        return Change(kind, leaf.id, details_text(None, dest, STOPPED, next_role))
    # Pacemaker names the first node it found the resource on (its "current" node)
    origin, s = active[0]
    role = s.role
    if len(active) > 1 and dest is not None:
        kind = "Recover" if any(_recovers(leaf, c) for _, c in active) else "Restart"
        origin = active[0][0]  # Pacemaker's current node: the first it found it active on
        if origin == dest:
            return Change(kind, leaf.id, details_text(origin, dest, role, role))
        return Change("Recover" if kind == "Recover" else "Move", leaf.id,
                      details_text(origin, dest, role, next_role))
    if dest is None:
        return Change("Stop", leaf.id, details_text(origin, None, role, STOPPED),
                      reason or "due to node availability")
    if origin == dest:
        if _recovers(leaf, s):  # in place, into the role it is to have (a failed "promoted" primitive is Started)
            return Change("Recover", leaf.id, details_text(origin, dest, role, next_role))
        if restart is not None or _promoted_primitive(leaf, s):  # another end role shows both (Pacemaker)
            return Change("Restart", leaf.id, details_text(origin, dest, role, next_role),
                          f"due to {restart}" if restart else "")
        if _role_changes(role, next_role):
            kind = "Promote" if next_role == PROMOTED else "Demote"
            return Change(kind, leaf.id, details_text(origin, dest, role, next_role))
        if len(active) > 1:
            return Change("Stop", leaf.id, details_text(active[-1][0], None, role, STOPPED))
        return None
    kind = "Recover" if _recovers(leaf, s) else "Move"
    return Change(kind, leaf.id, details_text(origin, dest, role, next_role))


def _role_changes(role: str, next_role: str) -> bool:
    """Whether going from ``role`` to ``next_role`` in place takes an action: a promotable
    group member still "Started" (see plan._started_members) is Unpromoted already."""
    return role != next_role and (role, next_role) != (STARTED, UNPROMOTED)


def _recovers(leaf: Leaf, state) -> bool:  # type: ignore[no-untyped-def]
    """A failure that needs a stop and start (on-fail=demote only demotes in place, and only what
    can be demoted: a primitive that is not promotable has no Unpromoted role to stay in)."""
    return state.failed is not None and (state.on_fail != "demote" or not leaf.promotable)


def _promoted_primitive(leaf: Leaf, state) -> bool:  # type: ignore[no-untyped-def]
    """A resource that cannot be promoted found Promoted (its monitor said rc 8): Pacemaker demotes,
    stops and starts it again, to reach Started."""
    return state.role == PROMOTED and not leaf.promotable


def orphan_actions(rsc_id: str, nodes: dict[Any, Any], times: OpTimes) -> tuple[list[Action], list[Change]]:
    """Stop a resource that is no longer configured wherever it runs: one summary line per node,
    with the role it has there."""
    actions = []
    changes = []
    # one resource, one role: the highest it has anywhere (Pacemaker's rsc->role)
    roles = {s.role for s in nodes.values()}
    role = PROMOTED if PROMOTED in roles else (UNPROMOTED if UNPROMOTED in roles else STARTED)
    for node, s in nodes.items():
        if s.role == PROMOTED:
            actions.append(Action("demote", rsc_id, node, 0, times.default_timeout_ms))
        actions.append(Action("stop", rsc_id, node, 0, times.default_timeout_ms))
        changes.append(Change("Stop", rsc_id, details_text(node, None, role, STOPPED), "due to node availability"))
    return actions, changes
