"""Changed resource definitions: restart, reload or re-armed monitor, decided by op digests.

Each operation in a resource's history carries ``op-digest``, an MD5 of the parameters it ran with
(:mod:`crmsh_py.engine.digest`).  Agents that can reload also get ``op-restart-digest`` over the
parameters a reload cannot change, listed in ``op-force-restart``.  For every resource active on an
available node, Pacemaker 2.1 checks the operations since its last start (probes that found it
running, start, promote, migrate_from, recurring monitors), comparing with digests of today's
configuration (a probe, promote and migrate_from are compared with the start's parameters):

- the restart digest differs: restart ("due to resource definition change");
- the main digest differs or is missing: a recurring monitor is re-armed (cancel, new monitor);
  a one-shot op is reloaded when the agent can (``op-restart-digest`` present), else restarted.
  A start that was still pending when the parameters changed restarts rather than reloads;
- a recurring monitor no longer in the configuration is cancelled.
"""

from __future__ import annotations

from crmsh_py.cib.model import Clone, Configuration, Group, RscTemplate
from crmsh_py.engine import digest
from crmsh_py.engine.scheduler.actions import OpTimes
from crmsh_py.engine.scheduler.secure_digest import only_private_changed
from crmsh_py.engine.scheduler.resources import Leaf, ResourceTree, duration_ms, nvpairs
from crmsh_py.engine.scheduler.state import STOPPED, LeafState
from crmsh_py.engine.scheduler.transition import Action, Change, details_text
from crmsh_py.engine.status import ClusterStatus, OpRecord
from crmsh_py.records import field, record

REASON = "due to resource definition change"
_CHECKED = frozenset({"monitor", "start", "promote", "migrate_from"})


@record
class ConfigChanges:
    """What changed definitions ask for (leaf ids as keys)."""

    restart: set[str] = field(default_factory=set)  # restart, "due to resource definition change"
    quiet_restart: set[str] = field(default_factory=set)  # restart of a pending start (no reason)
    reload: dict[str, str] = field(default_factory=dict)  # leaf -> node
    rearm: list[tuple[str, str, int]] = field(default_factory=list)  # (leaf, node, interval) monitors
    cancel: list[tuple[str, str, int]] = field(default_factory=list)  # orphaned recurring ops
    reasonless: set[str] = field(default_factory=set)  # requires=nothing: the restart shows no reason


def _active_since_start(ops: list[OpRecord]) -> list[OpRecord] | None:
    """The ops since the last start-like one, or None when the resource was stopped after it."""
    start, stop, implied_monitor, implied_clone = -1, -1, -1, -1
    for i, op in enumerate(ops):
        if op.task == "stop" and op.op_status == 0:
            stop = i
        elif op.task in ("start", "migrate_from"):
            start = i
        elif op.task == "monitor" and implied_monitor <= stop:
            if op.rc in (0, 8):
                implied_monitor = i
        elif op.task in ("promote", "demote"):
            implied_clone = i
    if start == -1:
        start = implied_clone if implied_clone != -1 else implied_monitor
    if start < stop:
        return None
    return ops[max(start, 0):]


def _params(leaf: Leaf, parents: dict[str, dict[str, str]], templates: dict[str, dict[str, str]]) -> dict[str, str]:
    """Instance parameters as the agent gets them: clone < group < template < primitive."""
    out: dict[str, str] = {}
    for parent in (leaf.clone, leaf.group.split(":")[0] if leaf.group else None):
        if parent:
            out.update(parents.get(parent, {}))
    out.update(templates.get(leaf.prim.template or "", {}))
    out.update(nvpairs(list(leaf.prim.attr_sets), "params"))
    return out


def _inherited(cfg: Configuration | None) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """``params`` of groups and clones, and of templates, by id."""
    parents: dict[str, dict[str, str]] = {}
    templates: dict[str, dict[str, str]] = {}
    for element in cfg.elements if cfg is not None else []:
        if isinstance(element, (Group, Clone)):
            parents[element.id] = nvpairs(element.attr_sets, "params")
        elif isinstance(element, RscTemplate):
            templates[element.id] = nvpairs(element.attr_sets, "params")
    return parents, templates


def _in_config(leaf: Leaf, task: str, interval_ms: int) -> bool:
    return any(op.name == task and duration_ms(op.interval) == interval_ms for op in leaf.ops)


def _op_extra(leaf: Leaf, task: str, interval_ms: int) -> bool:
    """Whether the configured op has parameters of its own (they force a restart over a reload)."""
    for op in leaf.ops:
        if op.name == task and duration_ms(op.interval) == interval_ms:
            return any(s.kind in ("params", "op_params") and s.nvpairs for s in op.attr_sets)
    return False


def _compare(leaf: Leaf, op: OpRecord, times: OpTimes, params_now: dict[str, str]) -> str:
    """``match``, ``restart`` or ``all`` (changed; ``unknown`` counts as ``all``)."""
    # Pacemaker digests the recorded op's own definition (a probe: the instance parameters only).
    task = op.task
    params = digest.op_parameters(params_now, leaf.ops, task, op.interval_ms, duration_ms)
    timeout = times.timeout(leaf, task, op.interval_ms) if op.interval_ms else 0
    calculated = digest.op_digest(params, op.interval_ms, timeout)
    if _private_only(leaf, op, params_now, params, timeout):
        return "match"
    if op.restart_digest is not None:
        if op.force_restart is None:  # no list recorded: every parameter counts
            kept = params
        else:
            names = set(op.force_restart.split())
            kept = {k: v for k, v in params.items() if k in names}
        if digest.op_digest(kept, op.interval_ms, timeout) != op.restart_digest:
            return "restart"
    if not op.op_digest:
        return "all"  # unknown: Pacemaker treats it as changed
    if op.op_digest != calculated:
        return "restart" if op.interval_ms == 0 and _op_extra(leaf, task, 0) else "all"
    return "match"


def _private_only(leaf: Leaf, op: OpRecord, instance: dict[str, str], with_op: dict[str, str],
                  timeout: int) -> bool:
    """Only masked private parameters differ (see :mod:`secure_digest`): nothing changed."""
    return only_private_changed(op, instance, with_op, timeout, leaf.is_stonith)


def config_changes(tree: ResourceTree, states: dict[str, LeafState], status: ClusterStatus,
                   times: OpTimes, unmanaged: set[str], cfg: Configuration | None = None) -> ConfigChanges:
    """Compare the history of every active resource with today's definition (``cfg`` gives the
    parameters groups, clones and templates pass on)."""
    out = ConfigChanges()
    parents, templates = _inherited(cfg)
    for leaf in tree.leaves:
        for node, state in states[leaf.id].on.items():
            node_status = status.nodes.get(node)
            # Pacemaker checks histories only on nodes that can run resources (a standby node's
            # are left alone: no restart for a changed definition, no cancel of an orphaned op)
            if (state.role == STOPPED or node_status is None or not node_status.online or node_status.unclean
                    or (node_status.standby and not node_status.maintenance)):
                continue
            history = (node_status.resources.get(state.history_id) or node_status.resources.get(leaf.id)
                       or node_status.resources.get(leaf.base))
            if history is None:
                continue
            ops = _active_since_start(sorted(history.ops, key=lambda o: o.call_id))
            if ops is None:
                continue
            _check(leaf, node, ops, state.failed is not None, leaf.id in unmanaged, times,
                   _host_named(_params(leaf, parents, templates), leaf, states), out)
    return out


def _host_named(params: dict[str, str], leaf: Leaf, states: dict[str, LeafState]) -> dict[str, str]:
    """A bundle connection without an address of its own (``addr=#uname``) reaches its container
    through the container's host: Pacemaker digests that host's name in its place."""
    if params.get("addr", "").lower() != "#uname":
        return params
    container = states.get(leaf.meta.get("container", ""))
    hosts = [n for n, st in container.on.items() if st.role != STOPPED] if container is not None else []
    return {**params, "addr": hosts[0]} if hosts else params


def _check(leaf: Leaf, node: str, ops: list[OpRecord], failed: bool, unmanaged: bool, times: OpTimes,
           params: dict[str, str], out: ConfigChanges) -> None:
    for op in ops:
        if op.interval_ms == 0 and op.task not in _CHECKED:
            continue
        if op.interval_ms > 0 and not _in_config(leaf, op.task, op.interval_ms):
            out.cancel.append((leaf.id, node, op.interval_ms))
            continue
        verdict = _compare(leaf, op, times, params)
        if verdict == "match":
            continue
        if verdict == "restart":
            out.restart.add(leaf.id)
        elif op.interval_ms > 0:
            out.rearm.append((leaf.id, node, op.interval_ms))
        elif op.restart_digest is not None:
            if unmanaged or failed:
                continue
            if op.call_id < 0:  # start still pending: restart instead
                out.quiet_restart.add(leaf.id)
            else:
                out.reload[leaf.id] = node
        else:
            out.restart.add(leaf.id)


def restart_seed(changes: ConfigChanges) -> set[str]:
    """Leaves that restart in place because their definition changed."""
    return changes.restart | changes.quiet_restart


def plan_leaf(leaf: Leaf, st: LeafState, dest: str | None, acts: list[Action], change: Change | None,
              changes: ConfigChanges, times: OpTimes) -> tuple[list[Action], Change | None]:
    """A leaf's actions and summary with definition changes applied; a start still pending where
    the leaf stays is issued again (Pacemaker's "pending start": an action, no summary line)."""
    pending = st.on.get(dest) if dest is not None else None
    if pending is not None and pending.start_pending and not any(a.task == "start" for a in acts):
        acts = [Action("start", leaf.id, dest, 0, times.timeout(leaf, "start", 0))] + acts  # type: ignore[arg-type]  # pending: dest set
    if change is not None and change.change == "Restart" and leaf.id in changes.restart and not change.reason \
            and leaf.id not in changes.reasonless:
        change = Change(change.change, change.rsc_id, change.details, REASON)
    if change is None and dest is not None and changes.reload.get(leaf.id) == dest:
        acts = [Action("reload-agent", leaf.id, dest, 0, times.timeout(leaf, "reload", 0))] + acts
        change = Change("Reload", leaf.id, details_text(dest, dest, st.role_on(dest), st.role_on(dest)))
    if dest is not None and not any(a.task in ("stop", "start") and a.node == dest for a in acts):
        for leaf_id, node, interval in changes.rearm:
            if leaf_id == leaf.id and node == dest:
                if not any(a.task == "monitor" and a.node == dest and a.interval_ms == interval for a in acts):
                    acts.append(Action("monitor", leaf.id, dest, interval, times.timeout(leaf, "monitor", interval)))
    for leaf_id, node, interval in changes.cancel:
        if leaf_id != leaf.id:
            continue
        stop_at = next((i for i, a in enumerate(acts) if a.task == "stop" and a.node == node), None)
        if stop_at is None:
            acts.insert(0, Action("cancel", leaf.id, node, interval, 20000))
        elif (state := st.on.get(node)) is not None and state.failed is None:
            # an orphaned recurring op is cancelled where a healthy resource stops too, after the
            # stop (where it failed, Pacemaker's cancel never becomes runnable)
            acts.insert(stop_at + 1, Action("cancel", leaf.id, node, interval, 20000))
    return acts, change
