"""Pacemaker's order of node names: case-insensitive, runs of digits compared as numbers.

Pacemaker keeps its node list in this order (``node2`` before ``node10``), so every display and
every "first node" tie-break that walks the node list follows it.
"""

from __future__ import annotations

import re

_RUNS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[tuple[int, int, int], ...]:
    """A sort key for ``name``: digit runs by value (then by length, ``7`` before ``007``), the rest
    case-insensitively."""
    key: list[tuple[int, int, int]] = []
    for i, part in enumerate(_RUNS.split(name)):
        if not part:
            continue
        if i % 2:  # a digit run sorts among other characters as a digit does
            key.append((ord("0"), int(part), len(part)))
        else:
            key.extend((ord(ch), 0, 0) for ch in part.lower())
    return tuple(key)
