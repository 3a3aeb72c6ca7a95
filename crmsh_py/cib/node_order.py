"""The order Pacemaker lists and ranks nodes in: by name, case-insensitively, digit runs as numbers."""

from __future__ import annotations

import re

_CHUNK = re.compile(r"(\d+)")


def node_sort_key(name: str) -> tuple:
    """Pacemaker's node order: case-insensitive, digit runs compared as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in _CHUNK.split(name) if p)
