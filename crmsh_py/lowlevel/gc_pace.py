"""The cycle collector's pace while a low-level tool runs.

A tool run imports the engine, parses the CIB, builds its model and a plan: tens of thousands of
objects, nearly all alive until it returns, and no reference cycles worth collecting.  At the
interpreter's default pace (a first-generation pass every 700 allocations, and a full pass over the
ever larger heap every hundred of those) the collector takes a tenth of a one-shot ``crm resource
move`` finding nothing.  :class:`SlowCollector` raises the first threshold for the length of one run
and puts the previous pace back afterwards, so a long-lived process (the REPL, the engine daemon)
that runs many tools keeps its own settings; collections still happen, memory stays bounded.
"""

from __future__ import annotations

import gc

from crmsh_py.collector import ONESHOT_THRESHOLD as RUN_THRESHOLD  # the one-shot's pace: one policy

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a one-shot's cost)
if TYPE_CHECKING:
    from types import TracebackType


class SlowCollector:
    """``with SlowCollector():`` runs its body with a first-generation threshold of at least
    :data:`RUN_THRESHOLD` and restores the thresholds found on entry."""

    def __init__(self) -> None:
        self._saved: tuple[int, int, int] = gc.get_threshold()

    def __enter__(self) -> SlowCollector:
        self._saved = gc.get_threshold()
        first, second, third = self._saved
        gc.set_threshold(max(first, RUN_THRESHOLD), second, third)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        gc.set_threshold(*self._saved)
