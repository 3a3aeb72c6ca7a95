"""One resource's operation history on one node, replayed as Pacemaker 2.1.5 unpacks it.

Operations are taken in call-id order.  Each result is first judged against the result the
cluster expected (from the transition key): a probe that found the agent or its configuration
missing counts as "not running" and bans the node; other unexpected results are failures.

- A success moves the role: start/migrate_from to Started, stop to Stopped, promote to Promoted,
  demote to Unpromoted, a monitor (or any other op, such as a notify) to at least Started; "not
  running" and a later start or stop clear earlier failures (unless the failure asked for
  ``stop``, ``fence``, ``standby`` or ``migrate``).
- A failure keeps the resource active (at least Started), records the op as the last failure and
  raises the pending response to the op's ``on-fail`` (defaults: ``fence`` for a stop with fencing
  enabled, else ``block``; ``restart`` otherwise), the stronger one winning.  A failed stop bans
  the node; a failed promote leaves it Promoted; a failed demote leaves it Unpromoted (Stopped
  when it reported "not running", Promoted when on-fail is ``block``).  Hard errors ban the node,
  fatal ones every node, and ``on-fail=stop`` keeps the resource stopped.
- ``on-fail=ignore`` pretends the op succeeded (the status shows "failure ignored").
- A failure older than ``failure-timeout`` is forgotten (probes that found it running, stopped
  or promoted never expire).
- A start still pending makes it active; notifies and meta-data are ignored.
"""

from __future__ import annotations

from crmsh_py.engine.status import OpRecord
from crmsh_py.records import record
from crmsh_py.sorting import comparison_key

STARTED, PROMOTED, UNPROMOTED, STOPPED = "Started", "Promoted", "Unpromoted", "Stopped"
_ROLE_RANK = {STOPPED: 0, STARTED: 1, UNPROMOTED: 1, PROMOTED: 2}
# Pacemaker's ordering of failure responses (the stronger one wins).
_RANK = {"ignore": 0, "demote": 1, "restart": 2, "reset-remote": 3, "restart-container": 4, "migrate": 5,
         "block": 6, "stop": 7, "standby": 8, "fence": 9}
_CLEARABLE = frozenset({"block", "ignore", "demote", "restart", "restart-container"})
PENDING, DONE, CANCELLED, ERROR, ERROR_HARD, ERROR_FATAL, NOT_INSTALLED = -1, 0, 1, 4, 5, 6, 7


@record
class Replayed:
    """What one history says (see the module docstring)."""

    role: str = STOPPED
    known: bool = False  # some op told us the state (Pacemaker's role is no longer "unknown")
    on_fail: str = "ignore"  # the response still pending
    last_failure: OpRecord | None = None
    ban_node: bool = False
    ban_all: bool = False  # fatal error, or a failure whose on-fail keeps it stopped
    stop_wanted: bool = False  # on-fail=stop
    failure_ignored: bool = False
    start_pending: bool = False
    demote_blocked: bool = False  # failed demote with on-fail=block: stays Promoted, must stop
    # the role comes from a start (Pacemaker's "Started", which a promotable clone turns into
    # Unpromoted unless the instance, a cloned group, has a member in a higher role)
    from_start: bool = False


def _is_probe(op: OpRecord) -> bool:
    return op.task == "monitor" and op.interval_ms == 0


def _mask_probe_failure(op: OpRecord) -> bool:
    return _is_probe(op) and (op.rc in (5, 6) or op.op_status == NOT_INSTALLED)


class _Replay:
    def __init__(self, promotable: bool, policy, failure_timeout_s: int, now: int,  # type: ignore[no-untyped-def]
                 failcount: bool = False, managed: bool = True) -> None:
        self.out = Replayed()
        self.managed = managed  # an unmanaged resource found not running has stopped: no failure
        self.promotable = promotable
        self.policy = policy  # (op) -> (on-fail text, keeps stopped)
        self.timeout_s = failure_timeout_s
        self.now = now
        self.failcount = failcount  # the node has a fail count for the resource

    def set_active(self) -> None:
        if _ROLE_RANK[self.out.role] < 1:
            self.out.role = UNPROMOTED if self.promotable else STARTED
            self.out.from_start = False
        self.out.known = True

    def set_role(self, role: str, from_start: bool = False) -> None:
        self.out.role, self.out.known, self.out.from_start = role, True, from_start

    def clear_failure(self) -> None:
        if self.out.on_fail in _CLEARABLE:
            self.out.on_fail = "ignore"
            self.out.stop_wanted = False

    def state_after(self, op: OpRecord, rc: int) -> None:
        """Pacemaker's update_resource_state."""
        task = op.task
        if rc == 5 or _mask_probe_failure(op):
            self.set_role(STOPPED)
        elif rc == 7:
            self.clear_failure()
        elif task == "monitor":
            last = self.out.last_failure
            if last is not None and last.task == op.task and last.interval_ms == op.interval_ms:
                self.clear_failure()
            self.set_active()
        elif task in ("start", "migrate_from"):
            self.set_role(UNPROMOTED if self.promotable else STARTED, from_start=True)
            self.clear_failure()
        elif task == "stop":
            self.set_role(STOPPED)
            self.clear_failure()
        elif task == "promote":
            self.set_role(PROMOTED)
            self.clear_failure()
        elif task == "demote":
            if self.out.on_fail == "demote":
                self.clear_failure()
            self.set_role(UNPROMOTED)
        elif task == "migrate_to":
            self.set_role(STOPPED)  # the migration module settles where it ended up
        else:
            self.set_active()

    def expired(self, op: OpRecord, rc: int) -> bool:
        if self.timeout_s <= 0 or op.op_status == NOT_INSTALLED or not op.last_rc_change:
            return False
        if self.now < op.last_rc_change + self.timeout_s:
            return False
        return not (_is_probe(op) and rc in (0, 7, 8, 190, 191))

    def remap(self, op: OpRecord, rc: int, target: int) -> int:
        """The execution status a result really means (Pacemaker's remap_operation)."""
        status = DONE if target == rc else ERROR
        probe = _is_probe(op)
        if rc == 0:
            if probe and target == 7:
                status = DONE  # a probe found it running: not a failure
        elif rc == 7:
            if probe or target == rc or not self.managed:
                status = DONE
                self.set_role(STOPPED)
                self.out.on_fail = "ignore"
                self.out.stop_wanted = False
        elif rc == 8:
            if probe and rc != target:
                status = DONE
            self.set_role(PROMOTED)
        elif rc in (9, 191):
            self.set_role(PROMOTED)
            status = ERROR
        elif rc == 6:
            status = ERROR_FATAL
        elif rc == 3:
            status = ERROR_HARD if op.interval_ms == 0 else 3
        elif rc in (2, 4, 5):
            status = ERROR_HARD
        elif status == DONE and rc not in (0,):
            status = ERROR
        return status

    def feed(self, op: OpRecord) -> None:
        if op.task in ("notify", "meta-data"):
            return
        rc, status, target = op.rc, op.op_status, op.expected_rc
        if (self.timeout_s > 0 and self.failcount and (status != DONE or rc != target)
                and self.policy(op)[0] == "block"):
            # Pacemaker drops failure-timeout once it meets a failure that blocks (with a fail
            # count): from this op on, nothing expires.
            self.timeout_s = 0
        expired = self.expired(op, rc)
        if op.task == "monitor":
            rc = {190: 0, 191: 8}.get(rc, rc)
        masked = _mask_probe_failure(op)
        if masked:
            status, rc = DONE, 7
        if status in (DONE, ERROR):
            status = self.remap(op, rc, target)
        if expired and masked and op.rc != target:
            return
        if expired and rc != target:
            return
        if masked:
            self.state_after(op, target)
            self.out.ban_node = True
            return
        if status == CANCELLED:
            return
        if status == PENDING or op.call_id < 0:
            if op.task == "start":
                self.out.start_pending = True
                self.set_active()
            elif op.task == "promote":
                self.set_role(PROMOTED)
            return
        if status == DONE:
            self.state_after(op, rc)
            return
        on_fail, stays_stopped = self.policy(op)
        if status == 3:
            status = ERROR  # not supported: an ordinary failure
        if status == NOT_INSTALLED:
            self.out.ban_node = True
            if on_fail == "ignore":
                on_fail = "migrate"  # a missing agent cannot be ignored: it must run elsewhere
        elif on_fail == "ignore" or (on_fail == "restart-container" and op.task == "stop"):
            # a stop failing inside a container counts as done: restarting the container stops it
            self.state_after(op, target)
            self.out.failure_ignored = True
            if on_fail == "restart-container" and _RANK.get(self.out.on_fail, 2) <= _RANK["restart"]:
                self.out.on_fail = on_fail
                self.out.last_failure = op
            return
        self.failure(op, rc, on_fail, stays_stopped)
        if status == ERROR_HARD:
            self.out.ban_node = True
        elif status == ERROR_FATAL:
            self.out.ban_all = True

    def failure(self, op: OpRecord, rc: int, on_fail: str, stays_stopped: bool) -> None:
        """Pacemaker's unpack_rsc_op_failure."""
        self.out.last_failure = op
        if _RANK.get(self.out.on_fail, 2) < _RANK.get(on_fail, 2):
            self.out.on_fail = on_fail
        if op.task == "stop":
            self.out.ban_node = True
        elif op.task == "promote":
            self.set_role(PROMOTED)
        elif op.task == "demote":
            if on_fail == "block":
                self.set_role(PROMOTED)
                self.out.demote_blocked = True
            elif rc == 7:
                self.set_role(STOPPED)
            else:
                self.set_role(UNPROMOTED)
        if _is_probe(op) and rc == 5:
            self.set_role(STOPPED)
        else:
            self.set_active()
        if stays_stopped:
            self.out.stop_wanted = True
            self.out.ban_all = True


def replay_ops(ops: list[OpRecord], promotable: bool, policy, failure_timeout_s: int = 0,  # type: ignore[no-untyped-def]
               now: int = 0, failcount: bool = False, managed: bool = True) -> Replayed:
    """Replay ``ops`` (any order); ``policy(op)`` gives the failed op's on-fail and whether that
    response keeps the resource stopped; for an unmanaged resource (``managed`` false) a "not
    running" result is a stop, not a failure, as in Pacemaker."""
    if len(ops) == 1:
        op = ops[0]
        if op.task == "monitor" and op.interval_ms == 0 and op.rc == 7 == op.expected_rc and op.op_status == DONE:
            return Replayed(role=STOPPED, known=True)  # the common case: probed, not running
    replay = _Replay(promotable, policy, failure_timeout_s, now, failcount, managed)
    # Pacemaker's order: call id, then the time of the result; a pending op by the transition that
    # ran it; equal ones newest-recorded first.
    for op in sorted(reversed(list(ops)), key=comparison_key(_older_first)):
        replay.feed(op)
    return replay.out


def _transition(op: OpRecord) -> tuple[str, int] | None:
    """(controller uuid, transition number) from an op's transition-magic, if it has one."""
    _, _, key = getattr(op, "magic", "").partition(";")
    parts = key.split(":")
    if len(parts) < 4 or not parts[1].lstrip("-").isdigit():
        return None
    return ":".join(parts[3:]), int(parts[1])


def _older_first(a: OpRecord, b: OpRecord) -> int:
    """Pacemaker's order of two entries of one node's history (pe__is_newer_op): -1 if ``a``
    came first."""
    if a.call_id == -1 and b.call_id == -1:
        return 0
    if a.call_id >= 0 and b.call_id >= 0:
        if a.call_id != b.call_id:
            return -1 if a.call_id < b.call_id else 1
        if a.last_rc_change != b.last_rc_change and a.last_rc_change and b.last_rc_change:
            return -1 if a.last_rc_change < b.last_rc_change else 1
        return 0
    # one of them is pending: compare the transitions that ran them
    ta, tb = _transition(a), _transition(b)
    if ta is None or tb is None:
        return -1 if b.call_id == -1 else 1  # a pending op comes last
    if ta[0] != tb[0] or ta[1] == tb[1]:
        return -1 if b.call_id == -1 else 1
    if (ta[1] >= 0 and ta[1] < tb[1]) or tb[1] == -1:
        return -1
    return 1
