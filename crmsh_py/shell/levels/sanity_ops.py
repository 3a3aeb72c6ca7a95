"""crmsh's checks of a primitive's operations against its agent's meta-data (warnings only).

For each operation named in the primitive (monitors first, then the others in the order they first
appear, a later duplicate replacing an earlier one, as crmsh keeps them):

- an action the agent does not list: ``action 'X' not found in Resource Agent meta-data``;
- a monitor with interval 0, or with the interval of an earlier monitor; a start, stop, promote or
  demote with a non-zero interval (``Specified interval for stop is 10s, it must be 0``);
- a timeout (the operation's own, else ``op_defaults``' timeout) shorter than the agent advises.

Durations are read as crmsh reads them (``crm_msec``): digits and a unit; anything else (an ISO
8601 ``PT10S``) counts as -1, so it is "not 0" for the interval check and never "too short".
"""

from __future__ import annotations

import re
from crmsh_py import xmltree as ET
from typing import NamedTuple

_UNITS = {"ms": (1, 1), "msec": (1, 1), "us": (1, 1000), "usec": (1, 1000), "": (1000, 1), "s": (1000, 1),
          "sec": (1000, 1), "m": (60000, 1), "min": (60000, 1), "h": (3600000, 1), "hr": (3600000, 1)}
_DURATION = re.compile(r"\s*(\d+)\s*([a-zA-Z]+)?")
NO_INTERVAL_OPS = ("start", "stop", "promote", "demote")


class AgentAction(NamedTuple):
    """One ``<action>`` of an agent's meta-data."""

    name: str
    attrs: dict[str, str]


def crm_msec(text: str | None) -> int:
    """Milliseconds as crmsh computes them (-1 when it cannot)."""
    if not text:
        return -1
    m = _DURATION.match(text)
    if not m:
        return -1
    unit = _UNITS.get((m.group(2) or "").lower())
    if unit is None:
        return -1
    return int(m.group(1)) * unit[0] // unit[1]


def agent_actions(root: ET.Element) -> list[AgentAction]:
    """The actions of an agent's meta-data, in order."""
    return [AgentAction(a.get("name", ""), {k: v for k, v in a.attrib.items() if k != "name"})
            for a in root.iter("action")]


def _advised(actions: list[AgentAction], op: str, key: str, attrs: dict[str, str]) -> str | None:
    """The agent's advice for ``key`` of ``op`` (a monitor's by its role or depth, as crmsh picks)."""
    listed = [a.attrs for a in actions if a.name == op]
    if not listed:
        return None
    if op != "monitor":
        return listed[-1].get(key)
    role, depth = attrs.get("role"), attrs.get("depth")
    if role is None and depth is None:
        return listed[0].get(key)
    for field, wanted in (("role", role), ("depth", depth)):
        if wanted:
            for item in listed:
                if item.get(field) == wanted:
                    return item.get(key)
    return None


def advised(actions: list[AgentAction], op: str, key: str, attrs: dict[str, str]) -> str | None:
    """The agent's advice for ``key`` of operation ``op`` with attributes ``attrs`` (crmsh's pick)."""
    return _advised(actions, op, key, attrs)


def _timeout(rid: str, op: str, attrs: dict[str, str], advised: str | None, default: str | None) -> list[str]:
    actual, which = (attrs["timeout"], "specified timeout") if "timeout" in attrs else (default, "default timeout")
    if actual and crm_msec(advised) - crm_msec(actual) > 0:
        return [f"{rid}: {which} {actual} for {op} is smaller than the advised {advised}"]
    return []


def op_warnings(rid: str, ops: list[tuple[str, dict[str, str]]], actions: list[AgentAction],
                default_timeout: str | None) -> list[str]:
    """crmsh's warnings about the operations ``ops`` (name, attributes) of primitive ``rid``."""
    known = {a.name for a in actions}
    monitors = [attrs for name, attrs in ops if name == "monitor"]
    others: dict[str, dict[str, str]] = {}
    for name, attrs in ops:
        if name != "monitor":
            others[name] = attrs
    out: list[str] = []
    groups: list[tuple[str, list[dict[str, str]]]] = [("monitor", monitors)]
    groups += [(name, [attrs]) for name, attrs in others.items()]
    for name, items in groups:
        if not items:
            continue
        if name not in known:
            out.append(f"{rid}: action '{name}' not found in Resource Agent meta-data")
            continue
        seen: list[int] = []
        for attrs in items:  # intervals first, then timeouts (crmsh's order)
            if name == "monitor":
                msec = crm_msec(attrs.get("interval", "0"))  # stored as interval=0 when not given
                advice = _advised(actions, name, "interval", attrs)
                if msec == 0:
                    out.append(f"{rid}: interval in monitor should be larger than 0, advised is {advice}")
                elif msec in seen:
                    out.append(f"{rid}: interval in monitor must be unique, advised is {advice}")
                else:
                    seen.append(msec)
            elif "interval" in attrs and name in NO_INTERVAL_OPS and crm_msec(attrs["interval"]) != 0:
                out.append(f"{rid}: Specified interval for {name} is {attrs['interval']}, it must be 0")
        for attrs in items:
            out += _timeout(rid, name, attrs, _advised(actions, name, "timeout", attrs), default_timeout)
    return out


# the values Pacemaker's schema (pacemaker-3.x) lists for an op's enumerated attributes
OP_ATTR_VALUES: dict[str, tuple[str, ...]] = {
    "on-fail": ("ignore", "block", "demote", "stop", "restart", "standby", "fence", "restart-container"),
    "role": ("Stopped", "Started", "Promoted", "Unpromoted", "Slave", "Master"),
}


def op_value_warnings(rid: str, ops: list[tuple[str, list[tuple[str, str]]]]) -> list[str]:
    """crmsh's warnings about op attributes whose value the schema does not list."""
    return [f"{rid}: op '{name}' attribute '{key}' value '{value}' not recognized"
            for name, attrs in ops for key, value in attrs
            if key in OP_ATTR_VALUES and value not in OP_ATTR_VALUES[key]]
