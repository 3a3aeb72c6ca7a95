"""The daemon's timetable of recurring operations.

Which operations recur is read from the CIB status each tick, the way Pacemaker's executor knows
them: settling *arms* a recurring monitor by running it once and recording it under its own id
(``dummy_monitor_10000``) with its interval.  An armed entry that is present, on an online node,
and whose last result was the expected one is due every ``interval`` from the moment it was armed
(or last run).  Re-arming (a new ``call-id``, e.g. after a restart) restarts its clock; entries
that disappear (the resource stopped or moved, the node left) are dropped.

Successful repeats are not written to the CIB (Pacemaker records a recurring result only when it
changes), so a healthy cluster's CIB stays still while the daemon runs.
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

from crmsh_py.engine import membership
from crmsh_py.records import field, record


@record(frozen=True)
class MonitorKey:
    """One recurring operation: which resource history, on which node, which task and interval."""

    node: str
    rsc_id: str
    task: str
    interval_ms: int


@record(frozen=True)
class Armed:
    """An armed recurring operation as recorded in the status section."""

    key: MonitorKey
    call_id: int
    expected_rc: int


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _expected(op: ET.Element) -> int:
    parts = (op.get("transition-key") or "").split(":")
    return _int(parts[2]) if len(parts) >= 3 else 0


def armed_operations(root: ET.Element) -> dict[MonitorKey, Armed]:
    """Every healthy armed recurring operation on an online node, from the ``<status>`` of ``root``."""
    out: dict[MonitorKey, Armed] = {}
    status = root.find("status")
    for state in status.findall("node_state") if status is not None else []:
        if membership.state_of(state) != "online":
            continue
        node = state.get("uname") or ""
        for rsc in state.findall("lrm/lrm_resources/lrm_resource"):
            rsc_id = rsc.get("id") or ""
            for op in rsc.findall("lrm_rsc_op"):
                interval = _int(op.get("interval"))
                task = op.get("operation") or ""
                if interval <= 0 or op.get("id") != f"{rsc_id}_{task}_{interval}":
                    continue  # one-shot ops and the _last_failure_0 copy
                expected = _expected(op)
                if _int(op.get("op-status")) != 0 or _int(op.get("rc-code")) != expected:
                    continue  # already failed: the scheduler recovers it, no point repeating
                key = MonitorKey(node, rsc_id, task, interval)
                out[key] = Armed(key, _int(op.get("call-id")), expected)
    return out


@record
class Timetable:
    """When each armed operation is next due (monotonic seconds)."""

    due: dict[MonitorKey, tuple[int, float]] = field(default_factory=dict)

    def refresh(self, armed: dict[MonitorKey, Armed], now: float) -> None:
        """Follow the CIB: new or re-armed operations are due one interval from ``now``; vanished
        ones are dropped; unchanged ones keep their time."""
        fresh: dict[MonitorKey, tuple[int, float]] = {}
        for key, entry in armed.items():
            known = self.due.get(key)
            if known is not None and known[0] == entry.call_id:
                fresh[key] = known
            else:
                fresh[key] = (entry.call_id, now + key.interval_ms / 1000.0)
        self.due = fresh

    def due_now(self, armed: dict[MonitorKey, Armed], now: float) -> list[Armed]:
        """The armed operations whose time has come, earliest first."""
        ready = [(when, key) for key, (_, when) in self.due.items() if when <= now and key in armed]
        return [armed[key] for _, key in sorted(ready, key=lambda item: (item[0], _order(item[1])))]

    def ran(self, key: MonitorKey, now: float) -> None:
        """Schedule the next run of ``key`` one interval after ``now``."""
        if key in self.due:
            self.due[key] = (self.due[key][0], now + key.interval_ms / 1000.0)

    def next_due(self) -> float | None:
        """The earliest due time, or None when nothing is armed."""
        return min((when for _, when in self.due.values()), default=None)


def _order(key: MonitorKey) -> tuple[str, str, str, int]:
    return (key.node, key.rsc_id, key.task, key.interval_ms)
