"""Time arguments of ``crm history limit`` / ``crm report -f -t`` and how times are shown."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from functools import lru_cache

from crmsh_py.errors import CommandError

_RELATIVE = re.compile(r"^-(\d+)([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
            "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%b %d %H:%M:%S", "%b %d %H:%M", "%d.%m.%Y %H:%M")


def parse_time(text: str, now: float | None = None) -> float:
    """Seconds since the epoch for ``text``: a date and time (``2026-11-29 03:10``, ``Nov 29
    03:10:00``, ISO 8601), a time today (``03:10``), a relative time (``-2h``, ``-30m``, ``-1d``)
    or a number of seconds since the epoch.  A bad value is a CommandError saying what is accepted."""
    value = text.strip()
    current = time.time() if now is None else now
    match = _RELATIVE.match(value)
    if match:
        return current - int(match.group(1)) * _UNITS[match.group(2)]
    if re.fullmatch(r"\d{9,}(\.\d+)?", value):
        return float(value)
    if re.fullmatch(r"\d{1,2}:\d\d(:\d\d)?", value):
        today = datetime.fromtimestamp(current)
        parts = [int(p) for p in value.split(":")] + [0]
        return today.replace(hour=parts[0], minute=parts[1], second=parts[2], microsecond=0).timestamp()
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if "%Y" not in fmt:
            year = datetime.fromtimestamp(current).year
            parsed = parsed.replace(year=year)
            if parsed.timestamp() > current + 86400:
                parsed = parsed.replace(year=year - 1)
        return parsed.timestamp()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    raise CommandError(f"bad time '{text}': use YYYY-MM-DD [HH:MM[:SS]], HH:MM, 'Mon DD HH:MM:SS', "
                       "-Nm/-Nh/-Nd (ago) or seconds since the epoch")


def show(ts: float | None) -> str:
    """``2026-11-29 03:09:31`` in local time (``--`` when unknown)."""
    if ts is None:
        return "--/--/-- --:--:--"
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def short(ts: float | None) -> str:
    """``03:09:31`` (crmsh's short time)."""
    if ts is None:
        return "--:--:--"
    return datetime.fromtimestamp(ts).strftime("%H:%M:%S")


@lru_cache(maxsize=8192)
def iso(ts: float | None) -> str | None:
    """ISO 8601 with the local offset (for JSON), None when unknown."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def span(seconds: float) -> str:
    """``1.0 s``, ``2 min 5 s``."""
    if seconds < 120:
        return f"{seconds:.1f} s"
    delta = timedelta(seconds=int(seconds))
    minutes, secs = divmod(delta.seconds + delta.days * 86400, 60)
    return f"{minutes} min {secs} s"
