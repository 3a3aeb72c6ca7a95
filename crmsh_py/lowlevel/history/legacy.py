"""Reports of Pacemaker 1.x clusters, read the way crmsh 4.4.1's history explorer reads them.

Pacemaker 1.x logged under other daemon names (``crmd``, ``pengine``, ``lrmd``, ``stonith-ng``) and
in other words than 2.x, so the semantic index of :mod:`.index` finds little in such logs.  For
them (the CIB's ``dc-version`` is 1.x) ``crm history`` answers as crmsh does, so that an admin's
old reports read the same in both shells:

* events are the log lines matching crmsh's pattern classes (``events``: errors and critical
  lines; ``node``; ``quorum``; ``resource``), the class's patterns filled in with the CIB's node
  or primitive names; ``events`` shows the classes in name order, each in time order (lines of
  the same second in file-offset order);
* a transition starts at the scheduler's ``Transition N ... pe-*-N.bz2`` or the controller's
  ``Processing graph N ... derived from PATH`` and ends at ``Transition N (...Source=PATH): STATE``
  on the same DC; the names an event line matched while a transition ran become its tags; a
  transition with no actions whose input has the epoch of the one before is left out;
* Pacemaker 1.1.8 changed its messages; crmsh's two pattern sets are chosen by ``dc-version``.
"""

from __future__ import annotations

import bz2
import re
import time
from crmsh_py import xmltree as ET
from crmsh_py.records import field, record
from datetime import datetime
from pathlib import Path

from crmsh_py.errors import CommandError

# crmsh's event patterns ("%%" is where the node or resource names go), per detail level.
_OLD: dict[str, tuple[tuple[str, ...], ...]] = {
    "resource": ((
        "lrmd.*%% (?:start|stop|promote|demote|migrate)", "lrmd.*RA output: .%%:.*:stderr",
        "lrmd.*WARN: Managed %%:.*exited", "lrmd.*WARN: .* %% .*timed out$",
        "crmd.*LRM operation %%_(?:start|stop|promote|demote|migrate)_.*confirmed=true",
        "crmd.*LRM operation %%_.*Timed Out", r"[(]%%[)]\[",
    ), ("lrmd.*%% (?:probe|notify)", "lrmd.*Managed %%:.*exited")),
    "node": ((
        " %% .*Corosync.Cluster.Engine", " %% .*Executive.Service.RELEASE", " %% .*Requesting.shutdown",
        " %% .*Shutdown.complete", " %% .*Configuration.validated..Starting.heartbeat",
        "pengine.*Scheduling Node %% for STONITH", "crmd.* of %% failed", "stonith-ng.*host '%%'",
        "Exec.*on %% ", "Node %% will be fenced", "stonith-ng.*for %% timed", "stonith-ng.*can not fence %%:",
        "stonithd.*Succeeded.*node %%:", "(?:lost|memb): %% ", "crmd.*(?:NEW|LOST):.* %% ",
        "Node return implies stonith of %% ",
    ), ()),
    "quorum": (("crmd.*Updating.quorum.status", "crmd.*quorum.(?:lost|ac?quir)"), ()),
    "events": (("CRIT:", "ERROR:"), ("WARN:",)),
}
_V118: dict[str, tuple[tuple[str, ...], ...]] = {
    "resource": ((
        "crmd.*Initiating.*%%_(?:start|stop|promote|demote|migrate)_", "lrmd.*operation_finished: %%_",
        "lrmd.*executing - rsc:%% action:(?:start|stop|promote|demote|migrate)",
        "lrmd.*finished - rsc:%% action:(?:start|stop|promote|demote|migrate)",
        "crmd.*LRM operation %%_(?:start|stop|promote|demote|migrate)_.*confirmed=true",
        "crmd.*LRM operation %%_.*Timed Out", r"[(]%%[)]\[",
    ), ("crmd.*Initiating.*%%_(?:monitor_0|notify)", "lrmd.*executing - rsc:%% action:(?:monitor_0|notify)",
        "lrmd.*finished - rsc:%% action:(?:monitor_0|notify)")),
    "node": ((
        " %% .*Corosync.Cluster.Engine", " %% .*Executive.Service.RELEASE", " %% .*crm_shutdown:.Requesting.shutdown",
        " %% .*pcmk_shutdown:.Shutdown.complete", " %% .*Configuration.validated..Starting.heartbeat",
        "pengine.*Scheduling Node %% for STONITH", "pengine.*Node %% will be fenced", "crmd.*for %% failed",
        "stonith-ng.*host '%%'", "Exec.*on %% ", "Node %% will be fenced", "stonith-ng.*on %% for.*timed out",
        "stonith-ng.*can not fence %%:", "stonithd.*Succeeded.*node %%:", "(?:lost|memb): %% ",
        "crmd.*(?:NEW|LOST|new|lost):.* %% ", "Node return implies stonith of %% ",
    ), ()),
    "quorum": (("crmd.*Updating.(quorum).status", r"crmd.*quorum.(?:lost|ac?quir[^\s]*)"), ()),
    "events": (("(CRIT|crit|ERROR|error|UNCLEAN|unclean):",), ("(WARN|warning):",)),
}
_START = re.compile(r"(?:crmd.*Processing graph ([0-9]+).*derived from (.*/pe-[^-]+-([0-9]+)[.]bz2))|"
                    r"(?:pengine.*[Tt]ransition ([0-9]+).*([^ ]*/pe-[^-]+-([0-9]+)[.]bz2))")
_END = re.compile(r"crmd.*Transition ([0-9]+).*Source=(.*/pe-[^-]+-([0-9]+)[.]bz2).:.*(Stopped|Complete|Terminated)")
_COUNTS = re.compile(r"([A-Z][a-z]+)=([0-9]+)")
_STAMP = re.compile(r"^([a-zA-Z]{2,4}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2})\s+(?:\[\d+\])?\s*(\S+)")
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2}T\S+)\s+(?:\[\d+\])?\s*(\S+)")


def is_legacy(cib: ET.Element | None) -> bool:
    """Whether the report is of a Pacemaker 1.x cluster (its CIB's ``dc-version``)."""
    return _dc_version(cib).startswith("1.")


def _dc_version(cib: ET.Element | None) -> str:
    if cib is None:
        return ""
    for nvpair in cib.iter("nvpair"):
        if nvpair.get("name") == "dc-version":
            return nvpair.get("value", "")
    return ""


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text.split("-")[0])[:3])


@record
class Line:
    """One log line: its time (the previous line's when it has none), node, where it is, its text."""

    ts: float
    node: str
    file: int
    offset: int
    text: str


@record
class Transition:
    """One transition as crmsh sees it."""

    dc: str
    start: float
    number: str
    pe_file: str  # base name
    pe_num: str
    end: float | None = None
    state: str = ""
    actions: dict[str, int] | None = None  # non-zero counts of the end line; None: unfinished
    tags: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        """``pe-input-50``."""
        return self.pe_file.replace(".bz2", "")

    def action_count(self) -> int:
        """Actions of the finished transition (-1 when unfinished)."""
        return sum(self.actions.values()) if self.actions is not None else -1


@record
class CibInfo:
    """What the report's CIB says about nodes and resources."""

    nodes: list[str] = field(default_factory=list)
    primitives: list[str] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)
    clones: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, cib: ET.Element | None) -> "CibInfo":
        """From a ``<cib>`` (empty when there is none)."""
        if cib is None:
            return cls()
        resources = cib.find("configuration/resources")
        info = cls([str(n.get("uname") or n.get("id") or "") for n in cib.findall("configuration/nodes/node")],
                   [p.get("id", "") for p in resources.iter("primitive")] if resources is not None else [])
        if resources is not None:
            for group in resources.findall("group"):
                info.groups[group.get("id", "")] = [c.get("id", "") for c in group]
            for tag in ("clone", "master"):
                for clone in resources.findall(tag):
                    info.clones[clone.get("id", "")] = [p.get("id", "") for p in clone.iter("primitive")]
        return info


def _compile(patterns: tuple[tuple[str, ...], ...], detail: int, names: list[str] | None) -> list[re.Pattern[str]]:
    chosen = [p for level in patterns[:detail + 1] for p in level]
    if names:
        fill = "(%s)" % "|".join(names)
        return [re.compile(p.replace("%%", fill)) for p in chosen]
    return [re.compile(p.replace("%%", "").replace(".*.*", ".*")) for p in chosen]


class LegacyReport:
    """A report's logs scanned into transitions and events, crmsh's way."""

    def __init__(self, logs: list[tuple[str, Path]], cib: ET.Element | None, pe_dirs: dict[str, Path],
                 year: int, detail: int = 0) -> None:
        self.files = [node for node, _ in logs]
        self.cib = CibInfo.read(cib)
        self.pe_dirs = pe_dirs
        self.detail = detail
        version = _version_tuple(_dc_version(cib))
        self.patterns = _V118 if version >= (1, 1, 8) else _OLD
        self.lines: list[list[Line]] = [_read(path, index, year) for index, (_, path) in enumerate(logs)]
        self.transitions: list[Transition] = []
        self.events: dict[str, list[tuple[int, int, int]]] = {}  # class -> (sort key, file, line index)
        self._scan()

    # ------------------------------------------------------------------ scanning
    def _scan(self) -> None:
        classes = {"node": _compile(self.patterns["node"], self.detail, self.cib.nodes),
                   "resource": _compile(self.patterns["resource"], self.detail, self.cib.primitives),
                   "quorum": _compile(self.patterns["quorum"], self.detail, None),
                   "events": _compile(self.patterns["events"], self.detail, None)}
        self.events = {name: [] for name in classes}
        known: dict[str, Transition] = {}
        current: Transition | None = None
        inside = False
        for lines in self.lines:
            for index, line in enumerate(lines):
                text = line.text
                m = _START.search(text)
                if m:
                    number, path, pe_num = (m.group(1), m.group(2), m.group(3)) if m.group(1) is not None \
                        else (m.group(4), m.group(5), m.group(6))
                    key = f"{line.node}:{Path(path).name}"
                    current = known.get(key)
                    if current is None:
                        current = Transition(line.node, line.ts, number, Path(path).name, pe_num)
                        known[key] = current
                        self.transitions.append(current)
                    inside = True
                    continue
                if inside:
                    m = _END.search(text)
                    if m:
                        current = known.get(f"{line.node}:{Path(m.group(2)).name}")
                        if current is not None:
                            current.end, current.state = line.ts, m.group(4)
                            current.actions = {k: int(v) for k, v in _COUNTS.findall(text) if int(v)}
                        inside = False
                for name, patterns in classes.items():
                    for rx in patterns:
                        found = rx.search(text)
                        if not found:
                            continue
                        self.events[name].append(((int(line.ts) << 32) + line.offset, line.file, index))
                        if current is not None:
                            current.tags.update(g.lower() for g in found.groups() if g)
                if not inside:
                    current = None
        self.transitions.sort(key=lambda t: t.start)
        for entries in self.events.values():
            entries.sort(key=lambda e: e[0])
        kept = self.transitions[:1]
        for previous, t in zip(self.transitions, self.transitions[1:], strict=False):
            if not self._empty(t, previous):
                kept.append(t)
        self.transitions = kept

    def _empty(self, t: Transition, previous: Transition) -> bool:
        """No actions, and the same (admin) epoch as the transition before (crmsh drops those)."""
        if t.action_count() != 0:
            return False
        old, new = self.pe_path(previous), self.pe_path(t)
        if old is None or new is None:
            return True
        try:
            a, b = (ET.fromstring(bz2.decompress(p.read_bytes())) for p in (old, new))
        except (OSError, EOFError, ValueError, ET.ParseError):
            return True
        return all(a.get(k, "0") == b.get(k, "0") for k in ("epoch", "admin_epoch"))

    def pe_path(self, t: Transition) -> Path | None:
        """The input's file in the report (None when it was not collected)."""
        directory = self.pe_dirs.get(t.dc)
        path = directory / t.pe_file if directory is not None else None
        return path if path is not None and path.is_file() else None

    # ------------------------------------------------------------------ reading
    def count(self) -> tuple[int, int]:
        """(transitions, events) over the whole report."""
        return len(self.transitions), sum(len(e) for e in self.events.values())

    def within(self, start: float | None, end: float | None) -> list[Transition]:
        """The transitions overlapping the period."""
        return [t for t in self.transitions if not (start and t.end and t.end < start)
                and not (end and t.start and t.start > end)]

    def select(self, start: float | None, end: float | None, kind: str | None = None,
               names: list[str] | None = None) -> list[str]:
        """Event lines (of one class, about ``names``) within the period."""
        kinds = [kind] if kind else sorted(self.events)
        patterns = None
        if names and kind:
            if kind == "resource":
                names = [c for n in names for c in self.cib.groups.get(n) or self.cib.clones.get(n) or [n]]
            patterns = _compile(self.patterns[kind], self.detail, names)
        out = []
        for name in kinds:
            for _, file, index in self.events.get(name, []):
                line = self.lines[file][index]
                if patterns is not None and not any(rx.search(line.text) for rx in patterns):
                    continue
                if (start and line.ts < start) or (end and line.ts > end):
                    continue
                out.append(line.text)
        return out

    def log(self, start: float | None, end: float | None, nodes: list[str]) -> list[str]:
        """Every line of the nodes' logs merged by time (the earlier file first on a tie)."""
        chosen = [i for i, node in enumerate(self.files) if not nodes or node in nodes]
        positions = {i: 0 for i in chosen}
        out: list[str] = []
        total = sum(len(self.lines[i]) for i in chosen)
        for _ in range(total):  # one line per round
            live = [i for i in chosen if positions[i] < len(self.lines[i])]
            if not live:
                break
            pick = min(live, key=lambda i: self.lines[i][positions[i]].ts)
            line = self.lines[pick][positions[pick]]
            if end and line.ts > end:
                break
            if not (start and line.ts < start):
                out.append(line.text)
            positions[pick] += 1
        return out


def _read(path: Path, file: int, year: int) -> list[Line]:
    """Every line of a log with its time and node (a line without them gets the previous ones)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read log {path}: {error.strerror or error}") from None
    out: list[Line] = []
    ts, node = 0.0, ""
    offset = 0
    for raw in data.split(b"\n"):
        text = raw.decode("utf-8", "replace")
        m = _STAMP.match(text)
        if m:
            try:
                stamp = datetime.strptime(f"{year} {' '.join(m.group(1).split())}", "%Y %b %d %H:%M:%S")
                ts, node = time.mktime(stamp.timetuple()), m.group(2)
            except ValueError:
                pass
        else:
            iso = _ISO.match(text)
            if iso:
                try:
                    ts, node = datetime.fromisoformat(iso.group(1)).timestamp(), iso.group(2)
                except ValueError:
                    pass
        if raw:
            out.append(Line(ts, node, file, offset, text))
        offset += len(raw) + 1
    return out
