"""Settling the bundled cluster: plan, execute, record, repeat until nothing is left to do.

One round: read the configuration and status from the CIB → probe resources never seen on an
online node (a monitor with interval 0, like Pacemaker, so a resource already running behind the
cluster's back is found) → ``scheduler.plan`` → run the transition's actions in order with the
executor (fence actions through :mod:`crmsh_py.engine.fencing`) → record each result in the status
(``lrm_rsc_op``, fail counts) → next round.  A failed action ends the round early (Pacemaker aborts
the transition and re-plans), so every start is followed by a fresh plan that arms its monitors.

A resource that keeps failing (a monitor that always fails) must not hold the others hostage: once
one resource has failed ``FLAP_BUDGET`` times in one settle, its further actions are *deferred*
(not run in this settle) while every other resource's actions go on.  The settle ends when nothing
but deferred work is left; ``SettleReport.deferred`` names it and the engine daemon settles again
on its next tick, so deferred work is postponed, never dropped.  ``MAX_ROUNDS`` is only a safety
net against a plan that never converges; reaching it is logged and likewise left to the next settle.

Recurring monitors are run once when armed (their first result is recorded with the interval);
repeating them is the daemon's job.
"""

from __future__ import annotations

import time

from crmsh_py.cib.vocabulary import is_true
from crmsh_py.engine import cibfile, status_xml, transitions
from crmsh_py.engine.status import OCF_NOT_RUNNING, OpRecord, ResourceHistory, recorded_task
from crmsh_py.records import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)

if TYPE_CHECKING:
    from typing import Any

    from crmsh_py.cib.model import Configuration
    from crmsh_py.engine.scheduler.transition import Action
    from crmsh_py.engine.store import CibSnapshot, Cluster

MAX_ROUNDS = 200
#: what waits for a node's unfencing: while it keeps failing these do not run there
_NEEDS_UNFENCED = frozenset(("start", "promote", "migrate_from"))
#: failures of one resource in one settle after which its further actions wait for the next settle
FLAP_BUDGET = 3
_RESULT_WORDS = {0: "ok", 1: "error", 2: "invalid parameter", 3: "unimplemented feature",
                 4: "insufficient privileges", 5: "not installed", 6: "not configured", 7: "not running",
                 8: "promoted", 9: "promoted (failed)"}


@record
class SettleReport:
    """What one settle did: executed ``(task, rsc, node, interval_ms, rc)`` and whether it finished."""

    executed: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    rounds: int = 0
    settled: bool = True
    changed: bool = False
    #: resources (or ``fence:NODE``) whose remaining actions were postponed to the next settle
    deferred: set[str] = field(default_factory=set)
    #: the operation call ids of the settled CIB (made by the first operation recorded)
    call_ids: status_xml.CallIds | None = field(default=None, repr=False)


def settle_snapshot(cluster: "Cluster", snap: "CibSnapshot", tool: str) -> SettleReport:
    """Run the cluster to a stable state, editing ``snap.root`` in place (caller holds the lock)."""
    report = SettleReport()
    from crmsh_py.engine import scheduler

    failures: dict[str, int] = {}
    for round_no in range(MAX_ROUNDS):
        report.rounds = round_no + 1
        cfg = snap.configuration
        status = snap.status
        probes = pending_probes(cfg, status)
        if probes:
            for rsc_id, node in probes:
                _run_and_record(cluster, snap, cfg, "monitor", rsc_id, node, 0, None, report, probe=True)
            continue
        transition = scheduler.plan(cfg, status)
        actions = [a for a in transition.actions if _subject(a) not in report.deferred
                   and not (a.task in _NEEDS_UNFENCED and f"unfence:{a.node}" in report.deferred)]
        run = transitions.begin(cluster, snap, transition)  # pe-input-N.bz2 and its log line
        done, ok = 0, True
        # unfencing comes first: what needs it is ordered after it
        unfenced, failed = _unfence(cluster, snap, cfg, transition.unfencing, report)
        if failed is not None:
            failures[failed] = failures.get(failed, 0) + 1
            if failures[failed] >= FLAP_BUDGET:
                report.deferred.add(failed)
            ok, actions = False, []
        for number, action in enumerate(actions, start=1):
            transitions.initiating(cluster, run, action)
            ok = _execute(cluster, snap, cfg, action, number, report)
            if not ok:
                subject = _subject(action)
                failures[subject] = failures.get(subject, 0) + 1
                if failures[subject] >= FLAP_BUDGET:
                    report.deferred.add(subject)
                break  # abort the transition, re-plan with the failure recorded
            done += 1
        transitions.finish(cluster, run, done, aborted=not ok)
        if not actions and not unfenced and ok:
            if report.deferred:
                report.settled = False
                cluster.log("pacemaker-schedulerd", "Recovery of " + ", ".join(sorted(report.deferred)) +
                            " continues in the next transition (it keeps failing)", "notice")
            return report
    report.settled = False
    cluster.log("pacemaker-schedulerd", f"Transition limit of {MAX_ROUNDS} reached; the next settle goes on",
                "warning")
    return report


def _unfence(cluster: "Cluster", snap: "CibSnapshot", cfg: "Configuration", lines: list[tuple[str, str]],
             report: SettleReport) -> tuple[bool, str | None]:
    """Carry out the transition's unfencing (``(node, reason)``): (whether any node was unfenced,
    the subject ``unfence:NODE`` of a failure or None)."""
    if not lines:
        return False, None  # the usual case: the fencer (and json behind it) is not imported
    from crmsh_py.engine import fencing

    done = False
    for node, reason in lines:
        subject = f"unfence:{node}"
        if subject in report.deferred:
            continue  # it kept failing: the next settle tries again
        ok = fencing.unfence_node(cluster, snap, cfg, node, reason)
        report.executed.append(("unfence", "", node, 0, 0 if ok else 1))
        report.changed = True
        if not ok:
            return done, subject
        done = True
    return done, None


def _subject(action: Any) -> str:
    """What a failing action counts against: its resource (clone instance suffix removed), or
    ``fence:NODE`` for fencing."""
    if action.task == "fence":
        return f"fence:{action.node}"
    return str(action.rsc_id).split(":", 1)[0]


def pending_probes(cfg: "Configuration", status: Any) -> list[tuple[str, str]]:
    """``(resource, node)`` pairs to probe: configured primitives with no history on an online node.

    Anonymous clone instances share the primitive's history, so they are probed once per node under
    the primitive id.  Stonith devices are not probed (their state is the fencer's).
    """
    from crmsh_py.cib.model import Primitive

    from crmsh_py.cib.model import Bundle

    pairs: list[tuple[str, str]] = []
    # a bundle's primitive only ever runs inside its replicas: never probed on cluster nodes
    in_bundles = {e.primitive for e in cfg.elements if isinstance(e, Bundle)}
    primitives = [e for e in cfg.elements if type(e) is Primitive and e.id not in in_bundles]
    for node in status.nodes.values():
        if not node.online or node.unclean:
            continue
        for prim in primitives:
            agent = _agent_of(cfg, prim)
            if agent is None or agent.ra_class == "stonith":
                continue
            known = any(h == prim.id or h.startswith(prim.id + ":") for h in node.resources)
            if not known:
                pairs.append((prim.id, node.name))
    return pairs


def _execute(cluster: "Cluster", snap: "CibSnapshot", cfg: "Configuration", action: Action, number: int,
             report: SettleReport) -> bool:
    """Run one scheduler action; True when it did what was expected."""
    task = action.task
    if task == "fence":
        from crmsh_py.engine import fencing

        ok = fencing.fence_node(cluster, snap, cfg, action.node, action.reason or "scheduler")
        report.executed.append(("fence", "", action.node, 0, 0 if ok else 1))
        report.changed = True
        return ok
    if task == "cancel":
        status_xml.remove_recurring(snap.root, snap.definition, action.node, action.rsc_id,
                                    "monitor", action.interval_ms or None)
        cibfile.bump_updates(snap.root)
        report.changed = True
        return True
    return _run_and_record(cluster, snap, cfg, task, action.rsc_id, action.node,
                           action.interval_ms, action, report, number=number)


def _run_and_record(cluster: "Cluster", snap: "CibSnapshot", cfg: "Configuration", task: str, rsc_id: str,
                    node: str, interval_ms: int, action: Action | None, report: SettleReport, probe: bool = False,
                    number: int = 0) -> bool:
    """Execute one resource operation on ``node`` and record it; True if the result was expected."""
    from crmsh_py.engine import resources

    spec = runnable_spec(cfg, rsc_id, node)
    if spec is None:
        return True  # the resource vanished from the configuration: nothing to run
    from crmsh_py.engine import agent_reload

    timeout_ms = (action.timeout_ms if action is not None else 0) or resources.op_timeout_ms(cfg, spec, task,
                                                                                           interval_ms)
    probe = probe or (task == "monitor" and interval_ms == 0)
    expected = expected_rc(task, interval_ms, spec, probe)
    started = int(time.time())
    caps = agent_reload.reload_caps(spec.agent, cluster.env) if interval_ms == 0 else None
    migration = agent_reload.migration_meta(action)
    result = resources.run(cluster, spec, rsc_id, node,
                           agent_reload.agent_action(task, caps) if caps else task, interval_ms, timeout_ms,
                           extra_meta=migration)
    return record_result(cluster, snap, spec, task, rsc_id, node, interval_ms, result, started, expected, report,
                         probe=probe, number=number, caps=caps, migration=migration)


def runnable_spec(cfg: "Configuration", rsc_id: str, node: str | None = None) -> Any:
    """The spec to run ``rsc_id`` with (on ``node``): a configured primitive (instance), else a
    resource Pacemaker makes itself (a bundle replica's container, address or connection, a guest's
    connection)."""
    from crmsh_py.engine import implicit, resources

    spec = resources.resolve(cfg, rsc_id)
    if spec is None:
        made = implicit.spec(cfg, rsc_id, node)
        spec = resources.ResourceSpec(made.prim_id, made.agent, made.params, made.meta, made.ops,
                                      made.history_id) if made is not None else None
    return spec


def record_result(cluster: "Cluster", snap: "CibSnapshot", spec: Any, task: str, rsc_id: str, node: str,
                  interval_ms: int, result: Any, started: int, expected: int, report: SettleReport,
                  probe: bool = False, number: int = 0, caps: Any = None,
                  migration: dict[str, str] | None = None) -> bool:
    """Record one finished operation (an executor ``OpResult``) of ``spec`` on ``node`` in
    ``snap.root``: history entry, fail count and last-failure on failure, ha-log line; True when
    the result was the expected one.  Used by settling, the daemon's recurring monitors and op
    injection (helper I's hook; the caller holds the lock and settles afterwards)."""
    from crmsh_py.cib import remote_xml  # here: a settle with nothing to run records nothing

    rc, op_status, exec_ms, output = result.rc, result.op_status, result.exec_ms, result.output
    remote_xml.ensure_remote_state(snap.root, node)  # a remote or guest node's first record
    for name, value in result.node_attributes.items():  # e.g. promotion scores (master-<rsc>)
        status_xml.set_transient_attribute(snap.root, snap.definition, node, name, value or None)
    if probe and rc in (0, 7, 8):
        expected = rc  # a probe reports state; any valid state is the expected answer
    from crmsh_py.engine import agent_reload

    # A reload is recorded as a start (its digests replace the start's); migrations keep both ends.
    shown, task = task, recorded_task(task)
    if report.call_ids is None or report.call_ids.root is not snap.root:  # one scan per settle, not per operation
        report.call_ids = status_xml.CallIds(snap.root)
    record = OpRecord(task=task, interval_ms=interval_ms, rc=rc, call_id=report.call_ids.next(),
                      op_status=op_status, last_rc_change=started, exec_time_ms=exec_ms, expected_rc=expected,
                      on_node=node, migrate_source=(migration or {}).get("migrate_source", ""),
                      migrate_target=(migration or {}).get("migrate_target", ""))
    if caps is not None and interval_ms == 0:
        record.restart_digest, record.force_restart = agent_reload.restart_digests(
            caps, digest_params(spec, task, interval_ms))
    history = ResourceHistory(rsc_id=_history_id(rsc_id, spec), ra_class=spec.agent.ra_class,
                              ra_type=spec.agent.ra_type, provider=spec.agent.provider)
    status_xml.record_op(snap.root, snap.definition, node, history, record, transition=report.rounds,
                         action=number, exit_reason=_exit_reason(output) if record.failed else "",
                         digest=spec_digest(snap, spec, task, interval_ms), call_ids=report.call_ids)
    if task in ("stop", "start") and record.rc == 0 and record.op_status == 0:
        status_xml.remove_recurring(snap.root, snap.definition, node, history.rsc_id)
    if record.failed:
        _count_failure(snap, node, history.rsc_id, task, interval_ms, started)
    cibfile.bump_updates(snap.root)
    report.executed.append((task, rsc_id, node, interval_ms, rc))
    report.changed = True
    what = "probe" if probe else (f"{task} (interval {interval_ms}ms)" if interval_ms else shown)
    result = _RESULT_WORDS.get(rc, f"rc={rc}") if op_status == 0 else ("timed out" if op_status == 2 else "error")
    cluster.log("pacemaker-controld", f"Result of {what} operation for {rsc_id} on {node}: {result}",
                "info" if not record.failed else "error", node=node)
    return not record.failed


def digest_params(spec: Any, task: str, interval_ms: int) -> dict[str, str]:
    """The parameters an operation of ``spec`` runs with (instance and op parameters)."""
    from crmsh_py.engine import digest
    from crmsh_py.engine.resources import duration_ms

    return digest.op_parameters(spec.params, spec.ops, task, interval_ms, duration_ms)


def spec_digest(snap: "CibSnapshot", spec: Any, task: str, interval_ms: int) -> str:
    """Pacemaker's ``op-digest`` of ``task``/``interval_ms`` of ``spec`` (see :mod:`crmsh_py.engine.digest`).

    The timeout only counts for recurring operations; it comes from the op, else ``op_defaults``,
    else Pacemaker's 20s, read from the XML so that no configuration model is rebuilt per op.
    """
    from crmsh_py.engine import digest
    from crmsh_py.engine.resources import DEFAULT_TIMEOUT_MS, duration_ms

    params = digest_params(spec, task, interval_ms)
    timeout_ms = 0
    if interval_ms:
        for op in spec.ops:
            if op.name == task and duration_ms(op.interval) == interval_ms:
                text = next((a.value for a in op.attributes if a.name == "timeout" and a.value), None)
                timeout_ms = duration_ms(text, DEFAULT_TIMEOUT_MS) if text else 0
                break
        if not timeout_ms:
            section = snap.root.find("configuration/op_defaults")  # never create it here
            defaults = [nv.get("value") for nv in (section.iter("nvpair") if section is not None else ())
                        if nv.get("name") == "timeout" and nv.get("value")]
            timeout_ms = duration_ms(defaults[0], DEFAULT_TIMEOUT_MS) if defaults else DEFAULT_TIMEOUT_MS
    return digest.op_digest(params, interval_ms, timeout_ms)


def _history_id(rsc_id: str, spec: Any) -> str:
    """Anonymous clone instances keep history under the primitive id (Pacemaker 2 does the same)."""
    return spec.history_id or rsc_id


def expected_rc(task: str, interval_ms: int, spec: Any, probe: bool = False) -> int:
    """What a successful result of ``task`` at ``interval_ms`` is for ``spec`` (0, 7 for probes,
    8 for a promoted-role monitor)."""
    from crmsh_py.engine.resources import duration_ms

    if probe:
        return OCF_NOT_RUNNING
    role = ""
    if task == "monitor" and interval_ms:
        for op in spec.ops:
            if op.name == "monitor" and duration_ms(op.interval) == interval_ms:
                role = next((a.value or "" for a in op.attributes if a.name == "role"), "").lower()
    if task == "monitor" and interval_ms and role in ("promoted", "master"):
        return 8
    return 0


def _count_failure(snap: "CibSnapshot", node: str, rsc_id: str, task: str, interval_ms: int, now: int) -> None:
    """Increment ``fail-count-<rsc>#<task>_<interval>`` and set ``last-failure-...`` on ``node``."""
    key = f"{rsc_id}#{task}_{interval_ms}"
    current = status_xml.get_transient_attribute(snap.root, node, f"fail-count-{key}") or "0"
    if current.upper() == "INFINITY":
        value = "INFINITY"
    else:
        # a failed start counts as INFINITY (start-failure-is-fatal defaults to true)
        value = "INFINITY" if task == "start" and _start_failure_is_fatal(snap) else str(int(current) + 1)
    status_xml.set_transient_attribute(snap.root, snap.definition, node, f"fail-count-{key}", value)
    status_xml.set_transient_attribute(snap.root, snap.definition, node, f"last-failure-{key}", str(now))


def _start_failure_is_fatal(snap: "CibSnapshot") -> bool:
    for nvpair in snap.section("crm_config").iter("nvpair"):
        if nvpair.get("name") == "start-failure-is-fatal":
            return is_true(nvpair.get("value"))
    return True


def _exit_reason(output: str) -> str:
    """The agent's ``ocf-exit-reason:`` line, if it printed one."""
    for line in output.splitlines():
        if "ocf-exit-reason:" in line:
            return line.split("ocf-exit-reason:", 1)[1].strip()
    return ""


def _agent_of(cfg: "Configuration", prim: Any) -> Any:
    if prim.agent is not None:
        return prim.agent
    template = cfg.find(prim.template or "")
    return getattr(template, "agent", None)
