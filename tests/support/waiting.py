"""Waiting for something a test can observe (a file, a status line, a process's exit), with a
deadline that only a real hang reaches: under load the wait is longer, never a failure."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# far above any wait a healthy run needs; reaching it means the awaited thing never happens
HANG_S = 60.0


def wait_for(probe: Callable[[], T], timeout: float = HANG_S, step: float = 0.05) -> T:
    """Call ``probe`` until it returns something true or ``timeout`` passes; its last value."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = probe()
    return value
