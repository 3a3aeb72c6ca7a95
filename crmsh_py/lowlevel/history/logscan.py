"""Reading cluster logs fast: only the lines that matter, found with plain substring searches.

A 100 MB log holds a million lines; parsing each with a regular expression costs seconds.  Instead
every *keyword* that marks an interesting line (``Calculated transition``, ``Result of``,
``Invoked:``...) is searched for with ``bytes.find`` over the whole file (C speed), each hit is
widened to its line, and only those lines are parsed.

Line formats understood (time stamps without a year get the year of the file's modification time,
one less for months after it):

* the bundled engine's ha-log: ``Nov 29 03:09:30 srv01 pacemaker-controld[42] notice: text``
* syslog: ``Nov 29 03:09:30 srv01 pacemaker-controld[42]: notice: text``
* Pacemaker 2.1's detail log: ``Nov 29 03:09:30.123 srv01 pacemaker-controld  [42] (fn)   notice: text``
  (the milliseconds are read as the fraction of the second)
* ISO 8601 stamps (journald ``short-iso``, rsyslog high precision) in place of ``Nov 29 03:09:30``.
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from crmsh_py.errors import CommandError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                      "Nov", "Dec"), start=1)}
LEVELS = ("crit", "error", "err", "warning", "warn", "notice", "info", "debug", "trace")

_LINE = re.compile(
    r"(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)"
    r" (?P<node>\S+) (?P<ident>[\w.-]+?)\s*\[(?P<pid>\d+)\]:?(?: \([^)]*\))?\s+"
    r"(?:(?P<level>crit|error|err|warning|warn|notice|info|debug|trace):?\s+)?(?P<msg>.*)$")

# What makes a line interesting to ``crm history`` (everything else is read only by ``log``).
# Each keyword costs one pass over the file, so they are few and shared: "ransition " finds both
# ends of a transition; the shell's "Origin:" line is taken with the "Invoked:" line before it.
KEYWORDS: tuple[bytes, ...] = (
    b"ransition ", b"Initiating ", b"Result of ", b"nvoked: ", b"Operation '", b"was terminated",
    b"the cluster", b"state is now", b" error: ", b" warning: ", b" crit: ",
)
_FOLLOWER = b"Origin: "


class LogLine(NamedTuple):
    """One parsed log line: when, where, who (ident and pid), how bad, what, and the raw text
    (a named tuple: a long history has hundreds of thousands, made and unpickled fast)."""

    ts: float
    node: str
    ident: str
    pid: int
    level: str
    msg: str
    raw: str
    seq: int = 0  # byte offset in its file: keeps the file's order among equal time stamps
    file: int = 0  # which log of the source it came from


class Clock:
    """Turns ``Nov 29 03:09:30`` into seconds since the epoch (local time), caching per hour."""

    def __init__(self, reference: float) -> None:
        ref = time.localtime(reference)
        self.year, self.month = ref.tm_year, ref.tm_mon
        self._hours: dict[tuple[int, int, int, int], float] = {}

    def syslog(self, stamp: str) -> float:
        """Seconds for an RFC 3164 stamp; the year is guessed from the reference time."""
        month = MONTHS.get(stamp[:3], 1)
        day = int(stamp[4:6])
        hour, minute, second = int(stamp[7:9]), int(stamp[10:12]), int(stamp[13:15])
        year = self.year if month <= self.month else self.year - 1
        key = (year, month, day, hour)
        base = self._hours.get(key)
        if base is None:
            base = time.mktime((year, month, day, hour, 0, 0, 0, 0, -1))
            self._hours[key] = base
        fraction = float(stamp[15:]) if len(stamp) > 16 and stamp[15] == "." else 0.0
        return base + minute * 60 + second + fraction

    @staticmethod
    def iso(stamp: str) -> float:
        """Seconds for an ISO 8601 stamp (local time when it has no zone)."""
        text = stamp.replace(" ", "T", 1).replace("Z", "+00:00")
        if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
            text = text[:-2] + ":" + text[-2:]
        return datetime.fromisoformat(text).timestamp()


def parse_line(text: str, clock: Clock, seq: int = 0, file: int = 0) -> LogLine | None:
    """Parse one log line (None when it is not in a known format)."""
    match = _LINE.match(text)
    if match is None:
        return None
    stamp = match.group("ts")
    try:
        ts = clock.syslog(stamp) if stamp[0].isalpha() else clock.iso(stamp)
    except (ValueError, OverflowError):
        return None
    level = match.group("level") or "info"
    level = {"err": "error", "warn": "warning"}.get(level, level)
    return LogLine(ts, match.group("node"), match.group("ident"), int(match.group("pid")), level,
                   match.group("msg"), text, seq, file)


def read_bytes(path: Path) -> bytes:
    """The file's bytes (bz2/gz/xz logs are decompressed); CommandError naming it when unreadable."""
    try:
        data = path.read_bytes()
        if path.suffix in (".bz2", ".gz", ".xz"):
            import bz2
            import gzip
            import lzma

            opener = {".bz2": bz2.decompress, ".gz": gzip.decompress, ".xz": lzma.decompress}[path.suffix]
            data = opener(data)
        return data
    except (OSError, EOFError, ValueError, lzma_error()) as error:
        raise CommandError(f"cannot read log {path}: {getattr(error, 'strerror', None) or error}") from None


def lzma_error() -> type[Exception]:
    """``lzma.LZMAError`` (imported lazily)."""
    import lzma

    return lzma.LZMAError


def interesting_offsets(data: bytes, keywords: Iterable[bytes] = KEYWORDS) -> list[int]:
    """Start offsets of the lines holding any keyword, sorted, each once."""
    starts: set[int] = set()
    find, rfind = data.find, data.rfind
    for word in keywords:
        follow = word == b"nvoked: "
        pos = find(word)
        while pos >= 0:
            starts.add(rfind(b"\n", 0, pos) + 1)
            end = find(b"\n", pos)
            if end < 0:
                break
            if follow:  # the shell's Origin line comes right after its Invoked line
                after = find(b"\n", end + 1)
                if find(_FOLLOWER, end + 1, after if after >= 0 else len(data)) >= 0:
                    starts.add(end + 1)
            pos = find(word, end)
    return sorted(starts)


def scan(path: Path, everything: bool = False, file: int = 0, cache_dir: Path | None = None) -> list[LogLine]:
    """The interesting lines of the log at ``path`` (all lines with ``everything``), in file order.

    With ``cache_dir``, the interesting lines found are kept there (one pickle per log) and the
    next scan of a plain log that only grew reads just what was appended since.
    """
    if everything or cache_dir is None:
        return _parse_all(read_bytes(path), everything, file, _reference(path), 0)
    from crmsh_py.lowlevel.history import logcache

    cached = logcache.load(cache_dir, path)
    if cached is not None and path.suffix not in (".bz2", ".gz", ".xz"):
        offset, rows = cached
        tail = logcache.read_from(path, offset)
        make = LogLine._make
        lines = [make((*row, file)) for row in rows]
        if tail:
            lines += _parse_all(tail, False, file, _reference(path), offset)
            logcache.save(cache_dir, path, offset + len(tail), lines)
        return lines
    data = read_bytes(path)
    complete = data.rfind(b"\n") + 1  # a line still being written is read next time
    lines = _parse_all(data[:complete], False, file, _reference(path), 0)
    logcache.save(cache_dir, path, complete, lines)
    return lines


def _reference(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def _parse_all(data: bytes, everything: bool, file: int, reference: float, base: int) -> list[LogLine]:
    clock = Clock(reference)
    out: list[LogLine] = []
    for seq, text in _lines(data, everything):
        line = parse_line(text, clock, seq + base, file)
        if line is not None:
            out.append(line)
    return out


def _lines(data: bytes, everything: bool) -> Iterator[tuple[int, str]]:
    if everything:
        start = 0
        for raw in data.split(b"\n"):
            if raw:
                yield start, raw.decode("utf-8", "replace")
            start += len(raw) + 1
        return
    for start in interesting_offsets(data):
        end = data.find(b"\n", start)
        raw = data[start:end if end >= 0 else len(data)]
        yield start, raw.decode("utf-8", "replace")


def merge(logs: Iterable[list[LogLine]]) -> list[LogLine]:
    """Lines of several logs in time order (a log's own order kept among equal stamps); a line
    found in two logs (Pacemaker's own log and syslog both get its notices) is kept once."""
    parts = list(logs)
    if len(parts) == 1:
        return parts[0]
    combined = [line for log in parts for line in log]
    combined.sort(key=lambda line: line.ts)  # stable: file order survives within one file
    seen: set[tuple[float, str, str, int, str]] = set()
    out = []
    for line in combined:
        key = (line.ts, line.node, line.ident, line.pid, line.msg)
        if key not in seen:
            seen.add(key)
            out.append(line)
    return out
