"""ISO 8601 date/times as Pacemaker reads them (date rules, ``crm_simulate -t``).

Accepted dates: calendar ``2019-09-23``, ordinal ``2005-020`` (day of the year) and week
``2005-W03-4`` (ISO week and weekday).  The time, after ``T`` or a space, is ``HH[:MM[:SS]]``,
optionally followed (with or without a space) by ``Z`` or an offset ``+HH[:MM]``/``-HH[:MM]``.
A time without an offset is taken as UTC, so planning stays a pure function of its inputs.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

_DATE = re.compile(r"^(?P<year>\d{4})-(?:W(?P<week>\d{2})-(?P<weekday>\d)|(?P<month>\d{2})-(?P<day>\d{2})"
                   r"|(?P<yday>\d{3}))$")
_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*"
                   r"(?P<zone>Z|[+-]\d{1,2}(?::?\d{2})?)?$", re.IGNORECASE)


def _calendar_date(match: re.Match[str]) -> date | None:
    year = int(match.group("year"))
    try:
        if match.group("week"):
            return date.fromisocalendar(year, int(match.group("week")), int(match.group("weekday")))
        if match.group("yday"):
            first = date(year, 1, 1)
            day = first + timedelta(days=int(match.group("yday")) - 1)
            return day if day.year == year and day >= first else None
        return date(year, int(match.group("month")), int(match.group("day")))
    except ValueError:
        return None


def _offset(zone: str | None) -> timedelta:
    if not zone or zone.upper() == "Z":
        return timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    return sign * timedelta(hours=int(hours), minutes=int(minutes))


def parse_iso8601(text: str) -> datetime | None:
    """``text`` as an aware UTC datetime, or None when it is not an ISO 8601 date/time."""
    cleaned = text.strip()
    day_text, _, time_text = cleaned.replace("T", " ", 1).partition(" ")
    match = _DATE.match(day_text)
    if match is None:
        return None
    day = _calendar_date(match)
    if day is None:
        return None
    hour = minute = second = 0
    offset = timedelta(0)
    if time_text.strip():
        tm = _TIME.match(time_text.strip())
        if tm is None:
            return None
        hour, minute, second = int(tm.group("h")), int(tm.group("m") or 0), int(tm.group("s") or 0)
        if hour > 24 or minute > 59 or second > 60:
            return None
        offset = _offset(tm.group("zone"))
    moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc) + timedelta(
        hours=hour, minutes=minute, seconds=second)
    return moment - offset


def epoch_seconds(text: str) -> int | None:
    """``text`` as UNIX seconds, or None when it is not an ISO 8601 date/time."""
    moment = parse_iso8601(text)
    return int(moment.timestamp()) if moment is not None else None
