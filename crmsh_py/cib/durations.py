"""Pacemaker durations (op intervals, timeouts, ``failure-timeout``) in milliseconds.

One reader for the scheduler, the executor, the status display and the tools that take an
interval (``crm_resource -I``, ``crm_failcount -I``, ``cibstatus op NAME:INTERVAL``): ``10s``,
``2m``, ``500ms``, a bare number (seconds), and ISO 8601 durations (``P30S``, ``PT1M``,
``P1DT2H``), as Pacemaker accepts them.
"""

from __future__ import annotations

_UNIT_MS = {None: 1000, "ms": 1, "msec": 1, "s": 1000, "sec": 1000, "m": 60000, "min": 60000,
            "h": 3600000, "hr": 3600000}
_MICRO = ("us", "usec")
_UNITS = frozenset(("ms", "msec", "s", "sec", "m", "min", "h", "hr", "us", "usec"))
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
    iso = None
    if "P" in text or "p" in text:
        import re  # (only here: re and enum cost a one-shot that never needs them ~5 ms)

        iso = re.match(_ISO_DURATION, text, re.IGNORECASE)
    if iso and text.strip().upper() != "P":
        if exact_case and text != text.upper():
            return None
        return sum(int(v) * unit for v, unit in zip(iso.groups(), _ISO_UNITS_S) if v) * 1000
    found = _number_and_unit(text)
    if found is None:
        return None
    digits, written = found
    if exact_case and written and written != written.lower():
        return None
    unit = written.lower() if written else None
    if unit in _MICRO:
        return int(digits) // 1000 if micro else None
    return int(digits) * _UNIT_MS[unit]


def _number_and_unit(text: str) -> tuple[str, str | None] | None:
    """``"10 s"`` -> ``("10", "s")``: digits, then optionally a unit (any case), white space
    around either; None for anything else.  Read by hand: the equivalent regular expression costs
    every one-shot that plans a millisecond to compile."""
    body = text.strip()
    end = 0
    while end < len(body) and body[end].isdecimal():  # isdecimal: what a regular expression's \d takes
        end += 1
    if end == 0:
        return None
    unit = body[end:].lstrip()
    if not unit:
        return body[:end], None
    return (body[:end], unit) if unit.lower() in _UNITS else None
