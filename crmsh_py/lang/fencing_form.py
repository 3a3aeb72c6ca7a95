"""How crmsh 4.4.1 writes a ``fencing-topology`` and whether it reads that text back the same.

crmsh groups the levels by target (a node, ``attr:NAME=VALUE`` or ``pattern:REGEX``) and writes the
short form ``fencing_topology DEVS ...`` when every target has the same devices and there are as
many targets as nodes in the CIB (whatever the targets are).  Reading the short form applies the
devices to every node, in name order, so the element only reads back the same when its targets were
those nodes: otherwise crmsh shows it as XML (see :mod:`crmsh_py.lang.nocli`).
"""

from __future__ import annotations

from crmsh_py import xmltree as ET

# a level as crmsh compares it: (target, target-attribute, target-value, target-pattern, index, devices)
LevelKey = tuple[str | None, str | None, str | None, str | None, str, str]


def _target_of(level: ET.Element) -> tuple[str | None, ...]:
    if level.get("target-pattern") is not None:
        return (None, None, None, level.get("target-pattern"))
    if level.get("target-attribute") is not None:
        return (None, level.get("target-attribute"), level.get("target-value"), None)
    return (level.get("target"), None, None, None)


def _key(target: tuple[str | None, ...], index: int, devices: str) -> LevelKey:
    node, attr, value, pattern = target
    return (node, attr, value, pattern, str(index), devices)


def _devices_by_target(section: ET.Element) -> dict[tuple[str | None, ...], list[str]]:
    found: dict[tuple[str | None, ...], dict[int, str]] = {}
    for level in section:
        if isinstance(level.tag, str) and level.tag == "fencing-level":
            index = level.get("index", "0")
            found.setdefault(_target_of(level), {})[int(index) if index.isdigit() else 0] = level.get("devices", "")
    return {t: [by_index[i] for i in sorted(by_index)] for t, by_index in found.items()}


def is_short(devices: dict[tuple[str | None, ...], list[str]], node_count: int) -> bool:
    """crmsh's test for the short form: one list of devices for all, as many targets as nodes."""
    return len({" ".join(d) for d in devices.values()}) == 1 and len(devices) == node_count


def reads_back(section: ET.Element, nodes: list[str]) -> bool:
    """Whether crmsh reads the text it writes for ``section`` back into the same levels
    (``nodes``: the unames of the CIB's nodes)."""
    devices = _devices_by_target(section)
    mine = sorted(_key(_target_of(lv), int(lv.get("index", "0")) if lv.get("index", "").isdigit() else -1,
                       lv.get("devices", ""))
                  for lv in section if isinstance(lv.tag, str) and lv.tag == "fencing-level")
    again: list[LevelKey] = []
    if devices and is_short(devices, len(nodes)):
        words = " ".join(next(iter(devices.values()))).split()
        for node in sorted(nodes):
            again += [_key((node, None, None, None), i, w) for i, w in enumerate(words, 1)]
    else:
        counters: dict[str | None, int] = {}
        for target, devs in devices.items():
            # crmsh counts an attribute target's levels by the attribute's name alone
            counted = target[0] if target[0] is not None else (target[1] if target[1] is not None else target[3])
            for word in " ".join(devs).split():
                counters[counted] = counters.get(counted, 0) + 1
                again.append(_key(target, counters[counted], word))
    return sorted(again) == mine
