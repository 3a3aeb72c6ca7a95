"""A cache of the interesting lines of a log, so that reading history again costs only the tail.

Logs only grow (until rotated): the cache keeps, per log file, the lines found and how many
bytes were scanned, with the file's device, inode and first bytes.  Next time, a log with the
same identity and at least that size is read from that offset on; anything else (rotated,
truncated, replaced, unreadable cache) means a full scan.  A cache that cannot be written is
simply not kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

VERSION = 1
_HEAD = 4096


def _key(path: Path) -> str:
    return hashlib.sha1(str(path.resolve()).encode("utf-8"), usedforsecurity=False).hexdigest()[:20]


def _identity(path: Path) -> tuple[int, int, str]:
    stat = path.stat()
    with open(path, "rb") as handle:
        head = handle.read(_HEAD)
    return stat.st_dev, stat.st_ino, hashlib.sha1(head, usedforsecurity=False).hexdigest()


def load(cache_dir: Path, path: Path) -> tuple[int, list[tuple[Any, ...]]] | None:
    """``(bytes scanned, rows)`` when the cache is valid for ``path`` as it is now, else None."""
    try:
        with open(cache_dir / f"{_key(path)}.pickle", "rb") as handle:
            data = pickle.load(handle)  # our own file in the user's cache directory
        if data.get("version") != VERSION or data.get("path") != str(path):
            return None
        scanned = int(data["scanned"])
        if path.stat().st_size < scanned:
            return None  # truncated or rotated
        if tuple(data["identity"]) != _identity(path) and scanned >= _HEAD:
            return None
        if scanned < _HEAD:
            return None  # the head hash covered a file still growing into its first block
        return scanned, data["rows"]
    except (OSError, EOFError, KeyError, ValueError, TypeError, pickle.PickleError, AttributeError):
        return None


def read_from(path: Path, offset: int) -> bytes:
    """The bytes of ``path`` from ``offset`` up to its last complete line."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read()
    end = data.rfind(b"\n")
    return data[:end + 1] if end >= 0 else b""


def save(cache_dir: Path, path: Path, scanned: int, lines: list[Any]) -> None:
    """Keep ``lines`` as the interesting lines of the first ``scanned`` bytes of ``path``."""
    rows = [(x.ts, x.node, x.ident, x.pid, x.level, x.msg, x.raw, x.seq) for x in lines]
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "path": str(path), "scanned": scanned, "identity": _identity(path), "rows": rows}
        temp = cache_dir / f".{_key(path)}.{os.getpid()}.tmp"
        with open(temp, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, cache_dir / f"{_key(path)}.pickle")
    except OSError:
        pass
