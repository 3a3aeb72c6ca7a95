"""Pacemaker's order of node names: case-insensitive, runs of digits compared as numbers.

Pacemaker keeps its node list in this order (``node2`` before ``node10``), so every display and
every "first node" tie-break that walks the node list follows it.
"""

from __future__ import annotations


def natural_key(name: str) -> tuple[tuple[int, int, int], ...]:
    """A sort key for ``name``: digit runs by value (then by length, ``7`` before ``007``), the rest
    case-insensitively."""
    key: list[tuple[int, int, int]] = []
    # runs of digits and of the rest, split by hand: the regular expression would cost every
    # one-shot that sorts nodes its compile (isdecimal: the digits \d takes)
    start, size = 0, len(name)
    while start < size:
        digits = name[start].isdecimal()
        end = start + 1
        while end < size and name[end].isdecimal() == digits:
            end += 1
        part = name[start:end]
        if digits:  # a digit run sorts among other characters as a digit does
            key.append((ord("0"), int(part), len(part)))
        else:
            key.extend((ord(ch), 0, 0) for ch in part.lower())
        start = end
    return tuple(key)
