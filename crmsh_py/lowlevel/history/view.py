"""What each ``crm history`` command shows, as text (crmsh's layout) and as data (``--output json``).

:class:`Query` is a source plus the session's filters (``limit``, ``setnodes``, ``exclude``,
``detail``); its methods answer one command each and return either text or a JSON-ready value.
The JSON shapes are documented in ``docs/json-output.md`` and ``docs/schemas/``.
"""

from __future__ import annotations

import difflib
import re
from functools import cached_property
from pathlib import Path
from typing import Any

from crmsh_py.errors import CommandError
from crmsh_py.lowlevel.history import index, logscan, peinput, timefmt
from crmsh_py.lowlevel.history.sources import Source
from crmsh_py.records import field, record

EVENT_KINDS = {0: ("resource", "node", "fencing", "error"), 1: ("resource", "resource-detail", "node", "fencing",
                                                                 "error", "warning", "transition")}


@record
class Query:
    """A source and the filters every command applies."""

    source: Source
    start: float | None = None
    end: float | None = None
    nodes: list[str] = field(default_factory=list)
    excludes: list[str] = field(default_factory=list)
    detail: int = 0
    cache_dir: Path | None = None

    # ------------------------------------------------------------------ reading
    def _keep(self, line: logscan.LogLine) -> bool:
        if self.start is not None and line.ts < self.start:
            return False
        if self.end is not None and line.ts > self.end:
            return False
        if self.nodes and line.node not in self.nodes:
            return False
        return not any(p.search(line.raw) for p in self._exclude_res)

    @cached_property
    def _exclude_res(self) -> list[re.Pattern[str]]:
        out = []
        for text in self.excludes:
            try:
                out.append(re.compile(text))
            except re.error as error:
                raise CommandError(f"exclude: bad regular expression '{text}': {error}") from None
        return out

    def _read(self, everything: bool) -> list[logscan.LogLine]:
        logs = []
        for number, (node, path) in enumerate(self.source.logs):
            if node and self.nodes and node not in self.nodes:
                continue
            if not path.exists():
                continue
            found = logscan.scan(path, everything, number, self.cache_dir)
            logs.append([line for line in found if self._keep(line)])
        return logscan.merge(logs)

    @cached_property
    def history(self) -> index.History:
        """The interesting lines indexed (read once per query)."""
        return index.build(self._read(False))

    # ------------------------------------------------------------------ commands
    def info(self) -> str:
        """Source, period, nodes, resources and transitions (crmsh's ``history info``)."""
        cib = self._cib()
        lines = self.history.lines
        period_from = self.start if self.start is not None else (lines[0].ts if lines else None)
        period_to = self.end if self.end is not None else (lines[-1].ts if lines else None)
        groups = [g.get("id", "") for g in cib.findall("configuration/resources/group")] if cib is not None else []
        clones = [c.get("id", "") for tag in ("clone", "master") for c in
                  (cib.findall(f"configuration/resources/{tag}") if cib is not None else [])]
        prims = [p.get("id", "") for p in cib.iter("primitive")] if cib is not None else []
        desc = self.source.description
        return "\n".join([
            f"Source: {self.source.name}",
            f"Created on: {desc.get('Date', '--')}",
            f"By: {desc.get('By', '--')}",
            f"Period: {timefmt.show(period_from)} - {timefmt.show(period_to)}",
            f"Nodes: {' '.join(self.node_names(cib))}",
            f"Groups: {' '.join(groups)}",
            f"Clones: {' '.join(clones)}",
            f"Resources: {' '.join(prims)}",
            f"Transitions: {' '.join(self._short_transitions())}",
        ]) + "\n"

    def node_names(self, cib: Any = None) -> list[str]:
        """Nodes of the source (report folders, else the CIB's nodes), restricted by ``setnodes``."""
        names = list(self.source.nodes)
        if not names and cib is not None:
            names = [n.get("uname") or n.get("id", "") for n in cib.findall("configuration/nodes/node")]
        return [n for n in names if not self.nodes or n in self.nodes]

    def _short_transitions(self) -> list[str]:
        out = []
        for t in self.history.transitions:
            out.append(str(t.pe_number) if t.kind == "input" and t.pe_number >= 0 else t.pe_name)
        return out

    def events(self, kinds: tuple[str, ...] | None = None, rscs: list[str] | None = None,
               nodes: list[str] | None = None) -> list[index.Event]:
        """Events of the given kinds (default: those of the detail level), about ``rscs``/``nodes``."""
        wanted = kinds or EVENT_KINDS[min(self.detail, 1)]
        out = []
        for event in self.history.events:
            if event.kind not in wanted:
                continue
            if rscs is not None and not any(_same_rsc(event.rsc, r) or _mentions(event.line.msg, r) for r in rscs):
                continue
            if nodes is not None and event.node not in nodes and not any(_mentions(event.line.msg, n) for n in nodes):
                continue
            out.append(event)
        return out

    def log(self, nodes: list[str]) -> str:
        """Every log line (of ``nodes`` when given) within the limits."""
        lines = self._read(True)
        if nodes:
            lines = [line for line in lines if line.node in nodes]
        return "".join(line.raw + "\n" for line in lines)

    def transition(self, spec: str | None) -> index.Transition:
        """A transition by input number (``12``), index from the end (``-1`` is the latest),
        input name (``pe-input-12``, ``srv01:pe-warn-0``) or ``t12`` for transition number 12."""
        found = self.history.transitions
        if not found:
            raise CommandError("no transitions found in the log (within the limits set)")
        spec = spec or "-1"
        if re.fullmatch(r"-\d+", spec):
            position = int(spec)
            if -position > len(found) or position == 0:
                raise CommandError(f"transition {spec}: there are only {len(found)} transitions")
            return found[position]
        if re.fullmatch(r"t\d+", spec):
            matches = [t for t in found if t.number == int(spec[1:])]
        elif spec.isdigit():
            matches = [t for t in found if t.pe_number == int(spec) and t.kind == "input"] or \
                [t for t in found if t.pe_number == int(spec)]
        else:
            node, _, name = spec.rpartition(":")
            name = name[:-4] if name.endswith(".bz2") else name
            matches = [t for t in found if t.pe_name == name and (not node or t.node == node)]
        if not matches:
            raise CommandError(f"transition {spec} not found (see 'history info' for the list)")
        return matches[-1]

    def pe_root(self, t: index.Transition) -> Any:
        """The saved input of ``t`` (CommandError when it was not saved or is missing)."""
        if not t.pe_file:
            raise CommandError(f"transition {t.number}: its input was not saved (pe-*-series-max=0)")
        path = self.source.pe_path(t.pe_file, t.node)
        if path is None:
            raise CommandError(f"transition {t.number}: input {t.pe_name} is not in the source "
                               "(removed by pe-input-series-max, or not collected)")
        return peinput.read(path)

    def transition_info(self, t: index.Transition) -> str:
        """crmsh's transition header, plus what it did in words."""
        head = f"Transition {t.label} ({timefmt.short(t.start)} -"
        if t.end is None:
            text = head + " [unfinished])\n"
        else:
            counts = {k: v for k, v in t.counts.items() if v}
            total = sum(t.counts.values())
            words = ", ".join(f"{v} {k}" for k, v in counts.items())
            text = f"{head} {timefmt.short(t.end)}):\n\ttotal {total} actions: {words}\n" if total else \
                f"{head} {timefmt.short(t.end)}):\n\ttotal 0 actions\n"
        for change in t.changes():
            text += f"\t{change}\n"
        return text

    def transition_events(self, t: index.Transition) -> list[index.Event]:
        """The events logged while ``t`` ran."""
        return [e for e in self.events() if e.transition == t.number or (e.transition is None and _within(t, e.line))]

    def transition_log(self, t: index.Transition) -> str:
        """Every log line from the start of ``t`` to its end."""
        return "".join(line.raw + "\n" for line in self._read(True) if _within(t, line))

    def show(self, spec: str, status: bool) -> str:
        """The configuration (or status) a transition planned from."""
        root = self.pe_root(self.transition(spec))
        return peinput.status_text(root) if status else peinput.config_text(root)

    def diff(self, first: str, second: str, status: bool, words: bool) -> str:
        """Unified (or word) diff of what two transitions planned from."""
        texts = []
        for spec in (first, second):
            if spec == "live":
                root = self._cib()
                if root is None:
                    raise CommandError("live: no CIB in this source")
            else:
                root = self.pe_root(self.transition(spec))
            texts.append(peinput.status_text(root) if status else peinput.config_text(root))
        if words:
            return word_diff(texts[0], texts[1])
        lines = difflib.unified_diff(texts[0].splitlines(), texts[1].splitlines(), first, second, n=0, lineterm="")
        return "\n".join(lines) + "\n"

    def _cib(self) -> Any:
        path = self.source.cib
        if path is None or not Path(path).is_file():
            return None
        return peinput.read(Path(path))

    def commands(self) -> list[index.Command]:
        """The shell commands in the limits, each with what it ran and what followed."""
        return self.history.commands

    def cluster_transitions(self) -> list[index.Transition]:
        """Transitions no command caused (failures, the engine daemon, other tools)."""
        owned = {id(t) for c in self.history.commands for t in c.transitions}
        return [t for t in self.history.transitions if id(t) not in owned and (t.actions or t.fenced)]


def word_diff(old: str, new: str) -> str:
    """``wdiff``-style: removed words as ``[-word-]``, added as ``{+word+}``."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out) + "\n"


def _within(t: index.Transition, line: logscan.LogLine) -> bool:
    """Whether ``line`` was logged while ``t`` ran: by position in the transition's own log, by
    time in the others (whole seconds: lines of the same second count as within)."""
    first, last = t.first_line, t.last_line
    if first is not None and line.file == first.file:
        return first.seq <= line.seq <= (last.seq if last is not None else float("inf"))
    end = t.end if t.end is not None else float("inf")
    return t.start <= line.ts <= end


def _same_rsc(found: str, wanted: str) -> bool:
    return found == wanted or found.split(":")[0] == wanted


def _mentions(msg: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", msg) is not None


# ---------------------------------------------------------------------- rendering


def events_text(events: list[index.Event]) -> str:
    """Raw log lines, as crmsh shows events."""
    return "".join(e.line.raw + "\n" for e in events)


def event_data(event: index.Event) -> dict[str, Any]:
    """One event for JSON (schema: docs/schemas/history-events.schema.json)."""
    line = event.line
    return {"time": timefmt.iso(line.ts), "node": line.node, "ident": line.ident, "pid": line.pid,
            "level": line.level, "kind": event.kind, "resource": event.rsc or None,
            "about_node": event.node or None, "transition": event.transition, "message": line.msg}


def transition_data(t: index.Transition, after: float | None = None) -> dict[str, Any]:
    """One transition for JSON."""
    return {"number": t.number, "input": t.pe_name, "dc": t.node, "kind": t.kind,
            "start": timefmt.iso(t.start), "end": timefmt.iso(t.end), "state": t.state or None,
            "delay_s": None if after is None else round(t.start - after, 3),
            "actions": [{"task": a.task, "resource": a.rsc, "node": a.node, "interval_ms": a.interval_ms,
                         "result": a.result or None} for a in t.actions],
            "fenced": list(t.fenced), "changes": t.changes()}


def command_data(c: index.Command) -> dict[str, Any]:
    """One shell command for JSON (schema: docs/schemas/history-commands.schema.json)."""
    return {"time": timefmt.iso(c.line.ts), "node": c.line.node, "pid": c.line.pid, "user": c.user or None,
            "tty": c.tty or None, "command": c.text, "lowlevel": [low.msg[len("Invoked: "):] for low in c.lowlevel],
            "transitions": [transition_data(t, c.line.ts) for t in c.transitions]}


def commands_text(commands: list[index.Command], others: list[index.Transition]) -> str:
    """The audit timeline: each command, what it ran, and what the cluster did about it; then the
    transitions nobody typed (failures, recoveries)."""
    items: list[tuple[float, str]] = []
    for c in commands:
        who = f"{c.user or '?'} on {c.tty or '?'}"
        lines = [f"{timefmt.show(c.line.ts)} {who}: {c.text}"]
        lines += [f"    ran {low.msg[len('Invoked: '):]}" for low in c.lowlevel]
        for t in c.transitions:
            delay = timefmt.span(max(t.start - c.line.ts, 0.0))
            changes = t.changes()
            if not changes:
                continue
            for change in changes:
                lines.append(f"    {change} in transition {t.number} ({t.pe_name}), {delay} after "
                             f"'{c.text}' by {who}")
        items.append((c.line.ts, "\n".join(lines)))
    for t in others:
        text = "; ".join(t.changes()) or "no changes"
        items.append((t.start, f"{timefmt.show(t.start)} cluster: transition {t.number} ({t.pe_name}): {text}"))
    items.sort(key=lambda item: item[0])
    return "".join(text + "\n" for _, text in items)
