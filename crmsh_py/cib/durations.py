"""Pacemaker durations (op intervals, timeouts, ``failure-timeout``) in milliseconds.

One reader for the scheduler, the executor, the status display and the tools that take an
interval (``crm_resource -I``, ``crm_failcount -I``, ``cibstatus op NAME:INTERVAL``): ``10s``,
``2m``, ``500ms``, a bare number (seconds), and ISO 8601 durations (``P30S``, ``PT1M``,
``P1DT2H``), as Pacemaker accepts them.
"""

from __future__ import annotations

import re

_DURATION = re.compile(r"^\s*(\d+)\s*(ms|msec|s|sec|m|min|h|hr|us|usec)?\s*$", re.IGNORECASE)
_UNIT_MS = {None: 1000, "ms": 1, "msec": 1, "s": 1000, "sec": 1000, "m": 60000, "min": 60000,
            "h": 3600000, "hr": 3600000}
_MICRO = ("us", "usec")
# matched with re.IGNORECASE, and only against text holding a P: compiled on first use (re's
# cache), as most CIBs have no ISO 8601 duration and the compile costs a start-up ~0.2 ms
_ISO_DURATION = (r"^\s*P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                 r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?(?:(\d+)S)?\s*$")
_ISO_UNITS_S = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1, 1)


def duration_ms(text: str | None, default: int = 0) -> int:
    """``text`` in milliseconds; ``default`` when it is empty or unreadable."""
    value = parse_ms(text) if text else None
    return default if value is None else value


def parse_ms(text: str, micro: bool = False, exact_case: bool = False) -> int | None:
    """``text`` in milliseconds, None when it is unreadable.  ``micro`` reads microseconds too
    (``us``, ``usec``, rounded down) and ``exact_case`` only lower-case units and upper-case ISO
    8601, as Pacemaker's ``crm_failcount`` script reads its ``-I``."""
    iso = re.match(_ISO_DURATION, text, re.IGNORECASE) if "P" in text or "p" in text else None
    if iso and text.strip().upper() != "P":
        if exact_case and text != text.upper():
            return None
        return sum(int(v) * unit for v, unit in zip(iso.groups(), _ISO_UNITS_S) if v) * 1000
    match = _DURATION.match(text)
    if not match or (exact_case and match.group(2) and match.group(2) != match.group(2).lower()):
        return None
    unit = match.group(2).lower() if match.group(2) else None
    if unit in _MICRO:
        return int(match.group(1)) // 1000 if micro else None
    return int(match.group(1)) * _UNIT_MS[unit]
