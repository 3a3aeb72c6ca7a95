"""``crm history`` commands on a Pacemaker 1.x report, answered as crmsh 4.4.1 answers them
(:mod:`.legacy` reads the report).  Paths are shown as crmsh shows them: under the folder the
report unpacks to beside the tarball (``history-test/xen-e/pengine/pe-input-50.bz2``)."""

from __future__ import annotations

import bz2
import os
import re
import time
from crmsh_py import xmltree as ET
from pathlib import Path
from typing import Any

from crmsh_py.errors import CommandError
from crmsh_py.lowlevel.history import timefmt
from crmsh_py.lowlevel.history.legacy import LegacyReport, Transition, is_legacy
from crmsh_py.lowlevel.history.sources import TAR_SUFFIXES, Source
from crmsh_py.lowlevel.history.view import Query

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Callable

MAX_SHORT_LIST = 20


class LegacyQuery:
    """A Pacemaker 1.x report with the session's filters."""

    def __init__(self, query: Query, cib: ET.Element | None) -> None:
        source = query.source
        self.query = query
        self.source = source
        pe_dirs = {node: path for node, path in source.pengine}
        self.report = LegacyReport(source.logs, cib, pe_dirs, _year(source), query.detail)
        self.excludes = [re.compile(p) for p in query.excludes]
        self.start, self.end = query.start, query.end
        self.nodes = query.nodes

    def shown(self, lines: list[str]) -> str:
        """Lines minus the excluded ones, as crmsh displays them."""
        return "".join(line + "\n" for line in lines if not any(rx.search(line) for rx in self.excludes))

    def display_path(self, t: Transition) -> str:
        """Where crmsh says the input is: ``REPORT/DC/pengine/FILE``."""
        return os.path.join(display_root(self.source), t.dc, "pengine", t.pe_file)

    def transitions(self) -> list[Transition]:
        """The transitions within the period."""
        return self.report.within(self.start, self.end)

    def pick(self, spec: str | None) -> Transition:
        """crmsh's choice of an input: a name (``pe-input-49``), a number (49), 0 or -N from the
        end (0 is the latest, -1 the one before), or the latest."""
        found = self.transitions()
        if spec is not None and "pe-" in spec:
            matches = [t for t in found if spec in self.display_path(t)]
            if len(matches) != 1:
                raise CommandError(f"{spec}: path {'not found' if not matches else 'ambiguous'}")
            return matches[0]
        if spec is not None and re.fullmatch(r"-?\d+", spec):
            number = int(spec)
            if number > 0:
                matches = [t for t in found if int(t.pe_num) == number]
                if len(matches) != 1:
                    raise CommandError(f"PE file {number} {'not found' if not matches else 'ambiguous'}")
                return matches[0]
            index = number - 1
        else:
            index = -1
        if len(found) < abs(index):
            raise CommandError("no transitions found in the source" if index == -1
                               else f"PE input file for index {index + 1} not found")
        return found[index]

    def transition_events(self, t: Transition) -> str:
        """crmsh's transition header and the events logged while it ran."""
        head = f"Transition {t.dc}:{t.name} ({timefmt.short(t.start)} -"
        if t.end is None:
            text = head + " [unfinished])\n"
        else:
            counts = t.actions or {}
            words = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            text = f"{head} {timefmt.short(t.end)}):\n\ttotal {t.action_count()} actions: {words}\n"
        return text + self.shown(self.report.select(t.start, t.end))


def display_root(source: Source) -> str:
    """The report's folder as crmsh names it (beside the tarball, as the source was given)."""
    root = source.root
    name = source.name
    if name.endswith(TAR_SUFFIXES) and root is not None:
        return os.path.join(os.path.dirname(name), root.name)
    return name


def _year(source: Source) -> int:
    """The year of the report's time stamps without one: its description's (crmsh's choice)."""
    for candidate in ([source.root / "description.txt"] if source.root is not None else []) + \
            [path for _, path in source.logs]:
        try:
            return time.localtime(candidate.stat().st_mtime).tm_year
        except OSError:
            continue
    return time.localtime().tm_year


def legacy_query(query: Query) -> LegacyQuery | None:
    """The crmsh-style reading of the query's source when it is a Pacemaker 1.x report."""
    if query.source.kind != "report" or query.source.cib is None:
        return None
    try:
        with open(query.source.cib, "rb") as handle:
            cib = ET.fromstring(handle.read())
    except (OSError, ET.ParseError):
        return None
    return LegacyQuery(query, cib) if is_legacy(cib) else None


# ---------------------------------------------------------------------- commands


def _info(q: LegacyQuery, words: list[str]) -> str:
    source = q.source
    desc = source.description
    created = desc.get("Date") or (time.strftime("%a %d %b %H:%M:%S %Z %Y", time.localtime(
        (source.root / "description.txt").stat().st_mtime)) if source.root is not None and
        (source.root / "description.txt").exists() else "--:--:--")
    firsts = [lines[0].ts for lines in q.report.lines if lines]
    lasts = [lines[-1].ts for lines in q.report.lines if lines]
    start = q.start if q.start is not None else (min(firsts) if firsts else None)
    end = q.end if q.end is not None else (max(lasts) if lasts else None)
    found = q.transitions()
    short = " ".join(t.pe_num + ("*" if t.tags else "") for t in found[-MAX_SHORT_LIST:])
    cib = q.report.cib
    return "\n".join([
        f"Source: {source.name}", f"Created on: {created}", f"By: {desc.get('By') or 'unknown'}",
        f"Period: {timefmt.show(start)} - {timefmt.show(end)}", f"Nodes: {' '.join(source.nodes)}",
        f"Groups: {' '.join(cib.groups)}", f"Clones: {' '.join(cib.clones)}",
        f"Resources: {' '.join(cib.primitives)}",
        f"Transitions: {'... ' if len(found) > MAX_SHORT_LIST else ''}{short}",
    ]) + "\n"


def _events(q: LegacyQuery, words: list[str]) -> str:
    return q.shown(q.report.select(q.start, q.end))


def _resource(q: LegacyQuery, words: list[str]) -> str:
    if not words:
        raise CommandError("usage: resource RSC [RSC...]")
    return q.shown(q.report.select(q.start, q.end, "resource", words))


def _node(q: LegacyQuery, words: list[str]) -> str:
    if not words:
        raise CommandError("usage: node NODE [NODE...]")
    return q.shown(q.report.select(q.start, q.end, "node", words))


def _log(q: LegacyQuery, words: list[str]) -> str:
    return q.shown(q.report.log(q.start, q.end, words or q.nodes))


def _transitions(q: LegacyQuery, words: list[str]) -> str:
    lines = ["%-30s  %-15s %-15s Tags" % ("Time", "Name", "Node")]
    for t in q.transitions():
        end = time.strftime("%H:%M:%S", time.localtime(t.end)) if t.end else "--:--:--"
        lines.append("%s %s - %s: %-15s %-15s %s" % (time.strftime("%Y-%m-%d", time.localtime(t.start)),
                                                     timefmt.short(t.start), end, t.name, t.dc,
                                                     " ".join(sorted(t.tags))))
    return "\n".join(lines) + "\n"


def _peinputs(q: LegacyQuery, words: list[str]) -> str:
    args = list(words)
    verbose = "v" in args
    args = [a for a in args if a != "v"]
    ranges: list[tuple[int, int]] = []
    for arg in args:
        parts = arg.split(":")
        if not all(p.isdigit() for p in parts) or len(parts) > 2:
            raise CommandError(f"{arg}: invalid peinputs range")
        low, high = int(parts[0]), int(parts[-1])
        if low > high:
            raise CommandError(f"{arg}: invalid peinputs range")
        ranges.append((low, high))
    chosen = [t for t in q.transitions() if not ranges or any(lo <= int(t.pe_num) <= hi for lo, hi in ranges)]
    if not chosen:
        raise CommandError("no transitions found in the source")
    if not verbose:
        return "".join(q.display_path(t) + "\n" for t in chosen)
    lines = ["Date       Start    End       Filename      Client     User       Origin      Tags",
             "====       =====    ===       ========      ======     ====       ======      ===="]
    for t in chosen:
        client, user, origin = _origin(q.report.pe_path(t))
        end = time.strftime("%H:%M:%S", time.localtime(t.end)) if t.end else "--:--:--"
        lines.append("%s %s %s  %-13s %-10s %-10s %s   %s" % (
            time.strftime("%Y-%m-%d", time.localtime(t.start)), timefmt.short(t.start), end,
            "%-13s" % t.name, client, user, origin, " ".join(sorted(t.tags))))
    return "\n".join(lines) + "\n"


def _origin(path: Path | None) -> tuple[str, str, str]:
    defaults = ("no-client", "no-user", "no-origin")
    if path is None:
        return defaults
    try:
        root = ET.fromstring(bz2.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError, ET.ParseError):
        return defaults
    return tuple(root.get(k, d) for k, d in zip(("update-client", "update-user", "update-origin"),  # type: ignore[return-value]
                                                 defaults, strict=True))


def _refresh(q: LegacyQuery, words: list[str]) -> str:
    transitions, events = q.report.count()
    return f"Refreshing log data...\n{transitions} transitions, {events} events.\n"


def _transition(q: LegacyQuery, words: list[str]) -> str:
    args = list(words)
    sub = args.pop(0) if args and args[0] in ("log", "showdot", "save", "tags", "path") else "show"
    if sub == "show":
        args = [a for a in args if a not in ("nograph", "v", "vv", "vvv", "scores", "actions", "utilization")]
    t = q.pick(args.pop(0) if args else None)
    if args:
        raise CommandError("usage: transition [N|-N|NAME] [log|nograph|showdot|tags]")
    if sub == "tags":
        tags = sorted(t.tags)
        return (" ".join(tags) if tags else "No tags.") + "\n"
    if sub == "path":  # the shell's `transition save` and `show` ask where the input is
        path = q.report.pe_path(t)
        if path is None:
            raise CommandError(f"{q.display_path(t)}: not in the report")
        return f"{q.display_path(t)}\n{path}\n"
    if sub == "log":
        return q.shown(q.report.log(t.start, t.end, []))
    if sub == "showdot":
        raise CommandError("showdot: no graph for a Pacemaker 1.x input")
    return f"running ptest with {q.display_path(t)}\n" + q.transition_events(t)


COMMANDS: dict[str, Callable[[LegacyQuery, list[str]], Any]] = {
    "info": _info, "events": _events, "resource": _resource, "node": _node, "log": _log,
    "transitions": _transitions, "peinputs": _peinputs, "refresh": _refresh, "transition": _transition,
}
