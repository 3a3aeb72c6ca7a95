"""Switching Python's cycle collector back on after an allocation-heavy step paused it.

Several steps (parsing, writing, converting or handing over a whole CIB, reading a history)
pause the collector: they make many small acyclic objects.  Everything allocated meanwhile still
counts as the youngest generation, so the first allocation after a plain ``gc.enable()`` starts a
pass over all the survivors (the CIB, the model, every module imported during the step) that finds
nothing: 2-4 ms of a one-shot ``crm resource move``.  :func:`resume` first moves every object into
the oldest generation (``gc.freeze()`` then ``gc.unfreeze()``, two list splices, no scan) and then
enables the collector: the survivors are looked at again only by the next full pass, which still
frees any cycle among them, so memory stays bounded.  Below every layer: it imports nothing of ours.
"""

from __future__ import annotations

import gc


def resume() -> None:
    """Enable the cycle collector without a pass over what was allocated while it was off."""
    gc.freeze()
    gc.unfreeze()
    gc.enable()
