"""The order in which Pacemaker lists what it keeps in a string-keyed hash table.

Pacemaker's tools print some lists by walking a GLib hash table: the tickets of ``crm_mon
--tickets`` and ``crm_ticket -l``, a ticket's state attributes in ``crm_ticket -L``.  That order is
neither sorted nor the CIB's, but it is deterministic: Pacemaker's string hash (``h = 31*h + c``
over signed bytes, 32 bits) placed into GLib's open-addressing table (8 buckets to start, index
``hash * 11 % prime``, quadratic probing, growth to hold ``1.333 * n`` once 15/16 full, rehashed in
place) and walked bucket by bucket.  This module replays exactly that, so our tools print the same
order as Pacemaker's (checked against Pacemaker 2.1.5 with GLib 2.74).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from collections.abc import Iterable


_MIN_SHIFT = 3
# GLib's prime_mod table: the modulus for a table of 1 << shift buckets
_PRIME_MOD = (1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071,
              262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393, 67108859, 134217689,
              268435399, 536870909, 1073741789, 2147483647)


def pcmk_str_hash(text: str) -> int:
    """Pacemaker's ``pcmk__str_hash``."""
    h = 0
    for byte in text.encode("utf-8"):
        h = (h * 31 + (byte - 256 if byte > 127 else byte)) & 0xFFFFFFFF
    return h


class _Table:
    """Just enough of GLib's GHashTable to know where each key lands."""

    def __init__(self) -> None:
        self.shift = _MIN_SHIFT
        self.keys: list[str | None] = [None] * (1 << self.shift)
        self.hashes: list[int] = [0] * (1 << self.shift)  # 0: unused (no removals here: no tombstones)
        self.nnodes = 0

    def _index(self, h: int) -> int:
        return ((h * 11) & 0xFFFFFFFF) % _PRIME_MOD[self.shift]

    def insert(self, key: str) -> None:
        h = pcmk_str_hash(key)
        h = h if h >= 2 else 2  # 0 and 1 mark unused and removed buckets
        mask = len(self.keys) - 1
        index, step = self._index(h), 0
        while self.hashes[index]:
            if self.hashes[index] == h and self.keys[index] == key:
                return  # a replaced value keeps its bucket
            step += 1
            index = (index + step) & mask
        self.keys[index], self.hashes[index] = key, h
        self.nnodes += 1
        if len(self.keys) <= self.nnodes + self.nnodes // 16:
            self._resize()

    def _resize(self) -> None:
        old = len(self.keys)
        wanted = int(self.nnodes * 1.333)
        self.shift = max(wanted.bit_length(), _MIN_SHIFT)
        size = 1 << self.shift
        self.keys += [None] * (size - old)
        self.hashes += [0] * (size - old)
        mask = size - 1
        placed = [False] * size
        for i in range(old):  # GLib's in-place rehash: evict, place, carry what was displaced
            if not self.hashes[i] or placed[i]:
                continue
            key, h = self.keys[i], self.hashes[i]
            self.keys[i], self.hashes[i] = None, 0
            while True:
                index, step = self._index(h), 0
                while placed[index]:
                    step += 1
                    index = (index + step) & mask
                placed[index] = True
                displaced_key, displaced_hash = self.keys[index], self.hashes[index]
                self.keys[index], self.hashes[index] = key, h
                if not displaced_hash:
                    break
                key, h = displaced_key, displaced_hash


def hash_order(keys: Iterable[str]) -> list[str]:
    """``keys`` (in insertion order) in the order Pacemaker walks its hash table of them."""
    table = _Table()
    for key in keys:
        table.insert(key)
    return [k for k in table.keys if k is not None]
