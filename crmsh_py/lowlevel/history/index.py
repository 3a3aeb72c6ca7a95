"""From log lines to history: transitions, resource and node events, and the operator's commands.

A transition starts with the scheduler's ``Calculated transition N[ (with warnings)], saving inputs
in PATH`` and ends with the controller's ``Transition N (Complete=..., Source=PATH): Complete`` (or
``Stopped``); its actions are the controller's ``Initiating TASK operation KEY on NODE`` lines
logged on the same (DC) node in between, their outcome the next ``Result of TASK operation for RSC
on NODE`` (Pacemaker's scheduler and controller are two processes; one DC runs one transition at
a time).

A shell command is the ``crm[PID]: Invoked: crm ...`` line (with the ``Origin: user=U tty=T`` line
the shell writes after it); the low-level commands it ran are the ``Invoked:`` lines of other tools
with the same PID (the bundled backend runs them in-process) or, for Pacemaker's tools, logged
within a few seconds of it; the transitions that followed are those calculated after it and
before the next command, within ``FOLLOW_S`` seconds (or in the same process).
"""

from __future__ import annotations

import re

from crmsh_py.lowlevel.history.logscan import LogLine
from crmsh_py.records import field, record

FOLLOW_S = 120.0
TOOL_WINDOW_S = 5.0

_CALCULATED = re.compile(r"Calculated transition (\d+)(?: \(with (warnings|errors)\))?(?:, saving inputs in (\S+))?")
_FINISHED = re.compile(r"Transition (\d+) \(Complete=(\d+), Pending=(\d+), Fired=(\d+), Skipped=(\d+), "
                       r"Incomplete=(\d+), Source=([^)]*)\): (\w+)")
_INITIATING = re.compile(r"Initiating (\w+) operation (\S+?)_(\w+?)_(\d+)(?: locally)? on (\S+)")
_RESULT = re.compile(r"Result of (probe|\w+)(?: \(interval (\d+)ms\))? operation for (\S+) on (\S+): (.*?)(?: \| .*)?$")
_FENCE_OK = re.compile(r"Operation '(\w+)' targeting (\S+) by (\S+) for .*?: OK")
_FENCE_FAIL = re.compile(r"Operation '(\w+)' targeting (\S+) failed")
_PEER_FENCED = re.compile(r"Peer (\S+) was terminated \((\w+)\) by (\S+)")
_NODE = re.compile(r"Node (\S+) (joined the cluster|left the cluster|was lost[^,]*|is rebooting.*|rebooted and "
                   r"rejoined the cluster|is shutting down|state is now \w+)")
_ORIGIN = re.compile(r"Origin: user=(\S+) tty=(\S+)")
_SHELLS = ("crm",)


@record
class Action:
    """One action of a transition and its outcome (``""`` when no result was logged)."""

    task: str
    rsc: str
    node: str
    interval_ms: int
    result: str = ""
    ts: float = 0.0


@record
class Transition:
    """A scheduler run and what the controller did with it."""

    number: int
    node: str
    pid: int
    start: float
    pe_file: str = ""
    kind: str = "input"  # input, warnings, errors
    end: float | None = None
    state: str = ""  # Complete, Stopped, Terminated; "" while unfinished
    counts: dict[str, int] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    fenced: list[str] = field(default_factory=list)
    first_line: LogLine | None = None
    last_line: LogLine | None = None
    causes: list[str] = field(default_factory=list)  # failures and node losses logged just before

    @property
    def pe_name(self) -> str:
        """``pe-input-12`` (``pe-unsaved`` when the input was not saved)."""
        base = self.pe_file.rsplit("/", 1)[-1]
        return base[:-4] if base.endswith(".bz2") else (base or "pe-unsaved")

    @property
    def pe_number(self) -> int:
        """The number of the input file (-1 when not saved)."""
        tail = self.pe_name.rsplit("-", 1)[-1]
        return int(tail) if tail.isdigit() else -1

    @property
    def label(self) -> str:
        """crmsh's name of a transition: ``NODE:pe-input-N``."""
        return f"{self.node}:{self.pe_name}"

    def changes(self) -> list[str]:
        """What the transition did, in words: ``dummy moved srv01 -> srv02``, ``node srv02 fenced``."""
        out = [f"node {node} fenced" for node in self.fenced]
        seen: dict[str, dict[str, list[str]]] = {}
        for action in self.actions:
            if action.task in ("start", "stop", "promote", "demote", "migrate_to", "migrate_from"):
                seen.setdefault(action.rsc, {}).setdefault(action.task, []).append(action.node)
        for rsc, tasks in seen.items():
            stops, starts = tasks.get("stop", []), tasks.get("start", [])
            failed = [a for a in self.actions if a.rsc == rsc and a.result and not _ok(a.result)]
            cause = next((c for c in self.causes if c.startswith(rsc + " ")), "")
            if failed:
                first = failed[0]
                out.append(f"{rsc} {first.task} failed on {first.node} ({first.result})")
            elif stops and starts and cause:
                verb = "recovered on" if stops == starts else f"recovered {','.join(stops)} ->"
                out.append(f"{rsc} {verb} {','.join(starts)} after {cause[len(rsc) + 1:]}")
            elif stops and starts and stops != starts:
                out.append(f"{rsc} moved {','.join(stops)} -> {','.join(starts)}")
            elif stops and starts:
                out.append(f"{rsc} restarted on {','.join(starts)}")
            elif starts:
                out.append(f"{rsc} started on {','.join(starts)}")
            elif stops:
                out.append(f"{rsc} stopped on {','.join(stops)}")
            for task in ("promote", "demote"):
                if task in tasks:
                    out.append(f"{rsc} {task}d on {','.join(tasks[task])}")
        return out


@record
class Event:
    """A log line ``crm history`` shows, with what it is about."""

    line: LogLine
    kind: str  # resource, node, fencing, transition, command, error, warning
    rsc: str = ""
    node: str = ""
    transition: int | None = None


@record
class Command:
    """One shell command and what followed it."""

    line: LogLine
    text: str
    user: str = ""
    tty: str = ""
    lowlevel: list[LogLine] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)


@record
class History:
    """Everything read from the logs of one source."""

    transitions: list[Transition]
    events: list[Event]
    commands: list[Command]
    lines: list[LogLine]


def _ok(result: str) -> bool:
    return result in ("ok", "not running", "promoted")


def build(lines: list[LogLine]) -> History:
    """Index ``lines`` (time ordered) into transitions, events and commands."""
    transitions: list[Transition] = []
    open_on: dict[str, Transition] = {}  # DC node -> its transition in progress
    events: list[Event] = []
    commands: list[Command] = []
    last_command: dict[int, Command] = {}
    pending: list[Action] = []
    causes: list[str] = []
    in_process = _engine_in_process(lines)
    t: Transition | None
    for line in lines:
        msg = line.msg
        if line.ident in _SHELLS and msg.startswith("Invoked: "):
            command = Command(line, msg[len("Invoked: "):])
            commands.append(command)
            last_command[line.pid] = command
            events.append(Event(line, "command"))
            continue
        if line.ident in _SHELLS and msg.startswith("Origin: "):
            match = _ORIGIN.match(msg)
            owner = last_command.get(line.pid)
            if match and owner is not None:
                owner.user, owner.tty = match.group(1), match.group(2)
            continue
        if msg.startswith("Invoked: "):
            owner = last_command.get(line.pid) or _recent(commands, line.ts, TOOL_WINDOW_S, line.pid)
            if owner is not None and owner.line.ident in _SHELLS:
                owner.lowlevel.append(line)
            else:  # a low-level tool run by hand (or by a script): a command of its own
                command = Command(line, msg[len("Invoked: "):])
                commands.append(command)
                last_command[line.pid] = command
                events.append(Event(line, "command"))
            continue
        head = msg[:4]  # cheap dispatch before any regular expression
        match = _CALCULATED.match(msg) if head == "Calc" else None
        if match:
            new = Transition(int(match.group(1)), line.node, line.pid, line.ts, match.group(3) or "",
                           {"warnings": "warnings", "errors": "errors"}.get(match.group(2) or "", "input"),
                           first_line=line, causes=causes)
            causes = []
            transitions.append(new)
            open_on[line.node] = new
            _attach(new, line, commands, last_command, in_process)
            events.append(Event(line, "transition", node=line.node, transition=new.number))
            continue
        match = _FINISHED.match(msg) if head == "Tran" else None
        if match:
            t = open_on.pop(line.node, None) or _find(transitions, int(match.group(1)), match.group(7))
            if t is not None:
                t.end, t.state, t.last_line = line.ts, match.group(8), line
                names = ("Complete", "Pending", "Fired", "Skipped", "Incomplete")
                t.counts = {n: int(match.group(i)) for i, n in enumerate(names, start=2)}
                if not t.pe_file and match.group(7) not in ("(null)", ""):
                    t.pe_file = match.group(7)
            events.append(Event(line, "transition", node=line.node, transition=t.number if t else None))
            continue
        match = _INITIATING.match(msg) if head == "Init" else None
        if match:
            t = open_on.get(line.node)
            action = Action(match.group(1), match.group(2), match.group(5), int(match.group(4)), ts=line.ts)
            if t is not None:
                t.actions.append(action)
            pending.append(action)
            if action.task not in ("monitor", "notify"):
                events.append(Event(line, "resource", rsc=action.rsc, node=action.node,
                                    transition=t.number if t else None))
            continue
        match = _RESULT.match(msg) if head == "Resu" else None
        if match:
            task, interval, rsc, node, result = match.groups()
            task_name = "monitor" if task == "probe" else task
            for action in pending:
                if action.rsc == rsc and action.node == node and action.task == task_name and not action.result:
                    action.result = result
                    pending.remove(action)
                    break
            failed = line.level in ("error", "crit") or not _ok(result)
            if failed:
                causes.append(f"{rsc} {task} failed on {node} ({result})")
            detail = 1 if task in ("probe", "monitor", "notify") and not failed else 0
            kind = "resource" if detail == 0 else "resource-detail"
            t = open_on.get(line.node) or _open_on(open_on, line.pid)
            events.append(Event(line, kind, rsc=rsc, node=node, transition=t.number if t else None))
            continue
        fenced = _FENCE_OK.match(msg) or _PEER_FENCED.match(msg)
        if fenced:
            target = fenced.group(2) if fenced.re is _FENCE_OK else fenced.group(1)
            t = _open_on(open_on, line.pid) or (transitions[-1] if transitions and transitions[-1].end is None
                                                     else None)
            if t is not None and target not in t.fenced:
                t.fenced.append(target)
            events.append(Event(line, "fencing", node=target, transition=t.number if t else None))
            continue
        match = _FENCE_FAIL.match(msg)
        if match:
            events.append(Event(line, "fencing", node=match.group(2)))
            continue
        match = _NODE.match(msg)
        if match:
            if match.group(2).startswith("was lost"):
                causes.append(f"node {match.group(1)} was lost")
            events.append(Event(line, "node", node=match.group(1)))
            continue
        if line.level in ("error", "crit"):
            events.append(Event(line, "error", rsc=_rsc_in(msg)))
        elif line.level == "warning":
            events.append(Event(line, "warning", rsc=_rsc_in(msg)))
    return History(transitions, events, commands, lines)


def _recent(commands: list[Command], ts: float, window: float, pid: int) -> Command | None:
    """The shell command a tool line of another process belongs to: the latest one, when it is
    recent and did not run its tools in-process (the bundled backend's do; Pacemaker's fork)."""
    if not commands:
        return None
    last = commands[-1]
    if not 0 <= ts - last.line.ts <= window:
        return None
    if last.lowlevel and all(low.pid == last.line.pid for low in last.lowlevel):
        return None
    return last


def _attach(t: Transition, line: LogLine, commands: list[Command], last_command: dict[int, Command],
            in_process: bool) -> None:
    """Give a new transition to the command that caused it.  The bundled engine plans in the
    process that changed the cluster, so there the PID decides (a transition from another process
    is the engine daemon's: a failure, a timeout); Pacemaker's scheduler is a daemon of its own,
    so there it is the latest command within ``FOLLOW_S`` seconds."""
    owner = last_command.get(line.pid)
    if owner is None and not in_process and commands and 0 <= line.ts - commands[-1].line.ts <= FOLLOW_S:
        owner = commands[-1]
    if owner is not None:
        owner.transitions.append(t)


def _engine_in_process(lines: list[LogLine]) -> bool:
    """Whether transitions were planned by the commands' own processes (the bundled engine)."""
    invoked = {line.pid for line in lines if line.msg.startswith("Invoked: ")}
    return any(line.pid in invoked for line in lines if line.msg.startswith("Calculated transition"))


def _find(transitions: list[Transition], number: int, source: str) -> Transition | None:
    for t in reversed(transitions):
        if t.number == number and (not t.pe_file or t.pe_file == source) and t.end is None:
            return t
    return None


def _open_on(open_on: dict[str, Transition], pid: int) -> Transition | None:
    """The transition in progress that process ``pid`` runs (the bundled engine logs a whole
    transition from one process), else the only one in progress."""
    for t in open_on.values():
        if t.pid == pid:
            return t
    return next(iter(open_on.values())) if len(open_on) == 1 else None


_RSC_WORD = re.compile(r"(?:resource|for|of) ([\w:.-]+)")


def _rsc_in(msg: str) -> str:
    match = _RSC_WORD.search(msg)
    return match.group(1) if match else ""
